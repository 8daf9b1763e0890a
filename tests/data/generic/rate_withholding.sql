{# R9 rate rule: a published rate never rests on 1 to 4 recidivated people
   or on 1 to 4 who did not recidivate. #}
{% test rate_withholding(model) %}
select * from {{ model }}
where rate is not null
    and ({{ is_small_count('recidivated') }} or {{ is_small_count('released - recidivated') }})
{% endtest %}
