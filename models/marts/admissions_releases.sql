with

cells as (
    select * from {{ ref('int_admissions_releases_suppressed') }}
),

final as (
    select
        {{ published_dimensions('admissions_releases') }},
        {{ withhold_metrics(['record_count']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
