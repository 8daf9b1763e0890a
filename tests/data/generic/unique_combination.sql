{# No two rows share the same values of the given columns. #}
{% test unique_combination(model, columns) %}
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
