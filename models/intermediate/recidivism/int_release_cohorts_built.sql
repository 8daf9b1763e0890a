{# R8 release cohorts: releases to the community (seed movement_types:
   expiration, parole, probation, court order) of sentenced and parole
   violator placements, from 2017, that pass the R2 exclusions. A person
   released more than once in a calendar year enters that year's cohort once,
   with the first release (rates are of people). #}
with

events as (
    select * from {{ ref('int_custody_events_listed') }}
),

movement_types as (
    select * from {{ ref('movement_types') }}
),

community_releases as (
    select events.*
    from events
    inner join movement_types
        on movement_types.movement = 'release'
        and events.release_type = movement_types.type_code
    where
        events.event = 'Release'
        and movement_types.is_community_release::boolean
        and events.offender_status = 'Sentenced'
        and events.exclusion_reason is null
),

first_of_year as (
    select
        *,
        year(event_date) as release_year
    from community_releases
    qualify row_number() over (
        partition by sid, year(event_date)
        order by event_date, agency_code, placement_id
    ) = 1
),

final as (
    select
        sid,
        release_year,
        event_date as release_date,
        agency_code,
        published_agency,
        placement_id,
        age_group,
        assigned_sex,
        gender_identity,
        race,
        ethnicity
    from first_of_year
)

select * from final
