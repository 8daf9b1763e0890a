"""court_misses cells with disclosure control (R9, contract v2): each row
withheld, left out or published (cross_tracking.disclosure.suppress)."""

from cross_tracking.disclosure.suppress import suppress


def model(dbt, session):
    dbt.config(materialized="table")
    return suppress("court_misses", dbt.ref("int_court_misses_cells_aggregated").df())
