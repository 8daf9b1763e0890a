{# Where custody_population and custody_offenses meet (R9 across tables):
   for each offender status, a custody_population cell with gender identity
   All and the custody_offenses cell with every offense dimension All hold
   the same people, so they are one cell published twice; and a
   custody_population cell of both statuses (gender identity All) is the
   sum of the Pretrial and Sentenced all-offenses cells with the same other
   breakdowns. The conditions that pick those cells and the columns that
   pair them, for int_custody_cells_suppressed and
   custody_cross_table_violations. #}
{% macro custody_shared_cells() %}
    {{ return({
        'key': ['snapshot_date', 'agency', 'offender_status', 'age_group', 'assigned_sex', 'race', 'ethnicity'],
        'status_key': ['snapshot_date', 'agency', 'age_group', 'assigned_sex', 'race', 'ethnicity'],
        'in_population': "gender_identity = 'All' and offender_status <> 'All'",
        'in_offenses': "offense_type = 'All' and offense_subtype = 'All' and offense_severity = 'All'",
        'status_total': "offender_status = 'All' and gender_identity = 'All'",
    }) }}
{% endmacro %}
