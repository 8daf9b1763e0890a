{# R6: the enrollments that count for a cohort member are those at the same
   agency whose start_date lies between the counted placement's admission
   and the snapshot date, both included: current ones and those already
   ended during this stay. Members with none count with zeros. #}
with

members as (
    select * from {{ ref('int_cohort_members_selected') }}
),

enrollments as (
    select * from {{ ref('int_program_enrollments_unioned') }}
),

counted as (
    select
        members.snapshot_date,
        members.sid,
        count(enrollments.enrollment_id) as total_enrollments,
        {# one column per PSI area of seed program_areas, named as published #}
        count(enrollments.enrollment_id) filter (where enrollments.psi_area_code = 'BEH') as beh_enrollments,
        count(enrollments.enrollment_id) filter (where enrollments.psi_area_code = 'EDU') as edu_enrollments,
        count(enrollments.enrollment_id) filter (where enrollments.psi_area_code = 'SUP') as sup_enrollments,
        count(enrollments.enrollment_id) filter (where enrollments.psi_area_code = 'WORK') as work_enrollments,
        count(enrollments.enrollment_id) filter (where enrollments.psi_area_code = 'REINV') as reinvestment_enrollments,
        count(enrollments.enrollment_id) filter (where enrollments.psi_area_code = 'REL') as religious_enrollments
    from members
    left join enrollments
        on members.agency_code = enrollments.agency_code
        and members.agency_person_id = enrollments.agency_person_id
        and enrollments.start_date between members.admission_date and members.snapshot_date
    group by members.snapshot_date, members.sid
),

final as (
    select * from counted
)

select * from final
