{# A release cohort cell (year and breakdowns) holds the same released
   people whatever the measure and the follow-up window, so its released
   count and its withholding must be the same on each of those rows: a
   count withheld on one row and published on another would be read from
   the other. Returns the cohort cells that disagree. #}
with

recidivism as (
    select * from {{ ref('recidivism') }}
),

cohort_cells as (
    select
        release_year,
        agency,
        age_group,
        assigned_sex,
        gender_identity,
        race,
        ethnicity,
        count(distinct suppressed) as suppressed_values,
        count(distinct coalesce(released, -1)) as released_values
    from recidivism
    group by release_year, agency, age_group, assigned_sex, gender_identity, race, ethnicity
),

final as (
    select * from cohort_cells
    where suppressed_values > 1 or released_values > 1
)

select * from final
