{# SID rule of the source contract: "MA" and eight digits, the last a check
   digit (7*d1 + 6*d2 + ... + 1*d7) mod 10. Surrounding spaces and a lower
   case prefix are fixed silently; anything else is an invalid SID (null). #}
{% macro normalize_sid(column) -%}
    case
        when regexp_full_match(upper(trim({{ column }})), 'MA[0-9]{8}')
            and (
                {%- for weight in range(7, 0, -1) %}
                {{ weight }} * cast(substr(upper(trim({{ column }})), {{ 10 - weight }}, 1) as integer)
                {%- if not loop.last %} +{% endif %}
                {%- endfor %}
            ) % 10 = cast(substr(upper(trim({{ column }})), 10, 1) as integer)
            then upper(trim({{ column }}))
    end
{%- endmacro %}

{# valid / missing / invalid, for SID coverage and the R1 exclusions. #}
{% macro sid_status(column) -%}
    case
        when {{ clean_text(column) }} is null then 'missing'
        when {{ normalize_sid(column) }} is null then 'invalid'
        else 'valid'
    end
{%- endmacro %}
