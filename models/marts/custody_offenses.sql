with

cells as (
    select * from {{ ref('int_custody_offenses_suppressed') }}
),

final as (
    select
        {{ published_dimensions('custody_offenses') }},
        {{ withhold_metrics(['record_count', 'mean_incarceration_days', 'median_incarceration_days']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
