{# R2: every placement active on a snapshot date (admission_date <= date <=
   release_date, an open placement being still active), with the reason it
   is left out of the cohort, or none. Exclusions are decided per placement
   so that, on each date, active placements = cohort members + exclusions. #}
with

snapshots as (
    select * from {{ ref('int_snapshots_enumerated') }}
),

placements as (
    select * from {{ ref('int_placements_linked') }}
),

quarantined_placements as (
    select * from {{ ref('int_placements_quarantined') }}
),

agencies as (
    select * from {{ ref('agencies') }}
),

active as (
    select
        snapshots.snapshot_date,
        placements.*,
        {{ age_in_years('placements.date_of_birth', 'snapshots.snapshot_date') }} as age
    from snapshots
    inner join placements
        on snapshots.snapshot_date >= placements.admission_date
        and (placements.release_date is null or snapshots.snapshot_date <= placements.release_date)
),

classified as (
    select
        *,
        case
            when not is_linkable then 'Unlinkable'
            when exclusion_reason is not null then exclusion_reason
            when age < 18 then 'Juvenile'
        end as cohort_exclusion_reason
    from active
),

ranked as (
    {# one row per person: latest admission, then Sentenced over Pretrial,
       then DOC over the sheriffs, then agency code #}
    select
        *,
        row_number() over (
            partition by snapshot_date, sid
            order by
                admission_date desc,
                offender_status = 'Sentenced' desc,
                is_state_agency desc,
                agency_code asc,
                placement_id asc
        ) as person_placement_rank
    from classified
    where cohort_exclusion_reason is null
),

eligible as (
    select
        * exclude (cohort_exclusion_reason, person_placement_rank),
        case when person_placement_rank > 1 then 'Duplicate placement' end as cohort_exclusion_reason
    from ranked
),

excluded as (
    select * from classified
    where cohort_exclusion_reason is not null
),

active_quarantined as (
    {# rows that failed staging but whose dates still say they were active #}
    select
        snapshots.snapshot_date,
        quarantined_placements.agency_code,
        agencies.published_agency,
        quarantined_placements.placement_id,
        'Quarantined' as cohort_exclusion_reason
    from snapshots
    inner join quarantined_placements
        on snapshots.snapshot_date >= quarantined_placements.admission_date
        and (
            quarantined_placements.release_date is null
            or snapshots.snapshot_date <= quarantined_placements.release_date
        )
        and (
            quarantined_placements.release_date is null
            or quarantined_placements.release_date >= quarantined_placements.admission_date
        )
    inner join agencies on quarantined_placements.agency_code = agencies.agency_code
),

final as (
    select * from eligible
    union all by name
    select * from excluded
    union all by name
    select * from active_quarantined
)

select * from final
