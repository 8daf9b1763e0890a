{# The GROUP BY body (grouping sets) of a public table's cells, read from its
   entry in the published_tables registry: its fixed dimensions always, the
   agency with and without, and up to max_breakdowns of the others, an
   offense hierarchy cut at each of its levels (breakdown_grouping_sets).
   `fixed_as` names the column a fixed dimension is grouped by where it is
   not yet the published column (a date grouped as text, say). #}
{% macro published_grouping_sets(table, fixed_as={}) %}
    {%- set entry = var('published_tables')[table] -%}
    {%- set hierarchies = entry.get('hierarchies', []) -%}
    {%- set fixed = [] -%}
    {%- for dimension in entry['fixed'] -%}{%- do fixed.append(fixed_as.get(dimension, dimension)) -%}{%- endfor -%}
    {%- set breakdowns = [] -%}
    {%- for dimension in entry['dimensions'] if dimension not in entry['fixed'] and dimension != 'agency' -%}
        {%- set levels = namespace(of=none, below=false) -%}
        {%- for hierarchy in hierarchies -%}
            {%- if dimension == hierarchy[0] -%}{%- set levels.of = hierarchy -%}{%- endif -%}
            {%- if dimension in hierarchy[1:] -%}{%- set levels.below = true -%}{%- endif -%}
        {%- endfor -%}
        {%- if levels.of is not none -%}
            {%- set cuts = [] -%}
            {%- for depth in range(1, levels.of | length + 1) -%}{%- do cuts.append(levels.of[:depth]) -%}{%- endfor -%}
            {%- do breakdowns.append(cuts) -%}
        {%- elif not levels.below -%}
            {%- do breakdowns.append(dimension) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set optional = ['agency'] if 'agency' in entry['dimensions'] and 'agency' not in entry['fixed'] else [] -%}
    {{ return(breakdown_grouping_sets(fixed=fixed, optional=optional, breakdowns=breakdowns)) }}
{% endmacro %}

{# A public table's dimensions that a row may break down or leave as All:
   all but its fixed ones, in the registry's order. #}
{% macro breakdown_dimensions(table) %}
    {%- set entry = var('published_tables')[table] -%}
    {{ return(entry['dimensions'] | reject('in', entry['fixed']) | list) }}
{% endmacro %}
