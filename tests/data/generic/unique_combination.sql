{# No two rows share the same values of the given columns. For a public
   table in the published_tables registry (dbt_project.yml) the columns
   default to its dimensions, so that they are written only there. #}
{% test unique_combination(model, columns=none) %}
{%- set columns = columns or published_table(model)['dimensions'] -%}
with

tested as (
    select * from {{ model }}
),

final as (
    select
        {{ columns | join(', ') }},
        count(*) as copies
    from tested
    group by {{ columns | join(', ') }}
    having count(*) > 1
)

select * from final
{% endtest %}
