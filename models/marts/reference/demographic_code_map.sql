{# Reference table: each record system's demographic codes and the standard
   value they are published as (source contract), with the value used for
   empty and unknown codes. #}
with

codes as (
    select * from {{ ref('demographic_codes') }}
),

unknowns as (
    select * from {{ ref('demographic_unknowns') }}
),

final as (
    select
        record_system,
        field,
        code,
        standard_value
    from codes
    union all
    select
        'any' as record_system,
        field,
        '(empty or not in the table)' as code,
        unknown_value as standard_value
    from unknowns
)

select * from final
