{{ union_record_systems('program_enrollments') }}
