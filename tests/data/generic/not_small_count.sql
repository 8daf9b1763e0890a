{# R9 on one column outside the published_tables registry: a value shown is
   never a small count (is_small_count); a withheld one is null and passes. #}
{% test not_small_count(model, column_name) %}
select * from {{ model }}
where {{ is_small_count(column_name) }}
{% endtest %}
