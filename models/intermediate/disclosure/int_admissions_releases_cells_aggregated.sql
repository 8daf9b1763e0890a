{# admissions_releases cells (public-api.md, R7): events by year (and month),
   agency, offender status, event type and demographics at the event,
   before disclosure control (int_admissions_releases_suppressed). #}
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
        {{- all_label(breakdown_dimensions('admissions_releases')) | indent(4) }}
        count(*) as record_count
    from prepared
    group by {{ published_grouping_sets('admissions_releases') }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
