{# The entry of the published_tables registry (dbt_project.yml) for the
   public table behind a generic test's `model`. dbt renders a test once
   while parsing, before `model` names the real table; an empty entry
   serves then. A table missing from the registry stops the run. #}
{% macro published_table(model) %}
    {%- if not execute -%}
        {{ return({'dimensions': ['null'], 'fixed': [], 'count': 'null'}) }}
    {%- endif -%}
    {%- set registry = var('published_tables') -%}
    {%- if model.identifier not in registry -%}
        {{ exceptions.raise_compiler_error(
            model.identifier ~ " is not in the published_tables var of dbt_project.yml: add its entry"
            ~ " (dimensions, fixed, count, measures); for unique_combination or dimension_labels on a"
            ~ " table outside the registry, pass the test its columns") }}
    {%- endif -%}
    {{ return(registry[model.identifier]) }}
{% endmacro %}

{# A public table's dimension columns for a select list, in the registry's
   order (the published column order). #}
{% macro published_dimensions(table) -%}
    {{ var('published_tables')[table]['dimensions'] | join(',\n        ') }}
{%- endmacro %}
