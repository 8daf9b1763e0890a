{# Public table custody_population (public-api.md): withheld cells keep
   their row with every metric null. #}
{%- set metrics = ['record_count', 'mean_incarceration_days', 'median_incarceration_days',
    'total_enrollments', 'beh_enrollments', 'edu_enrollments', 'sup_enrollments', 'work_enrollments',
    'reinvestment_enrollments', 'religious_enrollments'] -%}
with

cells as (
    select * from {{ ref('int_custody_population_suppressed') }}
),

final as (
    select
        {{ published_dimensions('custody_population') }},
        {{ withhold_metrics(metrics) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
