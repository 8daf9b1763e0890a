{# sentenced_charges cells (public-api.md): people with at least one charge,
   charges and convictions, by snapshot, agency, offense type and sub-type
   and severity, before disclosure control (int_sentenced_charges_suppressed). #}
{%- set dimensions = ['snapshot_date', 'agency', 'offense_type', 'offense_subtype', 'offense_severity'] -%}
{%- set grouping_sets = breakdown_grouping_sets(
    fixed=['snapshot_day'],
    optional=['agency'],
    breakdowns=[[['offense_type'], ['offense_type', 'offense_subtype']], 'offense_severity']
) -%}
with

charges as (
    select * from {{ ref('int_cohort_charges_listed') }}
),

prepared as (
    select
        *,
        published_agency as agency,
        strftime(snapshot_date, '%Y-%m-%d') as snapshot_day
    from charges
),

aggregated as (
    select
        snapshot_day as snapshot_date,
        {{- all_label(dimensions[1:]) | indent(4) }}
        count(distinct sid) as record_count,
        count(*) as charge_count,
        count(*) filter (where is_conviction) as conviction_count
    from prepared
    group by {{ grouping_sets }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
