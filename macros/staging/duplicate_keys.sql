{# Duplicate-key rule, shared by every staging model: copies of a row that
   are identical in every contract column keep one copy (the others are
   quarantined as duplicate rows); rows that share a key but differ are all
   quarantined, because nothing says which one is right.
   row_fingerprint() goes in the CTE that reads the raw row;
   duplicate_key_columns() in a later CTE, over already-cleaned key columns,
   so the windows partition on plain columns. #}
{% macro row_fingerprint(value_columns) -%}
    hash({{ value_columns | join(', ') }})
{%- endmacro %}

{% macro duplicate_key_columns(key_columns, fingerprint='row_fingerprint') -%}
    {%- set partition = key_columns | join(', ') -%}
    min({{ fingerprint }}) over (partition by {{ partition }})
    <> max({{ fingerprint }}) over (partition by {{ partition }}) as has_conflicting_copies,
    row_number() over (partition by {{ partition }} order by {{ fingerprint }}) as copy_number
{%- endmacro %}

{# The agency folder a custody row was read from (read_csv's filename). #}
{% macro agency_from_path(column='filename') -%}
    regexp_extract(replace({{ column }}, '\\', '/'), '/custody/([^/]+)/[^/]+$', 1)
{%- endmacro %}
