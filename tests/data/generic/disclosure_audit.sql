{# R9 audit of a published table: fails with one row per violation (see the
   disclosure_violations macro). #}
{% test disclosure_audit(model, dimensions, hierarchies=[], fixed=[], count_column='record_count',
    metric_columns=[], withheld='suppressed = 1') %}
{{ disclosure_violations(model, dimensions, hierarchies, fixed, count_column, metric_columns, withheld) }}
{% endtest %}
