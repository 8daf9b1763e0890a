{{ union_record_systems('people') }}
