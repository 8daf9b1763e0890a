with

source as (
    select * from {{ source('court', 'charges') }}
),

dockets as (
    select * from {{ ref('stg_court__dockets') }}
),

court_codes as (
    select * from {{ ref('court_codes') }}
),

manifest as (
    select * from {{ ref('stg_extract__manifest') }}
),

cleaned as (
    select
        {{ clean_text('docket_number') }} as docket_number_as_written,
        {{ normalize_docket('docket_number') }} as docket_number,
        try_cast(trim(charge_number) as integer) as charge_number,
        {{ normalize_statute('statute') }} as statute,
        {{ clean_text('statute') }} as statute_as_written,
        {{ clean_code('severity') }} as severity_code,
        {{ parse_source_date('offense_date', 'court') }} as offense_date,
        {{ is_unparseable_date('offense_date', 'court') }} as is_unparseable_offense_date,
        {{ parse_source_date('arraignment_date', 'court') }} as arraignment_date,
        {{ is_unparseable_date('arraignment_date', 'court') }} as is_unparseable_arraignment_date,
        {{ clean_code('disposition_code') }} as disposition_code,
        {{ parse_source_date('disposition_date', 'court') }} as disposition_date,
        {{ is_unparseable_date('disposition_date', 'court') }} as is_unparseable_disposition_date,
        {{ clean_code('sentence_type') }} as sentence_type,
        {{ clean_text('charge_number') }} as charge_number_as_written,
        {{ row_fingerprint(['docket_number', 'charge_number', 'statute', 'charge_description', 'severity',
            'offense_date', 'arraignment_date', 'disposition_code', 'disposition_date', 'sentence_type']) }}
            as row_fingerprint
    from source
),

deduplicated as (
    {{ deduplicate('cleaned', ['docket_number', 'charge_number_as_written']) }}
),

docket_keys as (
    {{ known_keys('dockets', ['docket_number']) }}
),

severities as (
    select
        code,
        label
    from court_codes
    where field = 'severity'
),

dispositions as (
    select code from court_codes
    where field = 'disposition'
),

sentence_types as (
    select code from court_codes
    where field = 'sentence_type'
),

joined as (
    select
        deduplicated.*,
        severities.label as offense_severity,
        dispositions.code is not null as is_known_disposition,
        sentence_types.code is not null as is_known_sentence_type,
        docket_keys.is_accepted as is_docket_accepted,
        manifest.as_of
    from deduplicated
    cross join manifest
    left join docket_keys on deduplicated.docket_number = docket_keys.docket_number
    left join severities on deduplicated.severity_code = severities.code
    left join dispositions on deduplicated.disposition_code = dispositions.code
    left join sentence_types on deduplicated.sentence_type = sentence_types.code
),

checked as (
    select
        *,
        case
            when docket_number_as_written is null then 'missing docket_number'
            when docket_number is null then 'invalid docket_number'
            when is_docket_accepted is null then 'docket not in dockets.csv'
            when not is_docket_accepted then 'docket quarantined'
            when charge_number is null or charge_number < 1 then 'invalid charge_number'
            when has_conflicting_copies then 'duplicate charge with different values'
            when copy_number > 1 then 'duplicate row'
            when statute_as_written is null then 'missing statute'
            when statute is null then 'unparseable statute'
            when offense_severity is null then 'unknown severity'
            when is_unparseable_offense_date then 'unparseable offense_date'
            when is_unparseable_arraignment_date then 'unparseable arraignment_date'
            when is_unparseable_disposition_date then 'unparseable disposition_date'
            when disposition_code is not null and not is_known_disposition then 'unknown disposition_code'
            when sentence_type is not null and not is_known_sentence_type then 'unknown sentence_type'
            when arraignment_date > as_of or disposition_date > as_of or offense_date > as_of
                then 'date after the extract date'
        end as quarantine_reason
    from joined
),

final as (
    select
        docket_number,
        charge_number,
        statute,
        offense_severity,
        offense_date,
        arraignment_date,
        disposition_code,
        disposition_date,
        sentence_type,
        disposition_code in ('GUILTY', 'GUILTY_PLEA') as is_conviction,
        disposition_code in ('GUILTY', 'GUILTY_PLEA') and sentence_type in ('DOC', 'HOC')
            as is_incarceration_sentence,
        quarantine_reason
    from checked
)

select * from final
