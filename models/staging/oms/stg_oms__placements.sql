{{ stage_custody_placements('oms') }}
