with

source as (
    select * from {{ source('oms', 'people') }}
),

staged as (
    {{ stage_custody_people('source', 'oms') }}
),

final as (
    select
        agency_code,
        agency_person_id,
        sid,
        sid_status,
        is_sid_fixed,
        date_of_birth,
        assigned_sex,
        gender_identity,
        race,
        ethnicity,
        is_unknown_sex_code,
        is_unknown_gender_identity_code,
        is_unknown_race_code,
        is_unknown_ethnicity_code,
        quarantine_reason
    from staged
)

select * from final
