{# admissions_releases cells (public-api.md, R7): events by year (and month),
   agency, offender status, event type and demographics at the event,
   before disclosure control (int_admissions_releases_suppressed). #}
{%- set dimensions = ['event', 'event_year', 'event_month', 'agency', 'offender_status', 'event_type',
    'age_group', 'assigned_sex', 'race', 'ethnicity'] -%}
{%- set grouping_sets = breakdown_grouping_sets(
    fixed=['event', 'event_year'],
    optional=['agency'],
    breakdowns=['event_month', 'offender_status', 'event_type', 'age_group', 'assigned_sex', 'race', 'ethnicity']
) -%}
with

events as (
    select * from {{ ref('int_custody_events_listed') }}
    where exclusion_reason is null
),

prepared as (
    select
        *,
        published_agency as agency,
        year(event_date) as event_year,
        strftime(event_date, '%m') as event_month
    from events
),

aggregated as (
    select
        event,
        event_year,
        {{- all_label(dimensions[2:]) | indent(4) }}
        count(*) as record_count
    from prepared
    group by {{ grouping_sets }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
