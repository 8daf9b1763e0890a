{# program_enrollments cells (public-api.md): people who started a program
   and their enrollments, by start year from 2017, agency, PSI area and
   demographics at the start, before disclosure control
   (int_program_enrollments_suppressed). #}
with

enrollments as (
    select * from {{ ref('int_program_enrollments_linked') }}
    where
        is_publishable
        and year(start_date) >= {{ var('first_snapshot_year') }}
),

prepared as (
    select
        *,
        published_agency as agency,
        year(start_date) as enrollment_year
    from enrollments
),

aggregated as (
    select
        enrollment_year as year,
        {{- all_label(breakdown_dimensions('program_enrollments')) | indent(4) }}
        count(distinct sid) as record_count,
        count(*) as enrollments
    from prepared
    group by {{ published_grouping_sets('program_enrollments', fixed_as={'year': 'enrollment_year'}) }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
