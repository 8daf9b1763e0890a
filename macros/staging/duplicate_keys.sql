{# Duplicate-key rule, shared by every staging model: copies of a row that
   are identical in every contract column keep one copy (the others are
   quarantined as duplicate rows); rows that share a key but differ are all
   quarantined, because nothing says which one is right.
   row_fingerprint() goes in the CTE that reads the raw row, and
   deduplicated_cte() follows it, over the already-cleaned key columns. #}
{% macro row_fingerprint(value_columns) -%}
    hash({{ value_columns | join(', ') }})
{%- endmacro %}

{# The CTE `deduplicated`: the rows of `relation` with has_conflicting_copies
   and copy_number. Duplicates are rare, so the keys that repeat are found by
   aggregation and only their rows are numbered (a window over every row
   would sort millions of rows to number a few hundred). #}
{% macro deduplicated_cte(relation, key_columns, fingerprint='row_fingerprint') -%}
{{ relation }}_repeated_keys as (
    select
        {{ key_columns | join(', ') }},
        min({{ fingerprint }}) <> max({{ fingerprint }}) as has_conflicting_copies
    from {{ relation }}
    group by {{ key_columns | join(', ') }}
    having count(*) > 1
),

deduplicated as (
    select
        {{ relation }}.*,
        false as has_conflicting_copies,
        1 as copy_number
    from {{ relation }}
    left join {{ relation }}_repeated_keys as repeated
        on {% for key in key_columns %}{{ relation }}.{{ key }} = repeated.{{ key }}{{ '\n        and ' if not loop.last }}{% endfor %}
    where repeated.{{ key_columns[0] }} is null
    union all
    select
        {{ relation }}.*,
        repeated.has_conflicting_copies,
        row_number() over (
            partition by {% for key in key_columns %}{{ relation }}.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
            order by {{ relation }}.{{ fingerprint }}
        ) as copy_number
    from {{ relation }}
    inner join {{ relation }}_repeated_keys as repeated
        on {% for key in key_columns %}{{ relation }}.{{ key }} = repeated.{{ key }}{{ '\n        and ' if not loop.last }}{% endfor %}
)
{%- endmacro %}

{# The agency folder a custody row was read from (read_csv's filename). #}
{% macro agency_from_path(column='filename') -%}
    regexp_extract(replace({{ column }}, '\\', '/'), '/custody/([^/]+)/[^/]+$', 1)
{%- endmacro %}
