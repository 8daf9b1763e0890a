{{ union_record_systems('placements') }}
