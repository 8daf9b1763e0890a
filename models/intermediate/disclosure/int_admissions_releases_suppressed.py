"""admissions_releases cells with disclosure control (R9, contract v2): each row
withheld, left out or published (cross_tracking.disclosure.suppress)."""

from cross_tracking.disclosure.suppress import suppress


def model(dbt, session):
    dbt.config(materialized="table")
    return suppress("admissions_releases", dbt.ref("int_admissions_releases_cells_aggregated").df())
