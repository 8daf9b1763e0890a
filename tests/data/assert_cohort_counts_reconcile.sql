{# On every snapshot date, the placements active that day (counted afresh
   from the linked and the quarantined placements) equal the cohort members
   plus the excluded placements. Returns the dates that do not add up. #}
with

snapshots as (
    select * from {{ ref('int_snapshots_enumerated') }}
),

placements as (
    select
        admission_date,
        release_date
    from {{ ref('int_placements_linked') }}
    union all
    select
        admission_date,
        release_date
    from {{ ref('int_placements_quarantined') }}
    where
        admission_date is not null
        and (release_date is null or release_date >= admission_date)
),

members as (
    select
        snapshot_date,
        count(*) as member_count
    from {{ ref('int_cohort_members_selected') }}
    group by snapshot_date
),

exclusions as (
    select
        snapshot_date,
        count(*) as exclusion_count
    from {{ ref('int_snapshot_placements_classified') }}
    where cohort_exclusion_reason is not null
    group by snapshot_date
),

active as (
    select
        snapshots.snapshot_date,
        count(placements.admission_date) as active_count
    from snapshots
    left join placements
        on snapshots.snapshot_date >= placements.admission_date
        and (placements.release_date is null or snapshots.snapshot_date <= placements.release_date)
    group by snapshots.snapshot_date
),

final as (
    select
        active.snapshot_date,
        active.active_count,
        coalesce(members.member_count, 0) as member_count,
        coalesce(exclusions.exclusion_count, 0) as exclusion_count
    from active
    left join members on active.snapshot_date = members.snapshot_date
    left join exclusions on active.snapshot_date = exclusions.snapshot_date
    where
        active.active_count
        <> coalesce(members.member_count, 0) + coalesce(exclusions.exclusion_count, 0)
)

select * from final
