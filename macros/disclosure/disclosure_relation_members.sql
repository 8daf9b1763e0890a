{# One row per (relation, member cell) for the relations that are complete:
   a total and at least one part. cell_id identifies the row.
   (Kept apart from disclosure_relations: sqlfluff emulates dbt's return()
   only for a macro called from another file.) #}
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
