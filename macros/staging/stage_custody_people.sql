{# The shared middle of stg_<system>__people, for custody/<AGENCY>/people.csv
   as `relation` reads it: SID validated, date of birth parsed, demographic
   codes mapped to the standard values, copies deduplicated and every row
   checked. Every row read is kept; quarantine_reason is null for the rows
   that pass. A query body with all its working columns: the model selects
   the ones it publishes. Names stop here: the contract requires them, but
   they are never selected. #}
{% macro stage_custody_people(relation, system) -%}
{%- set raw_columns = ['agency_person_id', 'sid', 'last_name', 'first_name', 'date_of_birth',
    'sex_code', 'gender_identity_code', 'race_code', 'ethnicity_code'] -%}
{% filter indent(4) -%}
with

demographic_codes as (
    select * from {{ ref('demographic_codes') }}
    where record_system = '{{ system | upper }}'
),

demographic_unknowns as (
    select * from {{ ref('demographic_unknowns') }}
),

manifest as (
    select * from {{ ref('stg_extract__manifest') }}
),

cleaned as (
    select
        {{ agency_from_path() }} as agency_code,
        {{ clean_text('agency_person_id') }} as agency_person_id,
        sid as sid_as_written,
        {{ normalize_sid('sid') }} as sid,
        {{ sid_status('sid') }} as sid_status,
        {{ parse_source_date('date_of_birth', system) }} as date_of_birth,
        {{ is_unparseable_date('date_of_birth', system) }} as is_unparseable_birth_date,
        {{ clean_code('sex_code') }} as sex_code,
        {{ clean_code('gender_identity_code') }} as gender_identity_code,
        {{ clean_code('race_code') }} as race_code,
        {{ clean_code('ethnicity_code') }} as ethnicity_code,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint
    from {{ relation }}
),

deduplicated as (
    {{ deduplicate('cleaned', ['agency_code', 'agency_person_id']) }}
),

{%- for field in ['assigned_sex', 'gender_identity', 'race', 'ethnicity'] %}

{{ field }}_codes as (
    select
        code,
        standard_value
    from demographic_codes
    where field = '{{ field }}'
),
{%- endfor %}

unknowns as (
    {# one row: the Unknown label of each field #}
    select
        max(unknown_value) filter (where field = 'assigned_sex') as assigned_sex,
        max(unknown_value) filter (where field = 'gender_identity') as gender_identity,
        max(unknown_value) filter (where field = 'race') as race,
        max(unknown_value) filter (where field = 'ethnicity') as ethnicity
    from demographic_unknowns
),

mapped as (
    select
        deduplicated.*,
        coalesce(assigned_sex_codes.standard_value, unknowns.assigned_sex) as assigned_sex,
        coalesce(gender_identity_codes.standard_value, unknowns.gender_identity) as gender_identity,
        coalesce(race_codes.standard_value, unknowns.race) as race,
        coalesce(ethnicity_codes.standard_value, unknowns.ethnicity) as ethnicity,
        deduplicated.sex_code is not null and assigned_sex_codes.code is null as is_unknown_sex_code,
        deduplicated.gender_identity_code is not null and gender_identity_codes.code is null
            as is_unknown_gender_identity_code,
        deduplicated.race_code is not null and race_codes.code is null as is_unknown_race_code,
        deduplicated.ethnicity_code is not null and ethnicity_codes.code is null as is_unknown_ethnicity_code,
        manifest.as_of
    from deduplicated
    cross join unknowns
    cross join manifest
    left join assigned_sex_codes on deduplicated.sex_code = assigned_sex_codes.code
    left join gender_identity_codes on deduplicated.gender_identity_code = gender_identity_codes.code
    left join race_codes on deduplicated.race_code = race_codes.code
    left join ethnicity_codes on deduplicated.ethnicity_code = ethnicity_codes.code
),

checked as (
    select
        *,
        sid_status = 'valid' and sid_as_written <> sid as is_sid_fixed,
        case
            when agency_person_id is null then 'missing agency_person_id'
            when has_conflicting_copies then 'duplicate agency_person_id with different values'
            when copy_number > 1 then 'duplicate row'
            when is_unparseable_birth_date then 'unparseable date_of_birth'
            when date_of_birth is null then 'missing date_of_birth'
            when date_of_birth > as_of then 'date_of_birth after the extract date'
            when {{ age_in_years('date_of_birth', 'as_of') }} > 110 then 'age over 110'
        end as quarantine_reason
    from mapped
)

select * from checked
{%- endfilter %}
{%- endmacro %}
