{# R9 audit of the rows of a published table: fails with one row per
   violation (see the disclosure_violations macro). #}
{% test disclosure_audit(model, dimensions, count_column='record_count', metric_columns=[],
    withheld='suppressed = 1') %}
{{ disclosure_violations(model, dimensions, count_column, metric_columns, withheld) }}
{% endtest %}
