{# custody_offenses cells (public-api.md): the governing offense of sentenced
   people and the leading charge of pretrial people (R5), by snapshot and
   offender status (never All), with up to max_breakdowns breakdowns among offense
   (type, or type and sub-type), severity, age group, sex, race, ethnicity;
   before disclosure control (int_custody_cells_suppressed). #}
with

members as (
    select * from {{ ref('int_cohort_members_selected') }}
),

offenses as (
    select * from {{ ref('int_placement_offenses_selected') }}
),

people as (
    select
        members.*,
        members.published_agency as agency,
        strftime(members.snapshot_date, '%Y-%m-%d') as snapshot_day,
        offenses.offense_type,
        offenses.offense_subtype,
        offenses.offense_severity
    from members
    inner join offenses
        on members.agency_code = offenses.agency_code
        and members.placement_id = offenses.placement_id
),

aggregated as (
    select
        snapshot_day as snapshot_date,
        offender_status,
        {{- all_label(breakdown_dimensions('custody_offenses')) | indent(4) }}
        count(*) as record_count,
        round(avg(incarceration_days), 1) as mean_incarceration_days,
        median(incarceration_days) as median_incarceration_days
    from people
    group by {{ published_grouping_sets('custody_offenses', fixed_as={'snapshot_date': 'snapshot_day'}) }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
