{# The cells custody_population and custody_offenses both publish (see
   custody_shared_cells) must be withheld and counted alike, or one table
   would fill in what the other withholds: one row per shared cell missing
   from custody_offenses, or withheld or counted differently. Both
   arguments need the public columns (suppressed and the figures). #}
{% macro custody_cross_table_violations(population, offenses) %}
    {%- set shared = custody_shared_cells() -%}
    with

    population_shared as (
        select * from {{ population }}
        where {{ shared.in_population }}
    ),

    offenses_shared as (
        select * from {{ offenses }}
        where {{ shared.in_offenses }}
    ),

    paired as (
        select
            population_shared.*,
            offenses_shared.suppressed as offenses_suppressed,
            offenses_shared.record_count as offenses_count,
            offenses_shared.mean_incarceration_days as offenses_mean,
            offenses_shared.median_incarceration_days as offenses_median
        from population_shared
        left join offenses_shared
            on {% for column in shared.key -%}
            {{ 'and ' if not loop.first }}population_shared.{{ column }} = offenses_shared.{{ column }}
            {% endfor %}
    ),

    mismatches as (
        select
            'shared cell withheld or counted differently' as violation,
            concat_ws('|', {{ shared.key | join(', ') }}) as detail
        from paired
        where
            offenses_suppressed is distinct from suppressed
            or offenses_count is distinct from record_count
            or offenses_mean is distinct from mean_incarceration_days
            or offenses_median is distinct from median_incarceration_days
    )

    select * from mismatches
{%- endmacro %}
