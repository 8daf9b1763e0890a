{# program_exits cells (public-api.md): enrollments that ended, by year of
   the end from 2017, agency, PSI area and exit reason, before disclosure
   control (int_program_exits_suppressed). #}
with

enrollments as (
    select * from {{ ref('int_program_enrollments_linked') }}
    where
        is_publishable
        and exit_reason is not null
        and year(end_date) >= {{ var('first_snapshot_year') }}
),

prepared as (
    select
        *,
        published_agency as agency,
        year(end_date) as exit_year
    from enrollments
),

aggregated as (
    select
        exit_year as year,
        {{- all_label(breakdown_dimensions('program_exits')) | indent(4) }}
        count(*) as exits
    from prepared
    group by {{ published_grouping_sets('program_exits', fixed_as={'year': 'exit_year'}) }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
