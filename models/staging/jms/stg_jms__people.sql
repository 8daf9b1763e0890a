{{ stage_custody_people('jms') }}
