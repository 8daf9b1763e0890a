with

cells as (
    select * from {{ ref('int_program_exits_suppressed') }}
),

final as (
    select
        {{ published_dimensions('program_exits') }},
        {{ withhold_metrics(['exits']) }},
        is_withheld::integer as suppressed
    from cells
    where not is_omitted
)

select * from final
