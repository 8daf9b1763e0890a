{# The shared middle of stg_<system>__program_enrollments, for
   custody/<AGENCY>/program_enrollments.csv as `relation` reads it: dates
   parsed, PSI areas and exit reasons mapped, the person checked against
   `people` (the system's staged people), copies deduplicated. A query body
   with all its working columns; quarantine_reason is null for the rows that
   pass. #}
{% macro stage_custody_program_enrollments(relation, people, system) -%}
{%- set raw_columns = ['enrollment_id', 'agency_person_id', 'program_name', 'psi_area_code',
    'start_date', 'end_date', 'exit_reason'] -%}
{% filter indent(4) -%}
with

program_areas as (
    select * from {{ ref('program_areas') }}
),

program_exit_reasons as (
    select * from {{ ref('program_exit_reasons') }}
),

manifest as (
    select * from {{ ref('stg_extract__manifest') }}
),

cleaned as (
    select
        {{ agency_from_path() }} as agency_code,
        {{ clean_text('enrollment_id') }} as enrollment_id,
        {{ clean_text('agency_person_id') }} as agency_person_id,
        {# program names are published (program_summary): fold runs of spaces #}
        nullif(regexp_replace(trim(program_name), '\s+', ' ', 'g'), '') as program_name,
        {{ clean_code('psi_area_code') }} as psi_area_code,
        {{ parse_source_date('start_date', system) }} as start_date,
        {{ is_unparseable_date('start_date', system) }} as is_unparseable_start_date,
        {{ parse_source_date('end_date', system) }} as end_date,
        {{ is_unparseable_date('end_date', system) }} as is_unparseable_end_date,
        {{ clean_code('exit_reason') }} as exit_reason_code,
        {{ row_fingerprint(raw_columns) }} as row_fingerprint
    from {{ relation }}
),

deduplicated as (
    {{ deduplicate('cleaned', ['agency_code', 'enrollment_id']) }}
),

person_keys as (
    {{ known_keys(people, ['agency_code', 'agency_person_id']) }}
),

joined as (
    select
        deduplicated.*,
        program_areas.psi_area,
        program_exit_reasons.exit_reason,
        person_keys.is_accepted as is_person_accepted,
        manifest.as_of
    from deduplicated
    cross join manifest
    left join program_areas on deduplicated.psi_area_code = program_areas.psi_area_code
    left join program_exit_reasons on deduplicated.exit_reason_code = program_exit_reasons.exit_reason_code
    left join person_keys
        on deduplicated.agency_code = person_keys.agency_code
        and deduplicated.agency_person_id = person_keys.agency_person_id
),

checked as (
    select
        *,
        case
            when enrollment_id is null then 'missing enrollment_id'
            when has_conflicting_copies then 'duplicate enrollment_id with different values'
            when copy_number > 1 then 'duplicate row'
            when is_person_accepted is null then 'unknown agency_person_id'
            when not is_person_accepted then 'person record quarantined'
            when program_name is null then 'missing program_name'
            when psi_area_code is null then 'missing psi_area_code'
            when psi_area is null then 'unknown psi_area_code'
            when is_unparseable_start_date then 'unparseable start_date'
            when start_date is null then 'missing start_date'
            when is_unparseable_end_date then 'unparseable end_date'
            when start_date > as_of then 'start_date after the extract date'
            when end_date > as_of then 'end_date after the extract date'
            when end_date < start_date then 'end_date before start_date'
            when exit_reason_code is not null and exit_reason is null then 'unknown exit_reason'
        end as quarantine_reason
    from joined
)

select * from checked
{%- endfilter %}
{%- endmacro %}
