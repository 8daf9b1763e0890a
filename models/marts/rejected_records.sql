{# Data quality: rows that failed staging, by source, file and reason
   (counts only; the rows stay in the private build). Counts of 1 to 4
   are withheld like every other count. #}
with

quarantined as (
    select * from {{ ref('int_rows_quarantined') }}
),

agencies as (
    select * from {{ ref('agencies') }}
),

aggregated as (
    select
        coalesce(agencies.agency_name, 'Trial Court') as source,
        regexp_replace(quarantined.source_file, '^custody/[^/]+/', '') as file,
        quarantined.quarantine_reason as reason,
        count(*) as record_count
    from quarantined
    left join agencies on quarantined.source_code = agencies.agency_code
    group by all
),

final as (
    select
        source,
        file,
        reason,
        case when not {{ is_small_count('record_count') }} then record_count end as record_count,
        {{ is_small_count('record_count') }}::integer as suppressed
    from aggregated
)

select * from final
