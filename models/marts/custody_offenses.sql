with

cells as (
    select * from {{ ref('int_custody_offenses_suppressed') }}
),

final as (
    select
        snapshot_date,
        agency,
        offender_status,
        offense_type,
        offense_subtype,
        offense_severity,
        age_group,
        assigned_sex,
        race,
        ethnicity,
        {{ withhold_metrics(['record_count', 'mean_incarceration_days', 'median_incarceration_days']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
