{# Complementary suppression (R9), as CTEs to place in a model's WITH list.
   Starting from the cells withheld by `withheld` (primary suppression),
   each pass looks for relations (see disclosure_relations) that hold
   exactly one withheld value (so it could be recovered as total minus
   parts), or whose published total sits over a small withheld part with
   too little room beside it (the withheld parts together exceed their
   least possible values, `lower` each, by less than 3: with 19 published
   as the total and 15 in published parts, four withheld parts of one
   person each would be pinned at 1, and a part of 2 beside one of 3 could
   not be 4), and withholds, in each, the published member with the
   smallest count (ties broken by the cell's dimensions, so runs are
   reproducible).
   Withheld cells only accumulate, so a relation can only become exposed
   when one of its cells was withheld in the pass before: each pass looks
   at those relations only, and only the (few) complementary cells are
   carried from pass to pass, which keeps later passes small. Passes repeat
   a fixed number of times; the disclosure audit test proves the result.
   Needs a CTE (default `cells`) with cell_id, cell_order (text), the
   dimension columns and the count column. The relations come from the
   dimensions, or from `members`, a CTE of (relation_key, cell_id,
   is_total) for relations spanning several tables. Ends with CTE `<prefix>_withheld`
   (cell_id, is_withheld) over every cell. #}
{% macro suppression_passes(prefix, count_column, withheld, dimensions=[], hierarchies=[], fixed=[], passes=40,
    cells='cells', members=none, lower=1) %}
{#- every pass renders the same SQL; sqlfluff's context (.sqlfluff) asks for
    two, because parsing forty takes minutes per model -#}
{%- set passes = lint_suppression_passes | default(passes) -%}
{{ prefix }}_ranked as materialized (
    select
        cell_id,
        row_number() over (order by {{ count_column }}, cell_order) as cell_rank,
        {{ count_column }} - {{ lower }} as cell_room,
        coalesce({{ withheld }}, false) as is_primary
    from {{ cells }}
),

{{ prefix }}_members as materialized (
    select
        members.relation_key,
        members.cell_id,
        members.is_total,
        ranked.cell_rank,
        ranked.cell_room,
        ranked.is_primary
    from (
        {%- if members %}
        select
            relation_key,
            cell_id,
            is_total
        from {{ members }}
        {%- else %}
        {{ disclosure_relation_members(cells, dimensions, hierarchies, fixed) | indent(8) }}
        {%- endif %}
    ) as members
    inner join {{ prefix }}_ranked as ranked on members.cell_id = ranked.cell_id
),

{{ prefix }}_fresh_0 as materialized (
    select cell_id from {{ prefix }}_ranked
    where is_primary
),

{# complementary cells withheld so far (primary ones are flagged in members) #}
{{ prefix }}_later_1 as materialized (
    select cell_id from {{ prefix }}_ranked
    where false
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
        members.is_total,
        members.cell_rank,
        members.cell_room,
        members.is_primary,
        members.is_primary or later.cell_id is not null as is_withheld
    from {{ prefix }}_members as members
    inner join {{ prefix }}_touched_{{ pass }} as touched on members.relation_key = touched.relation_key
    left join {{ prefix }}_later_{{ pass }} as later on members.cell_id = later.cell_id
),

{{ prefix }}_fresh_{{ pass }} as materialized (
    select distinct arg_min(state.cell_id, state.cell_rank) as cell_id
    from {{ prefix }}_state_{{ pass }} as state
    where not state.is_withheld
        and state.relation_key in (
            select relation_key from {{ prefix }}_state_{{ pass }}
            group by relation_key
            having
                count(*) filter (where is_withheld) = 1
                or (
                    count(*) filter (where is_total and not is_withheld) = 1
                    and count(*) filter (where is_primary and not is_total) >= 1
                    and coalesce(sum(cell_room) filter (where is_withheld and not is_total), 0)
                    < {{ var('small_count_max') }} - 1
                )
        )
    group by state.relation_key
),

{{ prefix }}_later_{{ pass + 1 }} as materialized (
    select cell_id from {{ prefix }}_later_{{ pass }}
    union all
    select cell_id from {{ prefix }}_fresh_{{ pass }}
    where cell_id not in (select cell_id from {{ prefix }}_later_{{ pass }})
),
{% endfor %}
{{ prefix }}_withheld as (
    select
        ranked.cell_id,
        ranked.is_primary or later.cell_id is not null as is_withheld
    from {{ prefix }}_ranked as ranked
    left join {{ prefix }}_later_{{ passes + 1 }} as later on ranked.cell_id = later.cell_id
)
{%- endmacro %}
