{# R9 audit of the rows of a public table: fails with one row per violation
   (see the disclosure_violations macro). The dimensions and the counting
   column come from the table's entry in the published_tables registry
   (dbt_project.yml). The figures checked on a withheld row are, unless
   given, every column but the dimensions and the suppressed flag: a
   withheld row shows no figure at all. #}
{% test disclosure_audit(model, count_column=none, metric_columns=none, withheld='suppressed = 1') %}
{%- set entry = published_table(model) -%}
{%- set count_column = count_column or entry['count'] -%}
{%- if metric_columns is none -%}
    {%- set metric_columns = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(model) -%}
            {%- if column.name not in entry['dimensions'] + [count_column, 'suppressed'] -%}
                {%- do metric_columns.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endif -%}
{{ disclosure_violations(model, entry['dimensions'], count_column, metric_columns, withheld) }}
{% endtest %}
