{# R5: "the miss is counted in the data-quality output". One row per charge
   of a placement counted on a snapshot date that the court data lacks, with
   the reason; such a charge keeps its custody-side statute in the published
   offenses (int_placement_charges_joined). Counted per snapshot, like the
   cohort exclusions, because the charges matter through the cohorts. #}
with

members as (
    select * from {{ ref('int_cohort_members_selected') }}
),

charges as (
    select * from {{ ref('int_placement_charges_joined') }}
    where court_miss_reason is not null
),

final as (
    select
        members.snapshot_date,
        members.agency_code,
        members.published_agency,
        members.offender_status,
        charges.docket_number,
        charges.charge_seq,
        charges.court_miss_reason
    from members
    inner join charges
        on members.agency_code = charges.agency_code
        and members.placement_id = charges.placement_id
)

select * from final
