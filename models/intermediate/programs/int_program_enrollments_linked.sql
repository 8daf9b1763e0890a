{# Program enrollments with the enrolled person's SID, demographics and age
   at the start (from the agency's own record, R1) and the published agency
   (R4). Enrollments of people without a valid SID, or under 18 at the
   start, stay out of the public program tables. #}
with

enrollments as (
    select * from {{ ref('int_program_enrollments_unioned') }}
),

people as (
    select * from {{ ref('int_custody_people_unioned') }}
),

agencies as (
    select * from {{ ref('agencies') }}
),

age_groups as (
    select * from {{ ref('age_groups') }}
),

linked as (
    select
        enrollments.*,
        agencies.published_agency,
        people.sid,
        people.assigned_sex,
        people.race,
        people.ethnicity,
        {{ age_in_years('people.date_of_birth', 'enrollments.start_date') }} as age
    from enrollments
    inner join people
        on enrollments.agency_code = people.agency_code
        and enrollments.agency_person_id = people.agency_person_id
    inner join agencies on enrollments.agency_code = agencies.agency_code
),

final as (
    select
        linked.*,
        age_groups.age_group,
        linked.sid is not null and linked.age >= 18 as is_publishable
    from linked
    left join age_groups on linked.age between age_groups.min_age and age_groups.max_age
)

select * from final
