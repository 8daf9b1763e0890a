{# Reference table: age groups (R3). #}
with

groups as (
    select * from {{ ref('age_groups') }}
),

final as (
    select
        age_group,
        min_age,
        case when max_age >= 200 then null else max_age end as max_age
    from groups
)

select * from final
