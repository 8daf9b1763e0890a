{{ stage_custody_placement_charges('ims') }}
