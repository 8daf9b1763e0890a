{# recidivism cells (public-api.md, R8): released people of each release
   cohort and those who recidivated, by follow-up window and measure,
   before disclosure control (int_recidivism_suppressed). #}
with

outcomes as (
    select * from {{ ref('int_release_outcomes_measured') }}
),

prepared as (
    select
        *,
        published_agency as agency
    from outcomes
),

aggregated as (
    select
        release_year,
        followup_years,
        measure,
        {{- all_label(breakdown_dimensions('recidivism')) | indent(4) }}
        count(*) as released,
        count(*) filter (where is_recidivated) as recidivated
    from prepared
    group by {{ published_grouping_sets('recidivism') }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
