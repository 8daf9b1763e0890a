{# program_enrollments cells (public-api.md): people who started a program
   and their enrollments, by start year from 2017, agency, PSI area and
   demographics at the start, before disclosure control
   (int_program_enrollments_suppressed). #}
{%- set dimensions = ['year', 'agency', 'psi_area', 'age_group', 'assigned_sex', 'race', 'ethnicity'] -%}
{%- set grouping_sets = breakdown_grouping_sets(
    fixed=['enrollment_year'],
    optional=['agency'],
    breakdowns=['psi_area', 'age_group', 'assigned_sex', 'race', 'ethnicity']
) -%}
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
        {{- all_label(dimensions[1:]) | indent(4) }}
        count(distinct sid) as record_count,
        count(*) as enrollments
    from prepared
    group by {{ grouping_sets }}  -- noqa: PRS
),

final as (
    select * from aggregated
)

select * from final
