{# Every row that failed staging, from every source file, with its key and
   reason, and the rows that could not even be split into the file's columns
   (stg_extract__rows_malformed). Private (it carries record keys): only
   counts are published. #}
{%- set custody_files = {
    'people': "agency_person_id",
    'placements': "placement_id",
    'placement_charges': "concat_ws(' / ', placement_id, docket_number, charge_seq::varchar)",
    'program_enrollments': "enrollment_id",
} -%}
{%- set court_files = {
    'dockets': "docket_number",
    'charges': "concat_ws(' / ', docket_number, charge_number::varchar)",
} -%}
with
{% for system in ['ims', 'oms', 'jms'] %}{% for entity in custody_files %}
{{ system }}_{{ entity }} as (
    select * from {{ ref('stg_' ~ system ~ '__' ~ entity) }}
),
{% endfor %}{% endfor %}
{%- for entity in court_files %}
court_{{ entity }} as (
    select * from {{ ref('stg_court__' ~ entity) }}
),
{% endfor %}
malformed as (
    select * from {{ ref('stg_extract__rows_malformed') }}
),

unioned as (
    {%- for system in ['ims', 'oms', 'jms'] %}{% for entity, key in custody_files.items() %}
    select
        agency_code as source_code,
        '{{ system | upper }}' as record_system,
        'custody/' || agency_code || '/{{ entity }}.csv' as source_file,
        {{ key }} as row_key,
        quarantine_reason
    from {{ system }}_{{ entity }}
    where quarantine_reason is not null
    union all
    {%- endfor %}{% endfor %}
    {%- for entity, key in court_files.items() %}
    select
        'TRC' as source_code,
        'COURT' as record_system,
        'court/{{ entity }}.csv' as source_file,
        {{ key }} as row_key,
        quarantine_reason
    from court_{{ entity }}
    where quarantine_reason is not null
    union all
    {%- endfor %}
    select
        source_code,
        record_system,
        source_file,
        row_key,
        quarantine_reason
    from malformed
),

final as (
    select * from unioned
)

select * from final
