{# The staging sources read each record system's agency folders from the
   agencies_by_system var, while the published agency names come from the
   agencies seed: an agency added to one and not the other would be read
   without a name, or named and never read. Returns every agency on which
   they disagree. #}
with

agencies as (
    select * from {{ ref('agencies') }}
),

agencies_by_system as (
    select cast('{{ var('agencies_by_system') | tojson }}' as json) as folders
),

record_systems as (
    select
        unnest(json_keys(folders)) as record_system,
        folders
    from agencies_by_system
),

agencies_in_var as (
    select
        record_system,
        unnest(cast(json_extract(folders, '$.' || record_system) as varchar[])) as agency_code
    from record_systems
),

compared as (
    select
        coalesce(agencies.agency_code, agencies_in_var.agency_code) as agency_code,
        agencies.record_system as record_system_in_seed,
        agencies_in_var.record_system as record_system_in_var
    from agencies
    full outer join agencies_in_var
        on agencies.agency_code = agencies_in_var.agency_code
),

final as (
    select * from compared
    where record_system_in_seed is distinct from record_system_in_var
)

select * from final
