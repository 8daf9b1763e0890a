{{ stage_custody_placements('jms') }}
