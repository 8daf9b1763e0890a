{{ stage_custody_program_enrollments('oms') }}
