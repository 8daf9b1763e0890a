{{ stage_custody_people('oms') }}
