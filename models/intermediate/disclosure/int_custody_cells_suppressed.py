"""custody_population and custody_offenses cells with disclosure control
(R9, contract v2), decided together: the all-offenses rows of
custody_offenses are the custody_population rows with gender identity All,
one cell published twice, so both tables withhold it alike. One row per cell
of either table (`table_name` says which), with is_withheld, is_omitted and
suppression (cross_tracking.disclosure.suppress)."""

from cross_tracking.disclosure.suppress import suppress_custody


def model(dbt, session):
    dbt.config(materialized="table")
    return suppress_custody(dbt.ref("int_population_cells_aggregated").df(),
                            dbt.ref("int_offense_cells_aggregated").df())
