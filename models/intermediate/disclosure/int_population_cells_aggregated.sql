{# custody_population cells (public-api.md) before disclosure control:
   counts and the figures derived from the people of each cell, over every
   combination of up to max_breakdowns breakdown dimensions, by snapshot, for each
   agency and All. int_custody_cells_suppressed withholds them. #}
with

members as (
    select * from {{ ref('int_cohort_members_selected') }}
),

enrollments as (
    select * from {{ ref('int_cohort_enrollments_counted') }}
),

people as (
    select
        members.*,
        members.published_agency as agency,
        strftime(members.snapshot_date, '%Y-%m-%d') as snapshot_day,
        enrollments.* exclude (snapshot_date, sid)
    from members
    inner join enrollments
        on members.snapshot_date = enrollments.snapshot_date
        and members.sid = enrollments.sid
),

aggregated as (
    select
        snapshot_day as snapshot_date,
        {{- all_label(breakdown_dimensions('custody_population')) | indent(4) }}
        count(*) as record_count,
        round(avg(incarceration_days), 1) as mean_incarceration_days,
        median(incarceration_days) as median_incarceration_days,
        sum(total_enrollments)::bigint as total_enrollments,
        sum(beh_enrollments)::bigint as beh_enrollments,
        sum(edu_enrollments)::bigint as edu_enrollments,
        sum(sup_enrollments)::bigint as sup_enrollments,
        sum(work_enrollments)::bigint as work_enrollments,
        sum(reinvestment_enrollments)::bigint as reinvestment_enrollments,
        sum(religious_enrollments)::bigint as religious_enrollments
    from people
    group by {{ published_grouping_sets('custody_population', fixed_as={'snapshot_date': 'snapshot_day'}) }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
