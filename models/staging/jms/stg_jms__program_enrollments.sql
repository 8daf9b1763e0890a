with

source as (
    select * from {{ source('jms', 'program_enrollments') }}
),

people as (
    select * from {{ ref('stg_jms__people') }}
),

staged as (
    {{ stage_custody_program_enrollments('source', 'people', 'jms') }}
),

final as (
    select
        agency_code,
        enrollment_id,
        agency_person_id,
        program_name,
        psi_area_code,
        psi_area,
        start_date,
        end_date,
        exit_reason,
        quarantine_reason
    from staged
)

select * from final
