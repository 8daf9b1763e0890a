{# Every value is a valid SID (pattern and check digit): the rule of the
   normalize_sid macro, applied to what reached this model. #}
{% test valid_sid(model, column_name) %}
with

tested as (
    select {{ column_name }} as sid from {{ model }}
),

final as (
    select sid from tested
    where sid is not null
        and {{ normalize_sid('sid') }} is distinct from sid
)

select * from final
{% endtest %}
