with

cells as (
    select * from {{ ref('int_sentenced_charges_suppressed') }}
),

final as (
    select
        snapshot_date,
        agency,
        offense_type,
        offense_subtype,
        offense_severity,
        {{ withhold_metrics(['record_count', 'charge_count', 'conviction_count']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
