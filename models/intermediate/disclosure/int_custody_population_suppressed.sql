{# custody_population cells with their disclosure control, decided together
   with custody_offenses (int_custody_cells_suppressed). #}
with

cells as (
    select * from {{ ref('int_custody_cells_suppressed') }}
    where table_name = 'custody_population'
),

final as (
    select
        {{ published_dimensions('custody_population') }},
        record_count,
        mean_incarceration_days,
        median_incarceration_days,
        total_enrollments,
        beh_enrollments,
        edu_enrollments,
        sup_enrollments,
        work_enrollments,
        reinvestment_enrollments,
        religious_enrollments,
        is_withheld,
        is_omitted,
        suppression
    from cells
)

select * from final
