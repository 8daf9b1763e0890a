{{ stage_custody_placement_charges('jms') }}
