{# public-api.md: offense_subtype is All whenever offense_type is All. #}
{% test subtype_all_with_type_all(model) %}
select * from {{ model }}
where offense_type = 'All' and offense_subtype <> 'All'
{% endtest %}
