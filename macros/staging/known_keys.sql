{# Reference check between staged files (a placement's person, a charge's
   placement or docket): a key counts as known when any row of the parent
   file carries it, and as accepted when one of those rows passed staging, so
   that a child row can tell "unknown key" from "parent quarantined".
   A query body: one row per key of `relation`, with is_accepted. #}
{% macro known_keys(relation, key_columns) -%}
{% filter indent(4) -%}
select
    {{ key_columns | join(',\n    ') }},
    bool_or(quarantine_reason is null) as is_accepted
from {{ relation }}
where {{ key_columns | join(' is not null and ') }} is not null
group by {{ key_columns | join(', ') }}
{%- endfilter %}
{%- endmacro %}
