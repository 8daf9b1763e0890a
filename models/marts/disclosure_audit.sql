{# The cost and the proof of disclosure control, per published table (the
   registry `published_tables` in dbt_project.yml): the rows of the cube
   published, withheld and left out, the people behind the rows not shown
   (information loss), R9's rules on each published row (and, for the two
   custody tables, the rows they share withheld alike), and what the
   attacker's audit works out of the withheld values when it solves every
   published relation at once (int_published_values_attacked).
   `audit_result` is the gate of the publication: it passes only when the
   rows keep R9 and the protection standard is met. #}
{%- set tables = var('published_tables') -%}
{%- set shared_tables = var('linked_tables')['custody']['tables'] -%}
with

attacked as (
    select * from {{ ref('int_published_values_attacked') }}
),
{% for name, table in tables.items() %}
{{ name }}_cells as (
    select * from {{ ref('int_' ~ name ~ '_suppressed') }}
),

{{ name }}_published as (
    select * from {{ ref(name) }}
),
{% endfor %}
cross_table_violations as (
    select count(*) as violation_count
    from (
        {{ custody_cross_table_violations(shared_tables[0] ~ '_published', shared_tables[1] ~ '_published')
            | indent(8) }}
    ) as violations
),
{% for name, table in tables.items() %}
{%- set cross_violations = '(select violation_count from cross_table_violations)'
    if name in shared_tables else '0' %}
{{ name }}_violations as (
    select count(*) as violation_count
    from (
        {{ disclosure_violations(name ~ '_published', table.dimensions, table.count) | indent(8) }}
    ) as violations
),

{{ name }}_audit as (
    select
        '{{ name }}' as table_name,
        count(*) filter (where not is_omitted) as cells,
        count(*) filter (where is_withheld) as withheld_cells,
        count(*) filter (where suppression = 'primary') as withheld_primary,
        count(*) filter (where suppression = 'complementary') as withheld_complementary,
        count(*) filter (where is_omitted) as left_out_cells,
        sum({{ table.count }})::bigint as people_in_cells,
        coalesce(sum({{ table.count }}) filter (where is_withheld or is_omitted), 0)::bigint
            as people_in_withheld_cells,
        (select violation_count from {{ name }}_violations)
        + {{ cross_violations }} as violations
    from {{ name }}_cells
),
{% endfor %}
unioned as (
    {%- for name in tables %}
    select * from {{ name }}_audit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

checked as (
    select
        unioned.*,
        attacked.withheld_values,
        attacked.pinned_values,
        attacked.primary_counts_pinned,
        attacked.primary_values_short,
        attacked.left_out_small_pinned,
        coalesce(attacked.primary_values_short = 0 and attacked.left_out_small_pinned = 0, false)
            as is_standard_met
    from unioned
    left join attacked on unioned.table_name = attacked.table_name
),

final as (
    select
        table_name,
        cells,
        withheld_cells,
        withheld_primary,
        withheld_complementary,
        left_out_cells,
        people_in_cells,
        people_in_withheld_cells,
        round(people_in_withheld_cells / nullif(people_in_cells, 0), 4) as information_loss,
        case when violations = 0 and is_standard_met then 'pass' else 'fail' end as audit_result,
        withheld_values,
        pinned_values,
        primary_counts_pinned,
        primary_values_short,
        left_out_small_pinned,
        case when is_standard_met then 'met' else 'not met' end as protection_standard
    from checked
)

select * from final
