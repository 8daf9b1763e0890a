with

source as (
    select * from {{ source('extract', 'manifest') }}
),

final as (
    select cast(as_of as date) as as_of
    from source
)

select * from final
