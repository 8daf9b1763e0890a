{# Complementary suppression (R9), as CTEs to place in a model's WITH list.
   Starting from the cells withheld by `withheld` (primary suppression),
   each pass looks for relations (see disclosure_relations) that hold
   exactly one withheld value (so it could be recovered as total minus
   parts) and withholds, in each, the published member with the smallest
   count (ties broken by the cell's dimensions, so runs are reproducible).
   Withheld cells only accumulate, so a relation can only become exposed
   when one of its cells was withheld in the pass before: each pass looks
   at those relations only, which keeps later passes small. Passes repeat
   a fixed number of times; the disclosure audit test proves the result.
   Needs a CTE (default `cells`) with cell_id, cell_order (text), the
   dimension columns and the count column. Ends with CTE `<prefix>_withheld`
   (cell_id, is_withheld) over every cell. #}
{% macro suppression_passes(prefix, count_column, withheld, dimensions, hierarchies=[], fixed=[], passes=40,
    cells='cells') %}
{{ prefix }}_members as materialized (
    {{ disclosure_relation_members(cells, dimensions, hierarchies, fixed) | indent(4) }}
),

{{ prefix }}_ranked as materialized (
    select
        cell_id,
        row_number() over (order by {{ count_column }}, cell_order) as cell_rank,
        coalesce({{ withheld }}, false) as is_primary
    from {{ cells }}
),

{{ prefix }}_fresh_0 as materialized (
    select cell_id from {{ prefix }}_ranked
    where is_primary
),

{{ prefix }}_withheld_0 as materialized (
    select cell_id from {{ prefix }}_fresh_0
),
{% for pass in range(1, passes + 1) %}
{{ prefix }}_touched_{{ pass }} as materialized (
    select distinct members.relation_key
    from {{ prefix }}_members as members
    inner join {{ prefix }}_fresh_{{ pass - 1 }} as fresh on members.cell_id = fresh.cell_id
),

{{ prefix }}_state_{{ pass }} as materialized (
    select
        members.relation_key,
        members.cell_id,
        withheld.cell_id is not null as is_withheld
    from {{ prefix }}_members as members
    inner join {{ prefix }}_touched_{{ pass }} as touched on members.relation_key = touched.relation_key
    left join {{ prefix }}_withheld_{{ pass - 1 }} as withheld on members.cell_id = withheld.cell_id
),

{{ prefix }}_fresh_{{ pass }} as materialized (
    select distinct arg_min(state.cell_id, ranked.cell_rank) as cell_id
    from {{ prefix }}_state_{{ pass }} as state
    inner join {{ prefix }}_ranked as ranked on state.cell_id = ranked.cell_id
    where not state.is_withheld
        and state.relation_key in (
            select relation_key from {{ prefix }}_state_{{ pass }}
            group by relation_key
            having count(*) filter (where is_withheld) = 1
        )
    group by state.relation_key
),

{{ prefix }}_withheld_{{ pass }} as materialized (
    select cell_id from {{ prefix }}_withheld_{{ pass - 1 }}
    union all
    select cell_id from {{ prefix }}_fresh_{{ pass }}
    where cell_id not in (select cell_id from {{ prefix }}_withheld_{{ pass - 1 }})
),
{% endfor %}
{{ prefix }}_withheld as (
    select
        ranked.cell_id,
        withheld.cell_id is not null as is_withheld
    from {{ prefix }}_ranked as ranked
    left join {{ prefix }}_withheld_{{ passes }} as withheld on ranked.cell_id = withheld.cell_id
)
{%- endmacro %}
