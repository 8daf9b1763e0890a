{# R3: age is the number of whole years between birth and the given date;
   the birthday itself counts (born 2000-01-01 is 24 on 2024-01-01). #}
{% macro age_in_years(birth_date, on_date) -%}
    (date_diff('year', {{ birth_date }}, {{ on_date }})
        - case
            when month({{ on_date }}) * 100 + day({{ on_date }})
                < month({{ birth_date }}) * 100 + day({{ birth_date }})
                then 1
            else 0
        end)
{%- endmacro %}
