with

source as (
    select * from {{ source('jms', 'placement_charges') }}
),

placements as (
    select * from {{ ref('stg_jms__placements') }}
),

staged as (
    {{ stage_custody_placement_charges('source', 'placements', 'jms') }}
),

final as (
    select
        agency_code,
        placement_id,
        docket_number,
        is_docket_fixed,
        charge_seq,
        statute,
        is_governing,
        quarantine_reason
    from staged
)

select * from final
