{# Every non-null value is at least min_value. #}
{% test accepted_range_or_null(model, column_name, min_value) %}
select * from {{ model }}
where {{ column_name }} is not null and {{ column_name }} < {{ min_value }}
{% endtest %}
