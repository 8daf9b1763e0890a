{# The cost and the proof of disclosure control, per published table:
   cells, withheld cells by kind, the people behind withheld cells
   (information loss), the audit of R9's rules run on the published rows
   (including, for the two custody tables, what they could give away
   together), and what the attacker's audit works out of the withheld
   values when it solves every published relation at once
   (int_published_values_attacked). #}
{%- set tables = [
    {'name': 'custody_population', 'count': 'record_count', 'fixed': ['snapshot_date'], 'hierarchies': [],
     'dimensions': ['snapshot_date', 'agency', 'offender_status', 'age_group', 'assigned_sex', 'gender_identity',
        'race', 'ethnicity']},
    {'name': 'custody_offenses', 'count': 'record_count', 'fixed': ['snapshot_date', 'offender_status'],
     'hierarchies': [['offense_type', 'offense_subtype']],
     'dimensions': ['snapshot_date', 'agency', 'offender_status', 'offense_type', 'offense_subtype',
        'offense_severity', 'age_group', 'assigned_sex', 'race', 'ethnicity']},
    {'name': 'sentenced_charges', 'count': 'record_count', 'fixed': ['snapshot_date'],
     'hierarchies': [['offense_type', 'offense_subtype']],
     'dimensions': ['snapshot_date', 'agency', 'offense_type', 'offense_subtype', 'offense_severity']},
    {'name': 'admissions_releases', 'count': 'record_count', 'fixed': ['event', 'event_year'], 'hierarchies': [],
     'dimensions': ['event', 'event_year', 'event_month', 'agency', 'offender_status', 'event_type', 'age_group',
        'assigned_sex', 'race', 'ethnicity']},
    {'name': 'recidivism', 'count': 'released', 'fixed': ['release_year', 'followup_years', 'measure'],
     'hierarchies': [],
     'dimensions': ['release_year', 'followup_years', 'measure', 'agency', 'age_group', 'assigned_sex',
        'gender_identity', 'race', 'ethnicity']},
    {'name': 'program_enrollments', 'count': 'record_count', 'fixed': ['year'], 'hierarchies': [],
     'dimensions': ['year', 'agency', 'psi_area', 'age_group', 'assigned_sex', 'race', 'ethnicity']},
    {'name': 'program_exits', 'count': 'exits', 'fixed': ['year'], 'hierarchies': [],
     'dimensions': ['year', 'agency', 'psi_area', 'exit_reason']},
    {'name': 'cohort_exclusions', 'count': 'record_count', 'fixed': ['snapshot_date'], 'hierarchies': [],
     'dimensions': ['snapshot_date', 'agency', 'reason']},
    {'name': 'court_misses', 'count': 'record_count', 'fixed': ['snapshot_date'], 'hierarchies': [],
     'dimensions': ['snapshot_date', 'agency', 'reason']},
    {'name': 'unknown_codes', 'count': 'record_count', 'fixed': ['year', 'field'], 'hierarchies': [],
     'dimensions': ['year', 'field', 'source']},
] -%}
with

attacked as (
    select * from {{ ref('int_published_values_attacked') }}
),
{% for table in tables %}
{{ table.name }}_cells as (
    select * from {{ ref('int_' ~ table.name ~ '_suppressed') }}
),

{{ table.name }}_published as (
    select * from {{ ref(table.name) }}
),
{% endfor %}
{# the two custody tables protect each other too (see
   int_custody_cells_suppressed): a violation between them fails both #}
cross_table_violations as (
    select count(*) as violation_count
    from (
        {{ custody_cross_table_violations('custody_population_published', 'custody_offenses_published') | indent(8) }}
    ) as violations
),
{% for table in tables %}
{%- set cross_violations = '(select violation_count from cross_table_violations)'
    if table.name in ['custody_population', 'custody_offenses'] else '0' %}
{{ table.name }}_violations as (
    select count(*) as violation_count
    from (
        {{ disclosure_violations(table.name ~ '_published', table.dimensions, table.hierarchies, table.fixed,
            table.count) | indent(8) }}
    ) as violations
),

{{ table.name }}_audit as (
    select
        '{{ table.name }}' as table_name,
        count(*) as cells,
        count(*) filter (where suppression is not null) as withheld_cells,
        count(*) filter (where suppression = 'primary') as withheld_primary,
        count(*) filter (where suppression = 'complementary') as withheld_complementary,
        sum({{ table.count }})::bigint as people_in_cells,
        coalesce(sum({{ table.count }}) filter (where suppression is not null), 0)::bigint
            as people_in_withheld_cells,
        (select violation_count from {{ table.name }}_violations)
        + {{ cross_violations }} as violations
    from {{ table.name }}_cells
),
{% endfor %}
unioned as (
    {%- for table in tables %}
    select * from {{ table.name }}_audit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        unioned.table_name,
        unioned.cells,
        unioned.withheld_cells,
        unioned.withheld_primary,
        unioned.withheld_complementary,
        unioned.people_in_cells,
        unioned.people_in_withheld_cells,
        round(unioned.people_in_withheld_cells / nullif(unioned.people_in_cells, 0), 4) as information_loss,
        case when unioned.violations = 0 then 'pass' else 'fail' end as audit_result,
        attacked.withheld_values,
        attacked.pinned_values,
        attacked.primary_counts_pinned,
        attacked.primary_values_short,
        case when attacked.primary_values_short = 0 then 'met' else 'not met' end as protection_standard
    from unioned
    left join attacked on unioned.table_name = attacked.table_name
)

select * from final
