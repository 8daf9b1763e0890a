{{ stage_custody_people('ims') }}
