{{ stage_custody_placement_charges('oms') }}
