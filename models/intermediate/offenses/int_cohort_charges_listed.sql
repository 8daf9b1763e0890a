{# Every charge behind the sentenced people of each cohort: all court charges
   on the dockets of the counted placement (so charges that did not lead to
   the sentence are there too), plus the placement's own charges that the
   court data lacks (R5), whether the whole docket is missing or only that
   charge number on a docket the court has: those keep their custody-side
   statute and count as charges without a known conviction. #}
with

members as (
    select * from {{ ref('int_cohort_members_selected') }}
    where offender_status = 'Sentenced'
),

placement_charges as (
    select * from {{ ref('int_placement_charges_joined') }}
),

court_charges as (
    select * from {{ ref('stg_court__charges') }}
    where quarantine_reason is null
),

statutes as (
    select * from {{ ref('int_statutes_classified') }}
),

member_dockets as (
    select distinct
        members.snapshot_date,
        members.sid,
        members.published_agency,
        placement_charges.docket_number
    from members
    inner join placement_charges
        on members.agency_code = placement_charges.agency_code
        and members.placement_id = placement_charges.placement_id
    where placement_charges.is_docket_in_court_data
),

docket_charges as (
    select
        member_dockets.snapshot_date,
        member_dockets.sid,
        member_dockets.published_agency,
        statutes.offense_type,
        statutes.offense_subtype,
        court_charges.offense_severity,
        court_charges.is_conviction
    from member_dockets
    inner join court_charges on member_dockets.docket_number = court_charges.docket_number
    inner join statutes on court_charges.statute = statutes.statute
),

uncovered_charges as (
    {# is_charge_in_court_data is false both when the docket is missing and
       when the docket is there without this charge number #}
    select
        members.snapshot_date,
        members.sid,
        members.published_agency,
        placement_charges.offense_type,
        placement_charges.offense_subtype,
        placement_charges.offense_severity,
        false as is_conviction
    from members
    inner join placement_charges
        on members.agency_code = placement_charges.agency_code
        and members.placement_id = placement_charges.placement_id
    where not placement_charges.is_charge_in_court_data
),

final as (
    select * from docket_charges
    union all
    select * from uncovered_charges
)

select * from final
