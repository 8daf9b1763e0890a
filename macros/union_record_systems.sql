{# The three custody record systems stage the same entities with the same
   columns; downstream models read them as one relation. A query body: the
   staged rows of each system, tagged with it. By default only rows that
   passed staging go on; quarantined=true gives the others. #}
{% macro union_record_systems(entity, quarantined=false, systems=['ims', 'oms', 'jms']) %}
    {%- for system in systems %}
    select
        '{{ system | upper }}' as record_system,
        {%- if quarantined %}
        *
    from {{ ref('stg_' ~ system ~ '__' ~ entity) }}
    where quarantine_reason is not null
        {%- else %}
        * exclude (quarantine_reason)
    from {{ ref('stg_' ~ system ~ '__' ~ entity) }}
    where quarantine_reason is null
        {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
