{# Each record system writes dates in its own format (var date_formats).
   A value that does not parse yields null; callers decide whether that is
   "not recorded" (empty input) or a quarantine reason (text that failed). #}
{% macro parse_source_date(column, system) -%}
    try_strptime(trim({{ column }}), '{{ var("date_formats")[system | upper] }}')::date
{%- endmacro %}

{# True when the field holds text that is not a date in the system's format. #}
{% macro is_unparseable_date(column, system) -%}
    ({{ clean_text(column) }} is not null and {{ parse_source_date(column, system) }} is null)
{%- endmacro %}
