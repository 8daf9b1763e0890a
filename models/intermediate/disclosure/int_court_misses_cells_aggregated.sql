{# court_misses cells: charges of the placements counted on each snapshot
   date that the court data lacks (R5), by agency (and All) and reason,
   before disclosure control (int_court_misses_suppressed). #}
{%- set dimensions = ['snapshot_date', 'agency', 'reason'] -%}
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
