"""program_enrollments cells with disclosure control (R9, contract v2): each row
withheld, left out or published (cross_tracking.disclosure.suppress)."""

from cross_tracking.disclosure.suppress import suppress


def model(dbt, session):
    dbt.config(materialized="table")
    return suppress("program_enrollments", dbt.ref("int_program_enrollments_cells_aggregated").df())
