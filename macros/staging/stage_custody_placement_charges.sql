{# Staging of custody/<AGENCY>/placement_charges.csv for one record system.
   Docket numbers are brought to the canonical form and statutes to the
   court's CHAPTER/SECTION[/CODE], so both sides join on equal text. #}
{% macro stage_custody_placement_charges(system) %}
{%- set raw_columns = ['placement_id', 'docket_number', 'charge_seq', 'offense_code', 'governing_flag'] -%}
with

source as (
    select * from {{ source(system, 'placement_charges') }}
),

placements as (
    select * from {{ ref('stg_' ~ system ~ '__placements') }}
),

cleaned as (
    select
        {{ agency_from_path() }} as agency_code,
        {{ clean_text('placement_id') }} as placement_id,
        {{ clean_text('docket_number') }} as docket_number_as_written,
        {{ normalize_docket('docket_number') }} as docket_number,
        try_cast(trim(charge_seq) as integer) as charge_seq,
        {{ clean_text('charge_seq') }} as charge_seq_as_written,
        {{ normalize_statute('offense_code') }} as statute,
        {{ clean_text('offense_code') }} as offense_code_as_written,
        {%- if system | upper == 'IMS' %}
        coalesce({{ clean_code('governing_flag') }} = 'Y', false) as is_governing,
        {%- else %}
        {# only IMS designates a governing offense; a flag elsewhere is ignored #}
        false as is_governing,
        {%- endif %}
        {{ row_fingerprint(raw_columns) }} as row_fingerprint
    from source
),

deduplicated as (
    {{ deduplicate('cleaned', ['agency_code', 'placement_id', 'docket_number', 'charge_seq_as_written']) }}
),

placement_keys as (
    {{ known_keys('placements', ['agency_code', 'placement_id']) }}
),

joined as (
    select
        deduplicated.*,
        placement_keys.is_accepted as is_placement_accepted
    from deduplicated
    left join placement_keys
        on deduplicated.agency_code = placement_keys.agency_code
        and deduplicated.placement_id = placement_keys.placement_id
),

checked as (
    select
        *,
        case
            when placement_id is null then 'missing placement_id'
            when is_placement_accepted is null then 'unknown placement_id'
            when not is_placement_accepted then 'placement quarantined'
            when docket_number_as_written is null then 'missing docket_number'
            when docket_number is null then 'invalid docket_number'
            when charge_seq_as_written is null then 'missing charge_seq'
            when charge_seq is null or charge_seq < 1 then 'invalid charge_seq'
            when has_conflicting_copies then 'duplicate charge with different values'
            when copy_number > 1 then 'duplicate row'
            when offense_code_as_written is null then 'missing offense_code'
            when statute is null then 'unparseable offense_code'
        end as quarantine_reason
    from joined
),

final as (
    select
        agency_code,
        placement_id,
        docket_number,
        docket_number is not null and docket_number_as_written <> docket_number as is_docket_fixed,
        charge_seq,
        statute,
        is_governing,
        quarantine_reason
    from checked
)

select * from final
{% endmacro %}
