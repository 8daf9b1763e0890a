"""The attacker's audit on worked examples (R9 and the protection standard)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cross_tracking.disclosure.attack import attack, propagate
from cross_tracking.disclosure.system import Measure, TableSpec, build_system

SPEC = TableSpec(name="t", dimensions=["year", "agency", "race"], fixed=["year"], count="record_count",
                 measures=[Measure("record_count", lower=1)])


def frame(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """(agency, race, true count, suppressed) -> published rows with the truth beside them."""
    data = pd.DataFrame(rows, columns=["agency", "race", "_true_record_count", "suppressed"])
    data.insert(0, "year", "2017")
    data["record_count"] = data["_true_record_count"].where(data["suppressed"] == 0)
    return data


def test_nineteen_minus_fifteen_pins_four_withheld_rows_to_one() -> None:
    """Statewide 19; published agencies add up to 15; four agency rows are
    withheld: each holds exactly one person."""
    rows = [("All", "Black", 19, 0), ("A", "Black", 10, 0), ("B", "Black", 5, 0)]
    rows += [(agency, "Black", 1, 1) for agency in "CDEF"]
    system = build_system([(SPEC, frame(rows))])
    lo, hi = propagate(system)
    assert list(lo) == [1, 1, 1, 1] and list(hi) == [1, 1, 1, 1]
    result = attack(system)
    assert result.failing.all() and result.pinned.all()


def test_two_withheld_rows_with_room_keep_one_to_four() -> None:
    """Total 20 = 12 published + 3 (withheld, primary) + 5 (withheld,
    complementary): the primary row can be anything from 1 to 7."""
    rows = [("All", "Black", 20, 0), ("A", "Black", 12, 0), ("B", "Black", 3, 1), ("C", "Black", 5, 1)]
    system = build_system([(SPEC, frame(rows))])
    result = attack(system)
    primary = system.names["is_primary"].to_numpy()
    assert primary.sum() == 1
    assert not result.failing.any()
    lo, hi = propagate(system)
    assert (lo[primary], hi[primary]) == ([1], [7])


def test_too_little_room_fails_the_upper_side() -> None:
    """Total 10 = 6 published + 2 (primary) + 2 (complementary): the
    primary row is at most 3, so the attacker learns it is not 4."""
    rows = [("All", "Black", 10, 0), ("A", "Black", 6, 0), ("B", "Black", 2, 1), ("C", "Black", 2, 1)]
    system = build_system([(SPEC, frame(rows))])
    result = attack(system)
    assert result.failing[system.names["is_primary"].to_numpy()].all()


def test_audit_reports_the_nineteen_minus_fifteen_table() -> None:
    """The audit of a published table, as the gate reads it: the four
    withheld agency rows of the 19 - 15 example are pinned, and the table
    falls short of the standard."""
    from cross_tracking.disclosure.audit import audit

    rows = [("All", "All", 19), ("A", "All", 10), ("B", "All", 5)] + [(agency, "All", 1) for agency in "CDEF"]
    private = pd.DataFrame(rows, columns=["agency", "exit_reason", "exits"]).assign(year=2017, psi_area="All")
    published = private.assign(suppressed=(private["exits"] < 5).astype(int))
    published["exits"] = published["exits"].where(published["suppressed"] == 0)
    result = audit({"program_exits": published}, {"program_exits": private}, lp=True).set_index("table_name")
    assert result.loc["program_exits", "primary_counts_pinned"] == 4
    assert result.loc["program_exits", "primary_values_short"] == 4
    assert result.loc["program_exits", "narrowest_primary_interval"] == "1 to 1"


def test_audit_passes_a_table_with_room() -> None:
    """Total 20 = 12 published + 3 (small) + 5 (complementary): nothing is
    pinned and the small count could be anything from 1 to 7."""
    from cross_tracking.disclosure.audit import audit

    rows = [("All", "All", 20), ("A", "All", 12), ("B", "All", 3), ("C", "All", 5)]
    private = pd.DataFrame(rows, columns=["agency", "exit_reason", "exits"]).assign(year=2017, psi_area="All")
    published = private.assign(suppressed=private["agency"].isin(["B", "C"]).astype(int))
    published["exits"] = published["exits"].where(published["suppressed"] == 0)
    for lp in (False, True):
        result = audit({"program_exits": published}, {"program_exits": private}, lp=lp).set_index("table_name")
        assert result.loc["program_exits", "pinned_values"] == 0
        assert result.loc["program_exits", "primary_values_short"] == 0


def test_a_type_is_the_sum_of_its_sub_types() -> None:
    """Sentenced charges: Drug 12 = Possession 9 (published) + Trafficking 3
    (withheld): the sub-type relation pins it."""
    spec = TableSpec(name="t", dimensions=["year", "offense_type", "offense_subtype"], fixed=["year"],
                     count="record_count", hierarchies=[["offense_type", "offense_subtype"]],
                     measures=[Measure("record_count", lower=1)])
    rows = [("All", "All", 12, 0), ("Drug", "All", 12, 0), ("Drug", "Possession", 9, 0), ("Drug", "Trafficking", 3, 1)]
    data = pd.DataFrame(rows, columns=["offense_type", "offense_subtype", "_true_record_count", "suppressed"])
    data.insert(0, "year", "2017")
    data["record_count"] = data["_true_record_count"].where(data["suppressed"] == 0)
    lo, hi = propagate(build_system([(spec, data)]))
    assert (lo[0], hi[0]) == (3, 3)


def test_a_row_two_tables_share_is_one_unknown() -> None:
    """The all-offenses row of custody_offenses is custody_population's row
    with gender identity All: withheld in one table and published in the
    other, it is given away."""
    from cross_tracking.disclosure import registry

    specs = registry.table_specs()
    population = pd.DataFrame({
        "snapshot_date": ["2024-01-01"] * 3, "agency": ["All", "Suffolk", "Essex"],
        "offender_status": ["Sentenced"] * 3, "age_group": ["All"] * 3, "assigned_sex": ["All"] * 3,
        "gender_identity": ["All"] * 3, "race": ["All"] * 3, "ethnicity": ["All"] * 3,
        "_true_record_count": [15, 12, 3], "suppressed": [0, 1, 1]})
    population["record_count"] = population["_true_record_count"].where(population["suppressed"] == 0)
    offenses = population[["snapshot_date", "agency", "offender_status", "age_group", "assigned_sex", "race",
                           "ethnicity", "_true_record_count"]].assign(
        offense_type="All", offense_subtype="All", offense_severity="All", suppressed=[0, 0, 1])
    offenses["record_count"] = offenses["_true_record_count"].where(offenses["suppressed"] == 0)
    members = ["custody_population", "custody_offenses"]
    system = build_system([(specs["custody_population"], population), (specs["custody_offenses"], offenses)],
                          registry.links_for(members))
    # Suffolk is published in custody_offenses, so it is no unknown at all;
    # Essex is one unknown for both tables, pinned at 15 - 12
    assert system.size == 1
    lo, hi = propagate(system)
    assert (lo[0], hi[0]) == (3, 3)


def test_a_longer_window_holds_everyone_a_shorter_one_does() -> None:
    """Recidivism: nobody of a cohort recidivated within 2 years (published
    0), so the withheld 1-year figure is 0 too."""
    spec = TableSpec(name="t", dimensions=["release_year", "followup_years"], fixed=["release_year",
                     "followup_years"], count="released",
                     measures=[Measure("released", lower=1, same_across=["followup_years"]),
                               Measure("recidivated", withheld_when="null", at_most=["released"],
                                       nondecreasing_along="followup_years")])
    data = pd.DataFrame({"release_year": ["2019", "2019"], "followup_years": ["1", "2"],
                         "_true_released": [30, 30], "_true_recidivated": [0, 0], "suppressed": [0, 0],
                         "released": [30, 30], "recidivated": [None, 0]})
    system = build_system([(spec, data)])
    lo, hi = propagate(system)
    assert system.size == 1 and (lo[0], hi[0]) == (0, 0)


def test_publish_gate_refuses_a_file_with_a_pinned_value(tmp_path: Path) -> None:
    """The gate `make publish` runs on the release file itself: the 19 - 15
    file is refused (four small rows pinned at 1); the same rows with a
    complementary row of room beside them pass."""
    import sqlite3

    import duckdb

    from cross_tracking.disclosure.audit import audit_file, standard_failures

    def files(rows: list[tuple[str, int, int]], name: str) -> tuple[Path, Path]:
        private = pd.DataFrame([(agency, n) for agency, n, _ in rows], columns=["agency", "exits"])
        private = private.assign(year=2017, psi_area="All", exit_reason="All")[
            ["year", "agency", "psi_area", "exit_reason", "exits"]]
        published = private.assign(suppressed=[withheld for *_, withheld in rows])
        published["exits"] = published["exits"].where(published["suppressed"] == 0)
        build = duckdb.connect(str(tmp_path / f"{name}.duckdb"))
        build.execute("create schema intermediate")
        build.register("cells", private)
        build.execute("create table intermediate.int_program_exits_suppressed as select * from cells")
        build.close()
        with sqlite3.connect(tmp_path / f"{name}.db") as release:
            published.to_sql("program_exits", release, index=False)
        return tmp_path / f"{name}.db", tmp_path / f"{name}.duckdb"

    pinned = [("All", 19, 0), ("A", 10, 0), ("B", 5, 0)] + [(agency, 1, 1) for agency in "CDEF"]
    refused = standard_failures(audit_file(*files(pinned, "pinned")))
    assert refused and refused[0].startswith("program_exits (4 values of small rows short")
    room = [("All", 25, 0), ("A", 10, 0), ("B", 5, 1), ("C", 2, 1), ("D", 8, 0)]
    assert standard_failures(audit_file(*files(room, "room"))) == []
