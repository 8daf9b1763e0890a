{# cohort_exclusions cells: placements active on a snapshot date but left
   out of the cohort, by agency (and All) and reason (R2), before disclosure
   control (int_cohort_exclusions_suppressed). #}
{%- set dimensions = ['snapshot_date', 'agency', 'reason'] -%}
with

classified as (
    select * from {{ ref('int_snapshot_placements_classified') }}
    where cohort_exclusion_reason is not null
),

prepared as (
    select
        strftime(snapshot_date, '%Y-%m-%d') as snapshot_day,
        published_agency as agency,
        cohort_exclusion_reason as reason
    from classified
),

aggregated as (
    select
        snapshot_day as snapshot_date,
        {{- all_label(['agency', 'reason']) | indent(4) }}
        count(*) as record_count
    from prepared
    group by grouping sets ((snapshot_day, agency, reason), (snapshot_day, reason),  -- noqa: PRS
        (snapshot_day, agency), (snapshot_day))
),

final as (
    select * from aggregated
)

select * from final
