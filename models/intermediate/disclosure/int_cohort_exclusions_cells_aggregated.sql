{# cohort_exclusions cells: placements active on a snapshot date but left
   out of the cohort, by agency (and All) and reason (R2), before disclosure
   control (int_cohort_exclusions_suppressed). #}
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
        {{- all_label(breakdown_dimensions('cohort_exclusions')) | indent(4) }}
        count(*) as record_count
    from prepared
    group by {{ published_grouping_sets('cohort_exclusions', fixed_as={'snapshot_date': 'snapshot_day'}) }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
