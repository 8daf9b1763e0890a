with

cells as (
    select * from {{ ref('int_cohort_exclusions_suppressed') }}
),

final as (
    select
        {{ published_dimensions('cohort_exclusions') }},
        {{ withhold_metrics(['record_count']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
