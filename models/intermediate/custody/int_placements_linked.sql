{# R1: a placement is linked to its person through the holding agency's own
   people record; the SID on that record is what links the person across
   agencies and to the court. Demographics also come from that record. #}
with

placements as (
    select * from {{ ref('int_placements_unioned') }}
),

people as (
    select * from {{ ref('int_custody_people_unioned') }}
),

agencies as (
    select * from {{ ref('agencies') }}
),

linked as (
    select
        placements.record_system,
        placements.agency_code,
        agencies.published_agency,
        agencies.is_state_agency,
        placements.placement_id,
        placements.agency_person_id,
        people.sid,
        people.sid_status,
        people.sid is not null as is_linkable,
        people.date_of_birth,
        people.assigned_sex,
        people.gender_identity,
        people.race,
        people.ethnicity,
        placements.admission_date,
        placements.release_date,
        placements.custody_status,
        placements.offender_status,
        placements.exclusion_reason,
        placements.admission_type,
        placements.release_type
    from
        placements
        {# staging guarantees the person key exists and passed #}
    inner join people
        on placements.agency_code = people.agency_code
        and placements.agency_person_id = people.agency_person_id
    inner join agencies on placements.agency_code = agencies.agency_code
),

final as (
    select * from linked
)

select * from final
