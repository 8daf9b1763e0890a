{# Complementary suppression (R9), as CTEs to place in a model's WITH list.
   Starting from the cells withheld by `withheld` (primary suppression),
   each pass looks for relations (see disclosure_relations) that hold
   exactly one withheld value (so it could be recovered as total minus
   parts) and withholds, in each, the published member with the smallest
   count (ties broken by the cell's dimensions, so runs are reproducible).
   Passes repeat a fixed number of times; the disclosure audit test proves
   the last pass is stable.
   Needs a CTE (default `cells`) with cell_id, cell_order (text), the
   dimension columns and the count column. Ends with CTE `<prefix>_withheld`
   (cell_id, is_withheld). #}
{% macro suppression_passes(prefix, count_column, withheld, dimensions, hierarchies=[], fixed=[], passes=40, cells='cells') %}
{{ prefix }}_members as materialized (
    {{ disclosure_relation_members(cells, dimensions, hierarchies, fixed) | indent(4) }}
),

{{ prefix }}_pass_0 as (
    select
        cell_id,
        cell_order,
        {{ count_column }} as cell_count,
        coalesce({{ withheld }}, false) as is_withheld
    from {{ cells }}
),
{% for pass in range(1, passes + 1) %}
{{ prefix }}_exposed_{{ pass }} as (
    select members.relation_key
    from {{ prefix }}_members as members
    inner join {{ prefix }}_pass_{{ pass - 1 }} as state on members.cell_id = state.cell_id
    group by members.relation_key
    having count(*) filter (where state.is_withheld) = 1
),

{{ prefix }}_picked_{{ pass }} as (
    select distinct first(state.cell_id order by state.cell_count, state.cell_order) as cell_id
    from {{ prefix }}_members as members
    inner join {{ prefix }}_exposed_{{ pass }} as exposed on members.relation_key = exposed.relation_key
    inner join {{ prefix }}_pass_{{ pass - 1 }} as state on members.cell_id = state.cell_id
    where not state.is_withheld
    group by members.relation_key
),

{{ prefix }}_pass_{{ pass }} as (
    select
        state.cell_id,
        state.cell_order,
        state.cell_count,
        state.is_withheld or picked.cell_id is not null as is_withheld
    from {{ prefix }}_pass_{{ pass - 1 }} as state
    left join {{ prefix }}_picked_{{ pass }} as picked on state.cell_id = picked.cell_id
),
{% endfor %}
{{ prefix }}_withheld as (
    select
        cell_id,
        is_withheld
    from {{ prefix }}_pass_{{ passes }}
)
{%- endmacro %}
