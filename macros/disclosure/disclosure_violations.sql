{# What R9 says of each published row, as a query body with one row per
   violation (empty when the table keeps the rules):
   - a figure published on a withheld row,
   - a count of 1 to 4 published.
   Whether a withheld value can be worked out from the relations between
   rows is the attacker's audit (int_published_values_attacked), which
   solves them all at once. `withheld` says when the audited column is
   withheld on a row (by default the row's suppressed flag). #}
{% macro disclosure_violations(table, dimensions, count_column='record_count', metric_columns=[],
    withheld='suppressed = 1') %}
select
    'figure published on a withheld row' as violation,
    concat_ws('|', {{ dimensions | join(', ') }}) as detail
from {{ table }}
where ({{ withheld }})
    and ({{ count_column }} is not null
    {%- for metric in metric_columns %} or {{ metric }} is not null{% endfor %})
union all
select
    'count of 1 to {{ var('small_count_max') }} published' as violation,
    concat_ws('|', {{ dimensions | join(', ') }}) as detail
from {{ table }}
where {{ is_small_count(count_column) }}
{%- endmacro %}
