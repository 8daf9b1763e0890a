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
