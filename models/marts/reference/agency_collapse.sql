{# Reference table: how each submitting agency is published (R4). #}
with

agencies as (
    select * from {{ ref('agencies') }}
),

final as (
    select
        agency_code,
        agency_name,
        coalesce(county, '') as county,
        record_system,
        published_agency
    from agencies
)

select * from final
