{# Breakdown coverage of the public API (contract v2): every combination of
   up to max_breakdowns breakdown dimensions but those crossing a pair of
   the not_crossed var, each with and without the optional columns (the
   agency), always with the fixed columns (the snapshot).
   A breakdown is a column name, or a list of alternative column lists so
   that a hierarchy can be cut at each level:
   [['offense_type'], ['offense_type', 'offense_subtype']].
   Returns the body of a GROUP BY: grouping sets ((...), (...), ...). #}
{% macro breakdown_grouping_sets(fixed, optional, breakdowns, max_breakdowns=none, not_crossed=none) %}
    {%- set max_breakdowns = var('max_breakdowns') if max_breakdowns is none else max_breakdowns -%}
    {%- set not_crossed = var('not_crossed') if not_crossed is none else not_crossed -%}
    {%- set found = namespace(sets=[]) -%}
    {%- set count = breakdowns | length -%}
    {%- for mask in range(2 ** count) -%}
        {%- set chosen = [] -%}
        {%- for position in range(count) -%}
            {%- if (mask // (2 ** position)) % 2 == 1 -%}{%- do chosen.append(breakdowns[position]) -%}{%- endif -%}
        {%- endfor -%}
        {%- set crossed = namespace(found=false) -%}
        {%- for first, second in not_crossed -%}
            {%- if first in chosen and second in chosen -%}{%- set crossed.found = true -%}{%- endif -%}
        {%- endfor -%}
        {%- if chosen | length <= max_breakdowns and not crossed.found -%}
            {%- set product = namespace(partials=[[]]) -%}
            {%- for breakdown in chosen -%}
                {%- set alternatives = [[breakdown]] if breakdown is string else breakdown -%}
                {%- set grown = [] -%}
                {%- for partial in product.partials -%}
                    {%- for alternative in alternatives -%}{%- do grown.append(partial + alternative) -%}{%- endfor -%}
                {%- endfor -%}
                {%- set product.partials = grown -%}
            {%- endfor -%}
            {%- for partial in product.partials -%}
                {%- set optional_count = optional | length -%}
                {%- for optional_mask in range(2 ** optional_count) -%}
                    {%- set columns = fixed[:] -%}
                    {%- for position in range(optional_count) -%}
                        {%- if (optional_mask // (2 ** position)) % 2 == 1 -%}{%- do columns.append(optional[position]) -%}{%- endif -%}
                    {%- endfor -%}
                    {%- do found.sets.append(columns + partial) -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    grouping sets (
        {%- for columns in found.sets %}
        ({{ columns | join(', ') }}){{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
