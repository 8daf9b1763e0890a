{# R2-R4: one row per person per snapshot date, with offender status, age
   group, incarceration time and published agency. #}
with

classified as (
    select * from {{ ref('int_snapshot_placements_classified') }}
),

age_groups as (
    select * from {{ ref('age_groups') }}
),

members as (
    select * from classified
    where cohort_exclusion_reason is null
),

final as (
    select
        members.snapshot_date,
        members.sid,
        members.record_system,
        members.agency_code,
        members.published_agency,
        members.placement_id,
        members.agency_person_id,
        members.offender_status,
        members.custody_status,
        members.admission_date,
        {# R3: every part of a day counts, the admission day included #}
        date_diff('day', members.admission_date, members.snapshot_date) + 1 as incarceration_days,
        members.age,
        age_groups.age_group,
        members.assigned_sex,
        members.gender_identity,
        members.race,
        members.ethnicity
    from members
    inner join age_groups on members.age between age_groups.min_age and age_groups.max_age
)

select * from final
