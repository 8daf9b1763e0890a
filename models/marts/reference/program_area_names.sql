{# Reference table: program service intervention (PSI) areas (R6). #}
with

areas as (
    select * from {{ ref('program_areas') }}
),

final as (
    select
        psi_area_code,
        psi_area,
        description
    from areas
)

select * from final
