{# The three custody record systems stage the same entities with the same
   columns; downstream models read them as one relation. By default only
   rows that passed staging go on; quarantined=true gives the others. #}
{% macro union_record_systems(entity, quarantined=false, systems=['ims', 'oms', 'jms']) %}
with
{% for system in systems %}
{{ system }} as (
    select * from {{ ref('stg_' ~ system ~ '__' ~ entity) }}
),
{% endfor %}
unioned as (
    {%- for system in systems %}
    select
        '{{ system | upper }}' as record_system,
        {%- if quarantined %}
        *
    from {{ system }}
    where quarantine_reason is not null
        {%- else %}
        * exclude (quarantine_reason)
    from {{ system }}
    where quarantine_reason is null
        {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select * from unioned
)

select * from final
{% endmacro %}
