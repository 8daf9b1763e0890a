"""sentenced_charges cells with disclosure control (R9, contract v2): each row
withheld, left out or published (cross_tracking.disclosure.suppress)."""

from cross_tracking.disclosure.suppress import suppress


def model(dbt, session):
    dbt.config(materialized="table")
    return suppress("sentenced_charges", dbt.ref("int_sentenced_charges_cells_aggregated").df())
