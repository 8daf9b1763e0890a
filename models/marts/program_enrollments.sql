with

cells as (
    select * from {{ ref('int_program_enrollments_suppressed') }}
),

final as (
    select
        year,
        agency,
        psi_area,
        age_group,
        assigned_sex,
        race,
        ethnicity,
        {{ withhold_metrics(['record_count', 'enrollments']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
