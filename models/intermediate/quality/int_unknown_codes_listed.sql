{# Source contract: a demographic code outside the code tables becomes
   Unknown (staging) and the row "is counted in the data-quality output".
   One row per accepted person record, field with an unknown code and year
   in which the agency admitted the person (a people row has no date of its
   own; the admissions say when the record was in use). A record whose
   placements were all rejected is counted in rejected_records instead. #}
{%- set fields = {
    'assigned_sex': 'is_unknown_sex_code',
    'gender_identity': 'is_unknown_gender_identity_code',
    'race': 'is_unknown_race_code',
    'ethnicity': 'is_unknown_ethnicity_code',
} -%}
with

people as (
    select * from {{ ref('int_custody_people_unioned') }}
),

placements as (
    select * from {{ ref('int_placements_unioned') }}
),

admission_years as (
    select distinct
        placements.agency_code,
        placements.agency_person_id,
        year(placements.admission_date) as admission_year
    from placements
),

unknown_fields as (
    {%- for field, flag in fields.items() %}
    select
        agency_code,
        agency_person_id,
        '{{ field }}' as field
    from people
    where {{ flag }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        unknown_fields.agency_code,
        unknown_fields.agency_person_id,
        unknown_fields.field,
        admission_years.admission_year
    from unknown_fields
    inner join admission_years
        on unknown_fields.agency_code = admission_years.agency_code
        and unknown_fields.agency_person_id = admission_years.agency_person_id
)

select * from final
