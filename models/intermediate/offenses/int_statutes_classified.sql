{# R5: offense type from the statute's chapter (seed offense_types, every
   other chapter being Other) and sub-type from the first matching statute
   pattern (seed offense_subtype_patterns, lowest priority first); a statute
   that no pattern matches gets its type's default "Other ..." sub-type. #}
with

court_charges as (
    select * from {{ ref('stg_court__charges') }}
),

placement_charges as (
    select * from {{ ref('int_placement_charges_unioned') }}
),

offense_types as (
    select * from {{ ref('offense_types') }}
),

offense_subtypes as (
    select * from {{ ref('offense_subtypes') }}
),

patterns as (
    select * from {{ ref('offense_subtype_patterns') }}
),

statutes as (
    select statute from court_charges
    where quarantine_reason is null
    union
    select statute from placement_charges
),

parsed as (
    select
        statute,
        split_part(statute, '/', 1) as chapter,
        split_part(statute, '/', 2) as section,
        nullif(split_part(statute, '/', 3), '') as variant_code
    from statutes
),

typed as (
    select
        parsed.*,
        coalesce(offense_types.offense_type, 'Other') as offense_type
    from parsed
    left join offense_types on parsed.chapter = offense_types.chapter
),

matches as (
    select
        typed.statute,
        patterns.offense_subtype,
        patterns.default_severity,
        row_number() over (
            partition by typed.statute
            order by patterns.priority, patterns.offense_subtype
        ) as match_rank
    from typed
    inner join patterns
        on typed.chapter = patterns.chapter
        and regexp_full_match(typed.section, patterns.section_pattern)
        and (
            {# an empty code pattern accepts any variant code #}
            coalesce(patterns.code_pattern, '') = ''
            or regexp_full_match(coalesce(typed.variant_code, ''), patterns.code_pattern)
        )
),

type_defaults as (
    select
        offense_type,
        offense_subtype
    from offense_subtypes
    where is_type_default::boolean
),

final as (
    select
        typed.statute,
        typed.chapter,
        typed.section,
        typed.variant_code,
        typed.offense_type,
        coalesce(matches.offense_subtype, type_defaults.offense_subtype) as offense_subtype,
        matches.offense_subtype is not null as is_pattern_matched,
        matches.default_severity
    from typed
    left join matches
        on typed.statute = matches.statute
        and matches.match_rank = 1
    left join type_defaults on typed.offense_type = type_defaults.offense_type
)

select * from final
