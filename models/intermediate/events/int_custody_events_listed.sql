{# R7: admissions (NEW, PAROLE_VIOLATION, RETURN) and releases (every end
   but a transfer out, a status change or none) from 2017 to the extract
   date, with the holding agency's demographics and age at the event, and
   the R2 exclusions applied (statuses never counted, no valid SID, under
   18 at the event). Transfers and status changes are movements inside
   custody and never appear here. #}
with

placements as (
    select * from {{ ref('int_placements_linked') }}
),

movement_types as (
    select * from {{ ref('movement_types') }}
),

manifest as (
    select * from {{ ref('stg_extract__manifest') }}
),

age_groups as (
    select * from {{ ref('age_groups') }}
),

admissions as (
    select
        placements.*,
        'Admission' as event,
        placements.admission_date as event_date,
        movement_types.event_type
    from placements
    inner join movement_types
        on movement_types.movement = 'admission'
        and placements.admission_type = movement_types.type_code
    where movement_types.is_admission::boolean
),

releases as (
    select
        placements.*,
        'Release' as event,
        placements.release_date as event_date,
        movement_types.event_type
    from placements
    inner join movement_types
        on movement_types.movement = 'release'
        and placements.release_type = movement_types.type_code
    where movement_types.is_release::boolean
),

events as (
    select * from admissions
    union all
    select * from releases
),

aged as (
    select
        events.*,
        {{ age_in_years('events.date_of_birth', 'events.event_date') }} as age
    from events
    cross join manifest
    where
        year(events.event_date) >= {{ var('first_snapshot_year') }}
        and events.event_date <= manifest.as_of
),

final as (
    select
        aged.record_system,
        aged.agency_code,
        aged.published_agency,
        aged.placement_id,
        aged.sid,
        aged.event,
        aged.event_date,
        aged.event_type,
        aged.admission_type,
        aged.release_type,
        aged.custody_status,
        aged.offender_status,
        aged.age,
        age_groups.age_group,
        aged.assigned_sex,
        aged.gender_identity,
        aged.race,
        aged.ethnicity,
        case
            when not aged.is_linkable then 'Unlinkable'
            when aged.exclusion_reason is not null then aged.exclusion_reason
            when aged.age < 18 then 'Juvenile'
        end as exclusion_reason
    from aged
    left join age_groups on aged.age between age_groups.min_age and age_groups.max_age
)

select * from final
