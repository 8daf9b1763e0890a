{# The shared middle of stg_<system>__placement_charges, for
   custody/<AGENCY>/placement_charges.csv as `relation` reads it. Docket
   numbers are brought to the canonical form and statutes to the court's
   CHAPTER/SECTION[/CODE], so both sides join on equal text; each charge's
   placement is checked against `placements` (the system's staged
   placements). A query body with all its working columns; quarantine_reason
   is null for the rows that pass. #}
{% macro stage_custody_placement_charges(relation, placements, system) -%}
{%- set raw_columns = ['placement_id', 'docket_number', 'charge_seq', 'offense_code', 'governing_flag'] -%}
{% filter indent(4) -%}
with

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
    from {{ relation }}
),

deduplicated as (
    {{ deduplicate('cleaned', ['agency_code', 'placement_id', 'docket_number', 'charge_seq_as_written']) }}
),

placement_keys as (
    {{ known_keys(placements, ['agency_code', 'placement_id']) }}
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
        docket_number is not null and docket_number_as_written <> docket_number as is_docket_fixed,
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
)

select * from checked
{%- endfilter %}
{%- endmacro %}
