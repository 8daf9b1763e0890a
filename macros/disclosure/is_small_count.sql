{# R9's small count, written once: a count of 1 to the small_count_max var
   (4) is withheld. A true/false SQL expression on `column`; a count of 0
   (an empty breakdown) is not small, and null (already withheld) is null. #}
{% macro is_small_count(column) -%}
    ({{ column }} between 1 and {{ var('small_count_max') }})
{%- endmacro %}
