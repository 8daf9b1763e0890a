{# The API's `All` convention: a dimension that a grouping set does not break
   down comes out of GROUPING SETS as null and is published as 'All'.
   Emits one column per dimension, each followed by a comma. #}
{% macro all_label(dimensions) -%}
    {%- for dimension in dimensions %}
    coalesce({{ dimension }}, 'All') as {{ dimension }},
    {%- endfor %}
{%- endmacro %}
