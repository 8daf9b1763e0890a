{# custody_population (gender identity All) and custody_offenses (every
   offense dimension All) publish the same cells for each offender status:
   the same people, so the same figures and the same withholding. A cell
   withheld in one and published in the other would give away what its
   withholding protects. Returns the shared cells that disagree, and
   population cells with no counterpart. #}
with

population as (
    select * from {{ ref('custody_population') }}
    where gender_identity = 'All' and offender_status <> 'All'
),

offenses as (
    select * from {{ ref('custody_offenses') }}
    where offense_type = 'All' and offense_subtype = 'All' and offense_severity = 'All'
),

paired as (
    select
        population.snapshot_date,
        population.agency,
        population.offender_status,
        population.age_group,
        population.assigned_sex,
        population.race,
        population.ethnicity,
        population.suppressed as population_suppressed,
        offenses.suppressed as offenses_suppressed,
        population.record_count as population_count,
        offenses.record_count as offenses_count,
        population.mean_incarceration_days as population_mean,
        offenses.mean_incarceration_days as offenses_mean,
        population.median_incarceration_days as population_median,
        offenses.median_incarceration_days as offenses_median
    from population
    left join offenses
        on population.snapshot_date = offenses.snapshot_date
        and population.agency = offenses.agency
        and population.offender_status = offenses.offender_status
        and population.age_group = offenses.age_group
        and population.assigned_sex = offenses.assigned_sex
        and population.race = offenses.race
        and population.ethnicity = offenses.ethnicity
),

final as (
    select * from paired
    where
        offenses_suppressed is distinct from population_suppressed
        or offenses_count is distinct from population_count
        or offenses_mean is distinct from population_mean
        or offenses_median is distinct from population_median
)

select * from final
