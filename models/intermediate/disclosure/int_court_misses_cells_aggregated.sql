{# court_misses cells: charges of the placements counted on each snapshot
   date that the court data lacks (R5), by agency (and All) and reason,
   before disclosure control (int_court_misses_suppressed). #}
with

misses as (
    select * from {{ ref('int_court_misses_listed') }}
),

prepared as (
    select
        strftime(snapshot_date, '%Y-%m-%d') as snapshot_day,
        published_agency as agency,
        court_miss_reason as reason
    from misses
),

aggregated as (
    select
        snapshot_day as snapshot_date,
        {{- all_label(breakdown_dimensions('court_misses')) | indent(4) }}
        count(*) as record_count
    from prepared
    group by {{ published_grouping_sets('court_misses', fixed_as={'snapshot_date': 'snapshot_day'}) }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
