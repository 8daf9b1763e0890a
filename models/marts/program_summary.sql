{# Every program offered, by agency and PSI area, with the first and last
   year it had an enrollment; enrollments of fewer than 5 are withheld. #}
with

enrollments as (
    select * from {{ ref('int_program_enrollments_linked') }}
    where is_publishable
),

aggregated as (
    select
        published_agency as agency,
        psi_area,
        program_name,
        min(year(start_date)) as first_year,
        max(year(coalesce(end_date, start_date))) as last_year,
        count(*) as enrollments
    from enrollments
    group by published_agency, psi_area, program_name
),

final as (
    select
        agency,
        psi_area,
        program_name,
        first_year,
        last_year,
        case when not {{ is_small_count('enrollments') }} then enrollments end as enrollments
    from aggregated
)

select * from final
