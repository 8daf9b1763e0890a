{# What the disclosure audit looks for in a published table (R9); returns
   one row per violation, so an empty result means the table is safe:
   - a complete additive relation with exactly one withheld value,
   - a metric published on a withheld row,
   - a count of 1 to 4 published.
   `withheld` says when the audited column is withheld on a row (by default
   the row's suppressed flag). #}
{% macro disclosure_violations(table, dimensions, hierarchies=[], fixed=[], count_column='record_count',
    metric_columns=[], withheld='suppressed = 1') %}
with

audited as (
    select
        hash({{ dimensions | join(', ') }}) as cell_id,
        *
    from {{ table }}
),

members as (
    {{ disclosure_relation_members('audited', dimensions, hierarchies, fixed) | indent(4) }}
),

exposed_relations as (
    select
        'relation with exactly one withheld value' as violation,
        members.relation_key::varchar as detail
    from members
    inner join audited on members.cell_id = audited.cell_id
    group by members.relation_key
    having count(*) filter (where {{ withheld }}) = 1
),

metrics_on_withheld as (
    select
        'metric published on a withheld row' as violation,
        audited.cell_id::varchar as detail
    from audited
    where ({{ withheld }})
        and ({{ count_column }} is not null
        {%- for metric in metric_columns %} or {{ metric }} is not null{% endfor %})
),

small_counts as (
    select
        'count of 1 to 4 published' as violation,
        audited.cell_id::varchar as detail
    from audited
    where {{ count_column }} between 1 and 4
),

final as (
    select * from exposed_relations
    union all
    select * from metrics_on_withheld
    union all
    select * from small_counts
)

select * from final
{%- endmacro %}
