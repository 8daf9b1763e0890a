{# Use the folder's schema name as given (staging, intermediate, marts,
   reference) instead of dbt's default <target>_<custom> prefixing: the
   publish step and the tests address these schemas by name. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
