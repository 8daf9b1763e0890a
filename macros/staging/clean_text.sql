{# Source-contract rule: codes are matched after trimming spaces and
   upper-casing; an empty or blank field means "not recorded". #}
{% macro clean_code(column) -%}
    nullif(upper(trim({{ column }})), '')
{%- endmacro %}

{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}
