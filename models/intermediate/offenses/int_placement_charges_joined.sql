{# R5: a placement's charges joined to the court's charges on (canonical
   docket number, charge number), for the placements counted in a cohort
   (the only ones whose offense is published; a tenth of all placements). A charge missing from the court data keeps
   the custody-side statute and takes its severity from the statute seed;
   the misses are flagged for the data-quality output. #}
with

placement_charges as (
    select * from {{ ref('int_placement_charges_unioned') }}
),

members as (
    select * from {{ ref('int_cohort_members_selected') }}
),

counted_placements as (
    select distinct
        agency_code,
        placement_id
    from members
),

counted_charges as (
    select placement_charges.*
    from placement_charges
    inner join counted_placements
        on placement_charges.agency_code = counted_placements.agency_code
        and placement_charges.placement_id = counted_placements.placement_id
),

court_charges as (
    select * from {{ ref('stg_court__charges') }}
    where quarantine_reason is null
),

dockets as (
    select * from {{ ref('stg_court__dockets') }}
    where quarantine_reason is null
),

statutes as (
    select * from {{ ref('int_statutes_classified') }}
),

joined as (
    select
        placement_charges.agency_code,
        placement_charges.record_system,
        placement_charges.placement_id,
        placement_charges.docket_number,
        placement_charges.charge_seq,
        placement_charges.is_governing,
        dockets.filing_date,
        dockets.docket_number is not null as is_docket_in_court_data,
        court_charges.charge_number is not null as is_charge_in_court_data,
        {# the data-quality output counts the misses by this reason (court_misses) #}
        case
            when dockets.docket_number is null then 'Docket missing'
            when court_charges.charge_number is null then 'Charge missing on the docket'
        end as court_miss_reason,
        coalesce(court_charges.statute, placement_charges.statute) as statute,
        court_charges.offense_severity as court_severity,
        coalesce(court_charges.is_conviction, false) as is_conviction,
        coalesce(court_charges.is_incarceration_sentence, false) as is_incarceration_sentence
    from counted_charges as placement_charges
    left join dockets on placement_charges.docket_number = dockets.docket_number
    left join court_charges
        on placement_charges.docket_number = court_charges.docket_number
        and placement_charges.charge_seq = court_charges.charge_number
),

final as (
    select
        joined.* exclude (court_severity),
        statutes.offense_type,
        statutes.offense_subtype,
        coalesce(joined.court_severity, statutes.default_severity, 'Unknown') as offense_severity
    from joined
    inner join statutes on joined.statute = statutes.statute
)

select * from final
