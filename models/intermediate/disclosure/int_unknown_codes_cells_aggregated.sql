{# unknown_codes cells: person records whose demographic code is not in the
   code tables (source contract), by year of admission, field and submitting
   agency (and All), before disclosure control (int_unknown_codes_suppressed).
   A record can hold an unknown code in two fields, so the fields are never
   added up. #}
with

unknown_codes as (
    select * from {{ ref('int_unknown_codes_listed') }}
),

agencies as (
    select * from {{ ref('agencies') }}
),

prepared as (
    select
        unknown_codes.admission_year,
        unknown_codes.field,
        agencies.agency_name as source
    from unknown_codes
    inner join agencies on unknown_codes.agency_code = agencies.agency_code
),

aggregated as (
    select
        admission_year as year,
        field,
        {{- all_label(breakdown_dimensions('unknown_codes')) | indent(4) }}
        count(*) as record_count
    from prepared
    group by {{ published_grouping_sets('unknown_codes', fixed_as={'year': 'admission_year'}) }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
