{# custody_population and custody_offenses publish some cells twice and
   make one additive relation between them (see the macro). Checked here
   on the cells before the figures are blanked, so that a withheld count
   that differs between the tables is caught too; disclosure_audit runs
   the same check on the published rows. Returns the violations. #}
with

population_cells as (
    select * from {{ ref('int_custody_population_suppressed') }}
),

offense_cells as (
    select * from {{ ref('int_custody_offenses_suppressed') }}
),

population as (
    select
        *,
        is_withheld::integer as suppressed
    from population_cells
),

offenses as (
    select
        *,
        is_withheld::integer as suppressed
    from offense_cells
),

final as (
    {{ custody_cross_table_violations('population', 'offenses') | indent(4) }}
)

select * from final
