{# Reference table: MGL chapter -> offense type (R5); every other chapter is Other. #}
with

types as (
    select * from {{ ref('offense_types') }}
),

final as (
    select
        chapter,
        offense_type,
        coalesce(note, '') as note
    from types
    union all
    select
        'any other' as chapter,
        'Other' as offense_type,
        'Every chapter not listed, CMR and municipal offenses' as note
)

select * from final
