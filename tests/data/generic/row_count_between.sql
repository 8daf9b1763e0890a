{# The model holds between min_rows and max_rows rows. #}
{% test row_count_between(model, min_rows, max_rows) %}
with

counted as (
    select count(*) as row_count from {{ model }}
),

final as (
    select * from counted
    where row_count < {{ min_rows }} or row_count > {{ max_rows }}
)

select * from final
{% endtest %}
