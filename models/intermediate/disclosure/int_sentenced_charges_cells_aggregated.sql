{# sentenced_charges cells (public-api.md): people with at least one charge,
   charges and convictions, by snapshot, agency, offense type and sub-type
   and severity, before disclosure control (int_sentenced_charges_suppressed). #}
with

charges as (
    select * from {{ ref('int_cohort_charges_listed') }}
),

prepared as (
    select
        *,
        published_agency as agency,
        strftime(snapshot_date, '%Y-%m-%d') as snapshot_day
    from charges
),

aggregated as (
    select
        snapshot_day as snapshot_date,
        {{- all_label(breakdown_dimensions('sentenced_charges')) | indent(4) }}
        count(distinct sid) as record_count,
        count(*) as charge_count,
        count(*) filter (where is_conviction) as conviction_count
    from prepared
    group by {{ published_grouping_sets('sentenced_charges', fixed_as={'snapshot_date': 'snapshot_day'}) }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
