{# custody_offenses cells with their disclosure control, decided together
   with custody_population (int_custody_cells_suppressed). #}
with

cells as (
    select * from {{ ref('int_custody_cells_suppressed') }}
    where table_name = 'custody_offenses'
),

final as (
    select
        {{ published_dimensions('custody_offenses') }},
        record_count,
        mean_incarceration_days,
        median_incarceration_days,
        is_withheld,
        is_omitted,
        suppression
    from cells
)

select * from final
