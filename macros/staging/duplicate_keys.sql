{# Duplicate-key rule, shared by every staging model: copies of a row that
   are identical in every contract column keep one copy (the others are
   quarantined as duplicate rows); rows that share a key but differ are all
   quarantined, because nothing says which one is right.
   row_fingerprint() goes in the CTE that reads the raw row, and
   deduplicate() reads that CTE, over the already-cleaned key columns. #}
{% macro row_fingerprint(value_columns) -%}
    hash({{ value_columns | join(', ') }})
{%- endmacro %}

{# A query body: the rows of `relation` with has_conflicting_copies and
   copy_number. Duplicates are rare, so the keys that repeat are found by
   aggregation and only their rows are numbered (a window over every row
   would sort millions of rows to number a few hundred).
   Query-body macros indent their lines after the first, so that the
   compiled SQL lines up inside the caller's `name as (...)`. #}
{% macro deduplicate(relation, key_columns, fingerprint='row_fingerprint') -%}
{%- set keys_match -%}
{% for key in key_columns %}{{ relation }}.{{ key }} = repeated_keys.{{ key }}{{ '\n        and ' if not loop.last }}{% endfor %}
{%- endset -%}
{% filter indent(4) -%}
with

repeated_keys as (
    select
        {{ key_columns | join(', ') }},
        min({{ fingerprint }}) <> max({{ fingerprint }}) as has_conflicting_copies
    from {{ relation }}
    group by {{ key_columns | join(', ') }}
    having count(*) > 1
),

numbered as (
    select
        {{ relation }}.*,
        false as has_conflicting_copies,
        1 as copy_number
    from {{ relation }}
    left join repeated_keys
        on {{ keys_match }}
    where repeated_keys.{{ key_columns[0] }} is null
    union all
    select
        {{ relation }}.*,
        repeated_keys.has_conflicting_copies,
        row_number() over (
            partition by {% for key in key_columns %}{{ relation }}.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
            order by {{ relation }}.{{ fingerprint }}
        ) as copy_number
    from {{ relation }}
    inner join repeated_keys
        on {{ keys_match }}
)

select * from numbered
{%- endfilter %}
{%- endmacro %}

{# The agency folder a custody row was read from (read_csv's filename). #}
{% macro agency_from_path(column='filename') -%}
    regexp_extract(replace({{ column }}, '\\', '/'), '/custody/([^/]+)/[^/]+$', 1)
{%- endmacro %}
