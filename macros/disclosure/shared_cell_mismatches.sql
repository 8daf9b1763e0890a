{# The cells that custody_population and custody_offenses both publish:
   for each offender status, a custody_population row with gender identity
   All and the custody_offenses row with every offense dimension All hold
   the same people. Returns those of custody_population whose twin is
   missing or differs in withholding or in any figure, so an empty result
   means neither table can fill in what the other withholds. #}
{% macro shared_cell_mismatches(population, offenses) %}
    with

    population_shared as (
        select * from {{ population }}
        where gender_identity = 'All' and offender_status <> 'All'
    ),

    offenses_shared as (
        select * from {{ offenses }}
        where offense_type = 'All' and offense_subtype = 'All' and offense_severity = 'All'
    ),

    paired as (
        select
            population_shared.snapshot_date,
            population_shared.agency,
            population_shared.offender_status,
            population_shared.age_group,
            population_shared.assigned_sex,
            population_shared.race,
            population_shared.ethnicity,
            population_shared.suppressed as population_suppressed,
            offenses_shared.suppressed as offenses_suppressed,
            population_shared.record_count as population_count,
            offenses_shared.record_count as offenses_count,
            population_shared.mean_incarceration_days as population_mean,
            offenses_shared.mean_incarceration_days as offenses_mean,
            population_shared.median_incarceration_days as population_median,
            offenses_shared.median_incarceration_days as offenses_median
        from population_shared
        left join offenses_shared
            on population_shared.snapshot_date = offenses_shared.snapshot_date
            and population_shared.agency = offenses_shared.agency
            and population_shared.offender_status = offenses_shared.offender_status
            and population_shared.age_group = offenses_shared.age_group
            and population_shared.assigned_sex = offenses_shared.assigned_sex
            and population_shared.race = offenses_shared.race
            and population_shared.ethnicity = offenses_shared.ethnicity
    )

    select * from paired
    where
        offenses_suppressed is distinct from population_suppressed
        or offenses_count is distinct from population_count
        or offenses_mean is distinct from population_mean
        or offenses_median is distinct from population_median
{%- endmacro %}
