{# What custody_population and custody_offenses could give away together
   (see custody_shared_cells); one row per violation, so an empty result
   means neither table fills in what the other withholds:
   - a shared cell missing from custody_offenses, or withheld or counted
     differently in the two tables;
   - a custody_population cell of both statuses and the Pretrial and
     Sentenced all-offenses cells that add up to it, with exactly one of
     them withheld.
   Both arguments need the public columns (suppressed and the figures). #}
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
    ),

    status_members as (
        select
            concat_ws('|', {{ shared.status_key | join(', ') }}) as relation_key,
            suppressed,
            true as is_total
        from {{ population }}
        where {{ shared.status_total }}
        union all
        select
            concat_ws('|', {{ shared.status_key | join(', ') }}) as relation_key,
            suppressed,
            false as is_total
        from offenses_shared
    ),

    exposed as (
        select
            'status relation across the tables with exactly one withheld value' as violation,
            relation_key as detail
        from status_members
        group by relation_key
        having
            count(*) filter (where is_total) = 1
            and count(*) filter (where not is_total) >= 1
            and count(*) filter (where suppressed = 1) = 1
    )

    select * from mismatches
    union all
    select * from exposed
{%- endmacro %}
