{# recidivism cells (public-api.md, R8) with R9: a cell of 1 to 4 released
   people is withheld whole; recidivated and the rate are also withheld when
   recidivated or released minus recidivated is 1 to 4. Both released and
   recidivated are additive, so complementary suppression runs on each:
   first on released (whole rows), then on recidivated. #}
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

{{ disclosure_controlled('aggregated', dimensions, count_column='released', fixed=fixed) }},

outcome_cells as (
    select
        *,
        hash({{ dimensions | join(', ') }}) as cell_id,
        concat_ws('|', {{ dimensions | join(', ') }}) as cell_order
    from controlled
),

{{ suppression_passes('outcomes', 'recidivated',
    'is_withheld or recidivated between 1 and 4 or released - recidivated between 1 and 4',
    dimensions, fixed=fixed, cells='outcome_cells', lower=0) }},

final as (
    select
        outcome_cells.* exclude (cell_id, cell_order),
        outcomes_withheld.is_withheld as is_outcome_withheld
    from outcome_cells
    inner join outcomes_withheld on outcome_cells.cell_id = outcomes_withheld.cell_id
)

select * from final
