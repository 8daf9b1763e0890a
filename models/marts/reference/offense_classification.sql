{# Reference table: offense types and sub-types with the statute patterns
   that select them (R5), so readers see how a statute becomes a label. #}
with

subtypes as (
    select * from {{ ref('offense_subtypes') }}
),

patterns as (
    select * from {{ ref('offense_subtype_patterns') }}
),

final as (
    select
        subtypes.offense_type,
        subtypes.offense_subtype,
        coalesce(patterns.chapter, '') as chapter,
        coalesce(patterns.section_pattern, '') as section_pattern,
        coalesce(patterns.code_pattern, '') as variant_code_pattern,
        coalesce(patterns.default_severity, '') as default_severity,
        coalesce(patterns.priority, 99) as priority,
        case
            when patterns.chapter is not null then 'statute pattern'
            else 'every other statute of the type'
        end as rule
    from subtypes
    left join patterns on subtypes.offense_subtype = patterns.offense_subtype
)

select * from final
