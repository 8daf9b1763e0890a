{# breakdown_grouping_sets, worked example: a year that is always there, the
   agency with and without, an offense type that can be cut at its sub-type,
   sex, race and ethnicity, race never crossed with ethnicity, at most two
   breakdowns. Expected, by hand, each with and without the agency:
     no breakdown                                       1
     type (cut at type, or at sub-type)                 2
     sex; race; ethnicity                               3
     type (either cut) with sex, race or ethnicity      6
     sex with race; sex with ethnicity                  2
   = 14 sets x 2 = 28. Race with ethnicity, and any three, are not there.
   One person grouped by every set gives one row per set; the row names the
   columns its set breaks down. Returns the sets that differ or repeat. #}
{%- set grouping_sets = breakdown_grouping_sets(
    fixed=['year'],
    optional=['agency'],
    breakdowns=[[['offense_type'], ['offense_type', 'offense_subtype']], 'sex', 'race', 'ethnicity'],
    max_breakdowns=2,
    not_crossed=[['race', 'ethnicity']]
) -%}
with

people as (
    select
        2024 as year,
        'Agency A' as agency,
        'Drug' as offense_type,
        'Possession' as offense_subtype,
        'Female' as sex,
        'White' as race,
        'Hispanic' as ethnicity
),

grouped as (
    select
        concat_ws(
            ' ', 'year',
            case when grouping(agency) = 0 then 'agency' end,
            case when grouping(offense_type) = 0 then 'offense_type' end,
            case when grouping(offense_subtype) = 0 then 'offense_subtype' end,
            case when grouping(sex) = 0 then 'sex' end,
            case when grouping(race) = 0 then 'race' end,
            case when grouping(ethnicity) = 0 then 'ethnicity' end
        ) as grouped_by
    from people
    group by {{ grouping_sets }}  -- noqa: PRS
),

expected as (
    select
        unnest([
            'year',
            'year agency',
            'year offense_type',
            'year agency offense_type',
            'year offense_type offense_subtype',
            'year agency offense_type offense_subtype',
            'year sex',
            'year agency sex',
            'year race',
            'year agency race',
            'year ethnicity',
            'year agency ethnicity',
            'year offense_type sex',
            'year agency offense_type sex',
            'year offense_type race',
            'year agency offense_type race',
            'year offense_type ethnicity',
            'year agency offense_type ethnicity',
            'year offense_type offense_subtype sex',
            'year agency offense_type offense_subtype sex',
            'year offense_type offense_subtype race',
            'year agency offense_type offense_subtype race',
            'year offense_type offense_subtype ethnicity',
            'year agency offense_type offense_subtype ethnicity',
            'year sex race',
            'year agency sex race',
            'year sex ethnicity',
            'year agency sex ethnicity'
        ]) as grouped_by
),

missing as (
    select
        grouped_by,
        'expected, not produced' as problem
    from expected
    where grouped_by not in (select grouped_by from grouped)
),

unexpected as (
    select
        grouped_by,
        'produced, not expected' as problem
    from grouped
    where grouped_by not in (select grouped_by from expected)
),

repeated as (
    select
        grouped_by,
        'produced more than once' as problem
    from grouped
    group by grouped_by
    having count(*) > 1
),

final as (
    select * from missing
    union all
    select * from unexpected
    union all
    select * from repeated
)

select * from final
