{# R9 rate rule: a published rate never rests on 1 to 4 recidivated people
   or on 1 to 4 who did not recidivate. #}
{% test rate_withholding(model) %}
select * from {{ model }}
where rate is not null
    and (recidivated between 1 and 4 or released - recidivated between 1 and 4)
{% endtest %}
