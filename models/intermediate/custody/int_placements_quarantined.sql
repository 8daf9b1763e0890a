{{ union_record_systems('placements', quarantined=true) }}
