with

source as (
    select * from {{ source('oms', 'placements') }}
),

people as (
    select * from {{ ref('stg_oms__people') }}
),

staged as (
    {{ stage_custody_placements('source', 'people', 'oms') }}
),

final as (
    select
        agency_code,
        placement_id,
        agency_person_id,
        admission_date,
        release_date,
        custody_status,
        offender_status,
        exclusion_reason,
        admission_type,
        release_type,
        facility_code,
        quarantine_reason
    from staged
)

select * from final
