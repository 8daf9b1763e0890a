{# Data quality: how many records of each source carry a valid SID, by
   year. Custody: placements by admission year, with the SID on the holding
   agency's person record (records without one cannot be linked, R1).
   Trial Court: dockets by filing year. Counts of 1 to 4 are withheld. #}
with

placements as (
    select * from {{ ref('int_placements_linked') }}
),

dockets as (
    select * from {{ ref('stg_court__dockets') }}
    where quarantine_reason is null
),

agencies as (
    select * from {{ ref('agencies') }}
),

manifest as (
    select * from {{ ref('stg_extract__manifest') }}
),

records as (
    select
        agencies.agency_name as source,
        year(placements.admission_date) as year,
        placements.is_linkable as has_valid_sid
    from placements
    inner join agencies on placements.agency_code = agencies.agency_code
    union all
    select
        'Trial Court' as source,
        year(filing_date) as year,
        sid is not null as has_valid_sid
    from dockets
),

aggregated as (
    select
        records.source,
        records.year,
        count(*) as records,
        count(*) filter (where records.has_valid_sid) as records_with_valid_sid
    from records
    cross join manifest
    where records.year between {{ var('first_snapshot_year') }} - 7 and year(manifest.as_of)
    group by records.source, records.year
),

checked as (
    {# the share is published only when neither the records with a valid SID
       nor those without one are a small count, or it would give them away #}
    select
        *,
        {{ is_small_count('records') }} as is_withheld,
        not {{ is_small_count('records') }}
        and not {{ is_small_count('records_with_valid_sid') }}
        and not {{ is_small_count('records - records_with_valid_sid') }} as is_share_published
    from aggregated
),

final as (
    select
        source,
        year,
        case when not is_withheld then records end as records,
        case when is_share_published then records_with_valid_sid end as records_with_valid_sid,
        case when is_share_published then round(records_with_valid_sid / records, 4) end as share_with_valid_sid,
        is_withheld::integer as suppressed
    from checked
)

select * from final
