with

cells as (
    select * from {{ ref('int_court_misses_suppressed') }}
),

final as (
    select
        {{ published_dimensions('court_misses') }},
        {{ withhold_metrics(['record_count']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
