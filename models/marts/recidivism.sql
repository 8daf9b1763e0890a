with

cells as (
    select * from {{ ref('int_recidivism_suppressed') }}
),

final as (
    select
        {{ published_dimensions('recidivism') }},
        case when not is_withheld then released end as released,
        case when not is_outcome_withheld then recidivated end as recidivated,
        case when not is_outcome_withheld then round(recidivated / released, 4) end as rate,
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
