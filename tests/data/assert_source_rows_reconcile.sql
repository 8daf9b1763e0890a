{# Nothing disappears: for every source file, the rows read equal the rows
   accepted downstream plus the rows quarantined. Returns the files that do
   not add up. #}
{%- set custody = {
    'people': 'int_custody_people_unioned',
    'placements': 'int_placements_unioned',
    'placement_charges': 'int_placement_charges_unioned',
    'program_enrollments': 'int_program_enrollments_unioned',
} -%}
with

files_read as (
    select * from {{ source('contract_check', 'files_read') }}
),

rows_malformed as (
    select * from {{ source('contract_check', 'rows_malformed') }}
),

quarantined as (
    select
        source_file,
        count(*) as row_count
    from {{ ref('int_rows_quarantined') }}
    group by all
),

malformed as (
    select
        source_file,
        count(*) as row_count
    from rows_malformed
    group by all
),

read_rows as (
    {# every row of every file: the rows the contract check parsed, plus those
       it found with too few or too many fields (read apart from the models'
       own reads, so a row they skip is caught here) #}
    select
        files_read.source_file,
        files_read.rows_parsed + coalesce(malformed.row_count, 0) as row_count
    from files_read
    left join malformed on files_read.source_file = malformed.source_file
),

accepted as (
    {%- for entity, model in custody.items() %}
    select
        'custody/' || agency_code || '/{{ entity }}.csv' as source_file,
        count(*) as row_count
    from {{ ref(model) }}
    group by 1
    union all
    {%- endfor %}
    {%- for entity in ['dockets', 'charges'] %}
    select
        'court/{{ entity }}.csv' as source_file,
        count(*) as row_count
    from {{ ref('stg_court__' ~ entity) }}
    where quarantine_reason is null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        read_rows.source_file,
        read_rows.row_count as rows_read,
        coalesce(accepted.row_count, 0) as rows_accepted,
        coalesce(quarantined.row_count, 0) as rows_quarantined
    from read_rows
    left join accepted on read_rows.source_file = accepted.source_file
    left join quarantined on read_rows.source_file = quarantined.source_file
    where
        read_rows.row_count
        <> coalesce(accepted.row_count, 0) + coalesce(quarantined.row_count, 0)
)

select * from final
