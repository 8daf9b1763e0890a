{# Program enrollments of the three custody record systems that passed
   staging, as one relation. #}
with

unioned as (
    {{- union_record_systems('program_enrollments') }}
),

final as (
    select * from unioned
)

select * from final
