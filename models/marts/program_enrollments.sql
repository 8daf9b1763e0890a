with

cells as (
    select * from {{ ref('int_program_enrollments_suppressed') }}
),

final as (
    select
        {{ published_dimensions('program_enrollments') }},
        {{ withhold_metrics(['record_count', 'enrollments']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
