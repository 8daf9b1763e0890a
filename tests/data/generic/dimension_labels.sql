{# Every label a mart publishes in a dimension column is one the
   dimension_labels var (dbt_project.yml) allows: a value of its seed columns,
   a label the models write, or `All` where the published_tables registry
   lets the dimension be totalled. The columns checked are the registry's
   dimensions of the table, or `columns` for a mart outside the registry
   (which has no totals).
   Every seed of the var is read whatever the table, so that dbt knows the
   test's dependencies while parsing. Returns the unexpected labels. #}
{% test dimension_labels(model, columns=none) %}
{%- set labels = var('dimension_labels') -%}
{%- set checked = [] -%}
{%- set totalled = [] -%}
{%- if columns is none -%}
    {%- set entry = published_table(model) -%}
    {%- for column in entry['dimensions'] if column in labels -%}
        {%- do checked.append(column) -%}
        {%- if column not in entry['fixed'] -%}{%- do totalled.append(column) -%}{%- endif -%}
    {%- endfor -%}
{%- else -%}
    {%- for column in columns if column in labels -%}{%- do checked.append(column) -%}{%- endfor -%}
{%- endif -%}
with

tested as (
    select * from {{ model }}
),

allowed as (
{%- for field, sources in labels.items() %}
{%- for source in sources['seeds'] %}
    select
        '{{ field }}' as field,
        {{ source['column'] }}::varchar as label
    from {{ ref(source['seed']) }}
    {%- if source.get('where') %}
    where {{ source['where'] }}
    {%- endif %}
    union all
{%- endfor %}
{%- for label in sources.get('written', []) %}
    select
        '{{ field }}' as field,
        '{{ label }}' as label
    union all
{%- endfor %}
{%- endfor %}
    select
        null as field,
        null as label
    where false
),

unexpected as (
{%- for column in checked %}
    select
        '{{ column }}' as column_name,
        tested.{{ column }}::varchar as unexpected_value
    from tested
    left join allowed
        on allowed.field = '{{ column }}' and tested.{{ column }} = allowed.label
    where tested.{{ column }} is not null and allowed.label is null
    {%- if column in totalled %}
        and tested.{{ column }} <> 'All'
    {%- endif %}
    union all
{%- endfor %}
    select
        null as column_name,
        null as unexpected_value
    where false
),

final as (
    select distinct * from unexpected
)

select * from final
{% endtest %}
