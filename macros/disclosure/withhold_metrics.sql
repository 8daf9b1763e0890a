{# On a withheld cell every metric is null (R9); the row itself stays. #}
{% macro withhold_metrics(metrics, withheld='is_withheld') -%}
    {%- for metric in metrics -%}
    case when not {{ withheld }} then {{ metric }} end as {{ metric }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
