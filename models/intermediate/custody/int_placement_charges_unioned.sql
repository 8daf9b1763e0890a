{{ union_record_systems('placement_charges') }}
