{# R9 applied to aggregated cells, as CTEs for a model's WITH list: gives
   each cell an id, runs primary (count 1 to 4) and complementary
   suppression, and ends with CTE `controlled`: the cells plus is_withheld
   and suppression ('primary', 'complementary' or null). #}
{% macro disclosure_controlled(aggregated, dimensions, count_column='record_count', fixed=[], hierarchies=[]) %}
cells as (
    select
        *,
        hash({{ dimensions | join(', ') }}) as cell_id,
        concat_ws('|', {{ dimensions | join(', ') }}) as cell_order
    from {{ aggregated }}
),

{{ suppression_passes('people', count_column, count_column ~ ' between 1 and 4', dimensions,
    hierarchies=hierarchies, fixed=fixed) }},

controlled as (
    select
        cells.* exclude (cell_id, cell_order),
        people_withheld.is_withheld,
        case
            when cells.{{ count_column }} between 1 and 4 then 'primary'
            when people_withheld.is_withheld then 'complementary'
        end as suppression
    from cells
    inner join people_withheld on cells.cell_id = people_withheld.cell_id
)
{%- endmacro %}
