with

cells as (
    select * from {{ ref('int_admissions_releases_suppressed') }}
),

final as (
    select
        event,
        event_year,
        event_month,
        agency,
        offender_status,
        event_type,
        age_group,
        assigned_sex,
        race,
        ethnicity,
        {{ withhold_metrics(['record_count']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
