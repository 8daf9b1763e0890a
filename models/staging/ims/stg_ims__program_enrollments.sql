{{ stage_custody_program_enrollments('ims') }}
