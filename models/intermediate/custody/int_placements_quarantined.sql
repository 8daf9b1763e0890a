{# Placements of the three custody record systems that staging quarantined,
   with their reasons (counted in rejected_records). #}
with

unioned as (
    {{- union_record_systems('placements', quarantined=true) }}
),

final as (
    select * from unioned
)

select * from final
