{# recidivism cells (public-api.md, R8): released people of each release
   cohort and those who recidivated, by follow-up window and measure,
   before disclosure control (int_recidivism_suppressed). #}
{%- set dimensions = ['release_year', 'followup_years', 'measure', 'agency', 'age_group', 'assigned_sex',
    'gender_identity', 'race', 'ethnicity'] -%}
{%- set fixed = ['release_year', 'followup_years', 'measure'] -%}
{%- set grouping_sets = breakdown_grouping_sets(
    fixed=fixed,
    optional=['agency'],
    breakdowns=['age_group', 'assigned_sex', 'gender_identity', 'race', 'ethnicity']
) -%}
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
        {{- all_label(dimensions[3:]) | indent(4) }}
        count(*) as released,
        count(*) filter (where is_recidivated) as recidivated
    from prepared
    group by {{ grouping_sets }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
