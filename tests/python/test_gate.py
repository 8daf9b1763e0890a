"""The publish gate's checks that do not need a whole build: the candidate
holds exactly the build's rows, and the suites take their allowed values and
thresholds from the dbt project rather than from a list of their own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import MANIFEST, Published
from cross_tracking.disclosure.registry import small_count_max
from cross_tracking.publish.contract import Contract, load_contract
from cross_tracking.publish.dbt_manifest import PublicTable, column_tests, load_manifest, seed_files
from cross_tracking.publish.export import write_tables


def _build(path: Path) -> list[PublicTable]:
    """A private build in miniature: two marts in DuckDB."""
    connection = duckdb.connect(str(path))
    connection.execute("create schema marts")
    connection.execute("create table marts.counts as select * from (values ('a', 7), ('b', 9)) t(label, n)")
    connection.execute("create table marts.notes as select * from (values ('x'), ('y'), ('z')) t(note)")
    connection.close()
    return [PublicTable("counts", "", {"label": "", "n": ""}, ["label"]), PublicTable("notes", "", {"note": ""})]


def test_row_counts_agree_after_the_export(tmp_path: Path) -> None:
    from cross_tracking.publish.expectations import row_count_mismatches

    counts = write_tables(tmp_path / "build.duckdb", tmp_path / "candidate.db", _build(tmp_path / "build.duckdb"))
    assert counts == {"counts": 2, "notes": 3}
    assert row_count_mismatches(counts, tmp_path / "candidate.db") == []


@pytest.mark.parametrize(("change", "expected"), [
    ("delete from notes where note = 'y'", "notes: 3 rows in the build, 2 in candidate.db"),
    ("insert into counts values ('c', 1)", "counts: 2 rows in the build, 3 in candidate.db"),
    ("drop table notes", "notes: 3 rows in the build, missing from candidate.db"),
    ("create table stray (x)", "stray: 0 rows in candidate.db, not a table of the build"),
])
def test_a_row_count_mismatch_names_the_table_and_both_counts(tmp_path: Path, change: str, expected: str) -> None:
    from cross_tracking.publish.expectations import row_count_mismatches

    counts = write_tables(tmp_path / "build.duckdb", tmp_path / "candidate.db", _build(tmp_path / "build.duckdb"))
    connection = sqlite3.connect(tmp_path / "candidate.db")
    connection.execute(change)
    connection.commit()
    connection.close()
    assert row_count_mismatches(counts, tmp_path / "candidate.db") == [expected]


def test_publish_refuses_a_candidate_that_lost_rows(published: Published, monkeypatch: pytest.MonkeyPatch) -> None:
    """An export that loses a row (and says nothing) must not be published."""
    import cross_tracking.publish.__main__ as publishing

    real_write = publishing.write_tables

    def losing_export(duckdb_path: Path, sqlite_path: Path, tables: list[PublicTable]) -> dict[str, int]:
        counts = real_write(duckdb_path, sqlite_path, tables)
        connection = sqlite3.connect(sqlite_path)
        connection.execute("delete from custody_population where rowid = (select max(rowid) from custody_population)")
        connection.commit()
        connection.close()
        return counts

    monkeypatch.setattr(publishing, "write_tables", losing_export)
    before = published.db.resolve().read_bytes()
    assert publishing.publish(raw=published.raw, db=published.db, duckdb_path=published.duckdb_path,
                              build=False) == 1
    assert published.db.resolve().read_bytes() == before


# ---------------------------------------------------------------- where the suites' values come from

@pytest.fixture(scope="module")
def contract() -> Contract:
    if not MANIFEST.exists():
        pytest.skip("no target/manifest.json: run `make test` (or `make dbt-build`) first")
    return load_contract(MANIFEST)


def test_allowed_values_are_the_marts_tests(contract: Contract) -> None:
    manifest = load_manifest(MANIFEST)
    tests = column_tests(manifest, {"accepted_values"})
    assert tests, "the marts declare accepted_values tests"
    for test in tests:
        [labels] = [labels for labels in contract.allowed(test.table, test.column, True)
                    if labels.source.startswith("accepted_values")]
        assert list(labels.values) == list(test.kwargs["values"]), (test.table, test.column)


def test_a_values_in_seed_test_reads_its_seed_and_allows_the_registrys_total(contract: Contract) -> None:
    seeded = [test for test in column_tests(load_manifest(MANIFEST), {"values_in_seed"})
              if (test.table, test.column) == ("admissions_releases", "event_type")]
    if not seeded:
        pytest.skip("admissions_releases.event_type has no values_in_seed test any more")
    [labels] = contract.allowed("admissions_releases", "event_type", True)
    csv = seed_files(load_manifest(MANIFEST))[seeded[0].kwargs["seed"]]
    assert set(labels.values) == set(pd.read_csv(csv)[seeded[0].kwargs["seed_column"]]) | {"All"}


def test_a_column_without_a_test_borrows_what_the_other_marts_agree_on(contract: Contract) -> None:
    # offender_status: tested on the custody tables, not on admissions_releases
    [labels] = contract.allowed("admissions_releases", "offender_status", True)
    assert set(labels.values) == {"Pretrial", "Sentenced", "All"}
    # reason means different things in cohort_exclusions and court_misses: nothing to borrow
    assert contract.allowed("rejected_records", "reason", True) == []


def test_totals_and_r9_follow_the_registry(contract: Contract) -> None:
    assert contract.small_count_max == small_count_max()
    assert not contract.may_be_all("custody_offenses", "offender_status")  # fixed in the registry
    assert contract.may_be_all("custody_population", "offender_status")
    assert not contract.may_be_all("sid_coverage", "source")  # outside the registry: no totals
    assert contract.people_counts("recidivism", ["released", "recidivated", "rate"]) == {"released"}
    assert contract.people_counts("program_summary", ["enrollments", "first_year"]) == {"enrollments"}
