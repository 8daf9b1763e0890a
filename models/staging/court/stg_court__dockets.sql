with

source as (
    select * from {{ source('court', 'dockets') }}
),

manifest as (
    select * from {{ ref('stg_extract__manifest') }}
),

cleaned as (
    select
        {{ clean_text('docket_number') }} as docket_number_as_written,
        {{ normalize_docket('docket_number') }} as docket_number,
        {{ clean_text('court_code') }} as court_code,
        {{ parse_source_date('filing_date', 'court') }} as filing_date,
        {{ is_unparseable_date('filing_date', 'court') }} as is_unparseable_filing_date,
        {{ normalize_sid('sid') }} as sid,
        {{ sid_status('sid') }} as sid_status,
        {{ row_fingerprint(['docket_number', 'court_code', 'filing_date', 'sid', 'defendant_dob']) }}
            as row_fingerprint
    from source
),

deduplicated as (
    {{ deduplicate('cleaned', ['docket_number']) }}
),

checked as (
    select
        deduplicated.*,
        case
            when deduplicated.docket_number_as_written is null then 'missing docket_number'
            when deduplicated.docket_number is null then 'invalid docket_number'
            when deduplicated.has_conflicting_copies then 'duplicate docket_number with different values'
            when deduplicated.copy_number > 1 then 'duplicate row'
            when deduplicated.is_unparseable_filing_date then 'unparseable filing_date'
            when deduplicated.filing_date is null then 'missing filing_date'
            when deduplicated.filing_date > manifest.as_of then 'filing_date after the extract date'
        end as quarantine_reason
    from deduplicated
    cross join manifest
),

final as (
    select
        docket_number,
        court_code,
        filing_date,
        sid,
        sid_status,
        quarantine_reason
    from checked
)

select * from final
