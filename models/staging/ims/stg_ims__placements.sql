{{ stage_custody_placements('ims') }}
