{# Accepted values fed from a seed: every non-null value of the column must
   appear in the seed's column (optionally a filtered part of the seed), so
   the list of allowed labels lives in one place. #}
{% test values_in_seed(model, column_name, seed, seed_column, seed_where=none) %}
    
with

tested as (
    select * from {{ model }}
),

allowed as (
    select distinct {{ seed_column }} as allowed_value
    from {{ ref(seed) }}
{% if seed_where %}where {{ seed_where }}{% endif %}
),

final as (
    select tested.{{ column_name }} as unexpected_value
    from tested
    left join allowed on tested.{{ column_name }} = allowed.allowed_value
    where tested.{{ column_name }} is not null
        and allowed.allowed_value is null
)

select * from final
{% endtest %}
