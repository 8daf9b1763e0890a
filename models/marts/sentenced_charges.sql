with

cells as (
    select * from {{ ref('int_sentenced_charges_suppressed') }}
),

final as (
    select
        {{ published_dimensions('sentenced_charges') }},
        {{ withhold_metrics(['record_count', 'charge_count', 'conviction_count']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
