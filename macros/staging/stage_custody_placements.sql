{# The shared middle of stg_<system>__placements, for
   custody/<AGENCY>/placements.csv as `relation` reads it: dates parsed,
   custody status mapped, movement types and the person checked against
   `people` (the system's staged people), copies deduplicated. A query body
   with all its working columns; quarantine_reason is null for the rows that
   pass. #}
{% macro stage_custody_placements(relation, people, system) -%}
{%- set raw_columns = ['placement_id', 'agency_person_id', 'admission_date', 'release_date',
    'custody_status_code', 'admission_type', 'release_type', 'facility_code'] -%}
{% filter indent(4) -%}
with

custody_status_codes as (
    select * from {{ ref('custody_status_codes') }}
    where record_system = '{{ system | upper }}'
),

movement_types as (
    select * from {{ ref('movement_types') }}
),

manifest as (
    select * from {{ ref('stg_extract__manifest') }}
),

cleaned as (
    select
        {{ agency_from_path() }} as agency_code,
        {{ clean_text('placement_id') }} as placement_id,
        {{ clean_text('agency_person_id') }} as agency_person_id,
        {{ parse_source_date('admission_date', system) }} as admission_date,
        {{ is_unparseable_date('admission_date', system) }} as is_unparseable_admission_date,
        {{ parse_source_date('release_date', system) }} as release_date,
        {{ is_unparseable_date('release_date', system) }} as is_unparseable_release_date,
        {{ clean_code('custody_status_code') }} as custody_status_code,
        {{ clean_code('admission_type') }} as admission_type,
        {{ clean_code('release_type') }} as release_type,
        {{ clean_code('facility_code') }} as facility_code,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint
    from {{ relation }}
),

deduplicated as (
    {{ deduplicate('cleaned', ['agency_code', 'placement_id']) }}
),

person_keys as (
    {{ known_keys(people, ['agency_code', 'agency_person_id']) }}
),

admission_types as (
    select type_code from movement_types
    where movement = 'admission'
),

release_types as (
    select type_code from movement_types
    where movement = 'release'
),

joined as (
    select
        deduplicated.*,
        custody_status_codes.custody_status,
        {# an empty seed field means "not applicable" #}
        nullif(custody_status_codes.offender_status, '') as offender_status,
        nullif(custody_status_codes.exclusion_reason, '') as exclusion_reason,
        person_keys.is_accepted as is_person_accepted,
        admission_types.type_code is not null as is_known_admission_type,
        release_types.type_code is not null as is_known_release_type,
        manifest.as_of
    from deduplicated
    cross join manifest
    left join custody_status_codes on deduplicated.custody_status_code = custody_status_codes.code
    left join person_keys
        on deduplicated.agency_code = person_keys.agency_code
        and deduplicated.agency_person_id = person_keys.agency_person_id
    left join admission_types on deduplicated.admission_type = admission_types.type_code
    left join release_types on deduplicated.release_type = release_types.type_code
),

checked as (
    select
        *,
        case
            when placement_id is null then 'missing placement_id'
            when has_conflicting_copies then 'duplicate placement_id with different values'
            when copy_number > 1 then 'duplicate row'
            when is_person_accepted is null then 'unknown agency_person_id'
            when not is_person_accepted then 'person record quarantined'
            when is_unparseable_admission_date then 'unparseable admission_date'
            when admission_date is null then 'missing admission_date'
            when is_unparseable_release_date then 'unparseable release_date'
            when admission_date > as_of then 'admission_date after the extract date'
            when release_date > as_of then 'release_date after the extract date'
            when release_date < admission_date then 'release_date before admission_date'
            when custody_status_code is null then 'missing custody_status_code'
            when custody_status is null then 'unknown custody_status_code'
            when admission_type is null then 'missing admission_type'
            when not is_known_admission_type then 'unknown admission_type'
            when release_type is not null and not is_known_release_type then 'unknown release_type'
            when release_date is not null and release_type is null then 'release_date without release_type'
            when release_date is null and release_type is not null then 'release_type without release_date'
        end as quarantine_reason
    from joined
)

select * from checked
{%- endfilter %}
{%- endmacro %}
