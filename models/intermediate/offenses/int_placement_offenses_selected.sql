{# R5: the one offense that describes a placement.
   Sentenced (parole violators included): the IMS charge flagged governing;
   without a flag, among the charges that ended in a sentence of
   incarceration, the earliest-filed docket (ties: lowest docket number) and
   on it the lowest charge number; no such charge gives Unknown.
   Pretrial: the first felony by docket filing date, docket number, charge
   number, else the first misdemeanor in that order. A charge whose severity
   is unknown (statute missing from the court data and from the seed) is
   only used when the placement has no felony and no misdemeanor. #}
with

members as (
    select * from {{ ref('int_cohort_members_selected') }}
),

charges as (
    select * from {{ ref('int_placement_charges_joined') }}
),

placements as (
    {# the placements counted in a cohort: the only offenses published #}
    select distinct
        agency_code,
        placement_id,
        offender_status
    from members
),

candidates as (
    select
        placements.agency_code,
        placements.placement_id,
        charges.docket_number,
        charges.charge_seq,
        charges.offense_type,
        charges.offense_subtype,
        charges.offense_severity,
        row_number() over (
            partition by placements.agency_code, placements.placement_id
            order by
                case
                    when placements.offender_status = 'Sentenced' then (not charges.is_governing)::integer
                    when charges.offense_severity = 'Felony' then 0
                    when charges.offense_severity = 'Misdemeanor' then 1
                    else 2
                end,
                charges.filing_date asc nulls last,
                charges.docket_number asc,
                charges.charge_seq asc
        ) as charge_rank
    from placements
    inner join charges
        on placements.agency_code = charges.agency_code
        and placements.placement_id = charges.placement_id
    where
        placements.offender_status = 'Pretrial'
        or charges.is_governing
        or charges.is_incarceration_sentence
),

selected as (
    select * from candidates
    where charge_rank = 1
),

final as (
    select
        placements.agency_code,
        placements.placement_id,
        selected.docket_number,
        selected.charge_seq,
        coalesce(selected.offense_type, 'Unknown') as offense_type,
        coalesce(selected.offense_subtype, 'Unknown') as offense_subtype,
        coalesce(selected.offense_severity, 'Unknown') as offense_severity
    from placements
    left join selected
        on placements.agency_code = selected.agency_code
        and placements.placement_id = selected.placement_id
)

select * from final
