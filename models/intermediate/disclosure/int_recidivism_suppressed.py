"""recidivism cells with disclosure control (R9, contract v2): whole rows
withheld or left out on the released count, and recidivated (with the rate)
withheld by the rate rule (cross_tracking.disclosure.suppress)."""

from cross_tracking.disclosure.suppress import suppress_recidivism


def model(dbt, session):
    dbt.config(materialized="table")
    return suppress_recidivism(dbt.ref("int_recidivism_cells_aggregated").df())
