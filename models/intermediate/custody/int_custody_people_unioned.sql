{# Person records of the three custody record systems that passed staging,
   as one relation. #}
with

unioned as (
    {{- union_record_systems('people') }}
),

final as (
    select * from unioned
)

select * from final
