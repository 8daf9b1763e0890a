{# custody_population and custody_offenses publish some cells twice (see
   the macro): the same people, so the same figures and the same
   withholding. A cell withheld in one table and published in the other
   would give away what its withholding protects. Returns the shared cells
   that disagree. #}
with

population as (
    select * from {{ ref('custody_population') }}
),

offenses as (
    select * from {{ ref('custody_offenses') }}
),

final as (
    {{ shared_cell_mismatches('population', 'offenses') | indent(4) }}
)

select * from final
