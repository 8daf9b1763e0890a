{# sentenced_charges cells (public-api.md): people with at least one charge,
   charges and convictions, by snapshot, agency, offense type and sub-type
   and severity; then suppression (R9) on the people count. #}
{%- set dimensions = ['snapshot_date', 'agency', 'offense_type', 'offense_subtype', 'offense_severity'] -%}
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
        {%- for dimension in dimensions[1:] %}
        coalesce({{ dimension }}, 'All') as {{ dimension }},
        {%- endfor %}
        count(distinct sid) as record_count,
        count(*) as charge_count,
        count(*) filter (where is_conviction) as conviction_count
    from prepared
    group by {{ breakdown_grouping_sets(
        fixed=['snapshot_day'],
        optional=['agency'],
        breakdowns=[[['offense_type'], ['offense_type', 'offense_subtype']], 'offense_severity']
    ) }}
),

cells as (
    select
        *,
        hash({{ dimensions | join(', ') }}) as cell_id,
        concat_ws('|', {{ dimensions | join(', ') }}) as cell_order
    from aggregated
),

{{ suppression_passes('people', 'record_count', 'record_count between 1 and 4', dimensions,
    hierarchies=[['offense_type', 'offense_subtype']], fixed=['snapshot_date']) }},

final as (
    select
        cells.* exclude (cell_id, cell_order),
        people_withheld.is_withheld,
        case
            when cells.record_count between 1 and 4 then 'primary'
            when people_withheld.is_withheld then 'complementary'
        end as suppression
    from cells
    inner join people_withheld on cells.cell_id = people_withheld.cell_id
)

select * from final
