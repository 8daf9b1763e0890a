{# Rows of the extract whose number of fields differs from the header's.
   The contract check (on-run-start) records them, the sources' reads skip
   them, and they are quarantined here with their reason, so that they are
   counted and reconciled like every other rejected row: nothing says which
   of their values belongs to which column. #}
with

malformed as (
    select * from {{ source('contract_check', 'rows_malformed') }}
),

agencies as (
    select * from {{ ref('agencies') }}
),

final as (
    select
        coalesce(agencies.agency_code, 'TRC') as source_code,
        coalesce(agencies.record_system, 'COURT') as record_system,
        malformed.source_file,
        'row ' || malformed.record_number as row_key,
        case malformed.error_type
            when 'MISSING COLUMNS' then 'too few fields'
            when 'TOO MANY COLUMNS' then 'too many fields'
        end as quarantine_reason
    from malformed
    left join agencies on malformed.source_file like 'custody/' || agencies.agency_code || '/%'
)

select * from final
