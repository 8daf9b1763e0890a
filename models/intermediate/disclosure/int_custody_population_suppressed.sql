{# custody_population cells with their disclosure control, decided together
   with custody_offenses (int_custody_cells_suppressed). #}
with

cells as (
    select * from {{ ref('int_custody_cells_suppressed') }}
    where table_name = 'custody_population'
),

final as (
    select
        snapshot_date,
        agency,
        offender_status,
        age_group,
        assigned_sex,
        gender_identity,
        race,
        ethnicity,
        record_count,
        mean_incarceration_days,
        median_incarceration_days,
        total_enrollments,
        beh_enrollments,
        edu_enrollments,
        sup_enrollments,
        work_enrollments,
        reinvestment_enrollments,
        religious_enrollments,
        is_withheld,
        is_omitted,
        suppression
    from cells
)

select * from final
