{# R2: January 1 of every year from the first snapshot year to the year of
   the extract's as_of date. #}
with

manifest as (
    select * from {{ ref('stg_extract__manifest') }}
),

years as (
    select unnest(range({{ var('first_snapshot_year') }}, year(as_of) + 1)) as snapshot_year
    from manifest
),

final as (
    select
        snapshot_year,
        make_date(snapshot_year, 1, 1) as snapshot_date
    from years
)

select * from final
