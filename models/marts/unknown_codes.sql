with

cells as (
    select * from {{ ref('int_unknown_codes_suppressed') }}
),

final as (
    select
        {{ published_dimensions('unknown_codes') }},
        {{ withhold_metrics(['record_count']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
