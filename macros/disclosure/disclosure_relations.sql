{# The additive relations of a published table (R9): a row with one
   dimension at 'All' and the rows that break it down along that dimension,
   every other dimension equal. A hierarchy (offense type -> sub-type) gives
   two relations: types under the all-offenses row (sub-type at All), and
   sub-types under their type's row.
   Each relation: name, key (columns equal within the relation), members (a
   filter on the rows that take part) and parent (the filter of its total).
   Fixed dimensions (never 'All', like the snapshot date) only partition. #}
{% macro disclosure_relations(dimensions, hierarchies=[], fixed=[]) %}
    {%- set relations = [] -%}
    {%- set in_hierarchy = [] -%}
    {%- for parent_dim, child_dim in hierarchies -%}
        {%- do in_hierarchy.extend([parent_dim, child_dim]) -%}
        {%- do relations.append({
            'name': parent_dim,
            'key': dimensions | reject('in', [parent_dim, child_dim]) | list,
            'members': child_dim ~ " = 'All'",
            'parent': parent_dim ~ " = 'All'"}) -%}
        {%- do relations.append({
            'name': child_dim,
            'key': dimensions | reject('equalto', child_dim) | list,
            'members': parent_dim ~ " <> 'All'",
            'parent': child_dim ~ " = 'All'"}) -%}
    {%- endfor -%}
    {%- for dimension in dimensions if dimension not in in_hierarchy and dimension not in fixed -%}
        {%- do relations.append({
            'name': dimension,
            'key': dimensions | reject('equalto', dimension) | list,
            'members': 'true',
            'parent': dimension ~ " = 'All'"}) -%}
    {%- endfor -%}
    {{ return(relations) }}
{% endmacro %}

{# One row per (relation, member cell) for the relations that are complete:
   a total and at least one part. cell_id identifies the row. #}
{% macro disclosure_relation_members(cells, dimensions, hierarchies=[], fixed=[]) %}
    with

    memberships as materialized (
        {%- for relation in disclosure_relations(dimensions, hierarchies, fixed) %}
        select
            hash('{{ relation.name }}', {{ relation.key | join(', ') }}) as relation_key,
            cell_id,
            {{ relation.parent }} as is_total
        from {{ cells }}
        where {{ relation.members }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ),

    complete_relations as (
        select relation_key
        from memberships
        group by relation_key
        having count(*) filter (where is_total) = 1 and count(*) filter (where not is_total) >= 1
    )

    select
        memberships.relation_key,
        memberships.cell_id,
        memberships.is_total
    from memberships
    inner join complete_relations on memberships.relation_key = complete_relations.relation_key
{%- endmacro %}
