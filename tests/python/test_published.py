"""The published SQLite file as the public sees it, through Datasette's test
client: tables and formats, documented filters, additivity of the `All` rows,
withheld rows, absence of personal data, the dbt docs as the single source of
descriptions, and the publishing gate (Great Expectations, atomic swap)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from datasette.app import Datasette

from conftest import MANIFEST, Published
from cross_tracking.publish.releases import RELEASE_TABLES
from cross_tracking.publish.serve import SETTINGS, command, datasette_for

DB_NAME = "cross_tracking"
ALL = "All"
# Additive metrics of each people-counting table and the dimensions along which
# they add up (None: every dimension that can be `All`). sentenced_charges counts a
# person once per kind of charge, so its people count only adds up across agencies.
ADDITIVE: dict[str, dict[str, list[str] | None]] = {
    "custody_population": {metric: None for metric in (
        "record_count", "total_enrollments", "beh_enrollments", "edu_enrollments", "sup_enrollments",
        "work_enrollments", "reinvestment_enrollments", "religious_enrollments")},
    "custody_offenses": {"record_count": None},
    "sentenced_charges": {"record_count": ["agency"], "charge_count": None, "conviction_count": None},
    "admissions_releases": {"record_count": None},
    "program_exits": {"exits": None},
    "program_enrollments": {"enrollments": None},
    "recidivism": {"released": None, "recidivated": None},
    "cohort_exclusions": {"record_count": None},
    "court_misses": {"record_count": None},
}
# Tables whose every cell is withheld in the sample: the generator writes about
# a dozen unknown codes per field at scale 0.05, spread over forty admission
# years and fourteen agencies (at scale 1 the statewide rows are published).
ALL_WITHHELD_IN_SAMPLE = {"unknown_codes"}
# The column holding the cell's count, by table (record_count unless listed).
CELL_COUNT = {"recidivism": "released", "program_exits": "exits", "sid_coverage": "records"}


# ---------------------------------------------------------------- helpers

def connect(db: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def tables_of(db: Path) -> list[str]:
    with connect(db) as connection:
        return [row[0] for row in connection.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")]


def columns_of(db: Path, table: str) -> list[sqlite3.Row]:
    with connect(db) as connection:
        return connection.execute(f'pragma table_info("{table}")').fetchall()


def primary_key(db: Path, table: str) -> list[str]:
    return [c["name"] for c in sorted(columns_of(db, table), key=lambda c: c["pk"]) if c["pk"] > 0]


def metrics_of(db: Path, table: str) -> list[str]:
    key = set(primary_key(db, table))
    return [c["name"] for c in columns_of(db, table)
            if c["type"] in ("INTEGER", "REAL") and c["name"] not in key and c["name"] != "suppressed"]


def withholding_tables(db: Path) -> list[str]:
    return [t for t in tables_of(db) if "suppressed" in {c["name"] for c in columns_of(db, t)}]


def mart_models() -> dict[str, dict[str, Any]]:
    """The dbt models under models/marts, read straight from dbt's manifest."""
    nodes = json.loads(MANIFEST.read_text())["nodes"].values()
    return {node["name"]: node for node in nodes
            if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/")}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def ds(published: Published) -> Datasette:
    """The Datasette that `make serve` runs (same settings and metadata)."""
    return datasette_for(published.db)


# ---------------------------------------------------------------- the server itself

async def test_served_with_the_large_table_settings(ds: Datasette) -> None:
    served = (await ds.client.get("/-/settings.json")).json()
    assert {name: served[name] for name in SETTINGS} == SETTINGS


def test_make_serve_command_answers_on_localhost(published: Published) -> None:
    """The command `make serve` runs (uvicorn workers over the factory) starts
    and answers a documented page on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    arguments, environment = command(published.db, port)
    assert "127.0.0.1" in arguments
    assert environment["DATASETTE_SECRET"], "the workers need one signing secret"
    server = subprocess.Popen(arguments, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/{DB_NAME}/custody_population.json?snapshot_date=2024-01-01&_size=1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    assert json.load(response)["rows"]
                break
            except urllib.error.HTTPError:
                raise  # the server answered, wrongly: no point in waiting
            except OSError:  # not listening yet
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else "server stopped"
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---------------------------------------------------------------- every table, both formats, documented

async def test_about_link_opens_how_to_read_the_tables(ds: Datasette) -> None:
    # The footer's "About" link of every page: the database page, whose
    # description says how the numbers are made.
    about_url = (await ds.client.get("/-/metadata.json")).json()["about_url"]
    page = await ds.client.get(about_url)
    assert page.status_code == 200, about_url
    assert "How to read these tables" in page.text


async def test_every_table_answers_json_and_csv(published: Published, ds: Datasette) -> None:
    tables = tables_of(published.db)
    assert set(tables) == set(mart_models()) | set(RELEASE_TABLES), \
        "the published file holds exactly the marts and the release tables"
    for table in tables:
        as_json = await ds.client.get(f"/{DB_NAME}/{table}.json?_size=5")
        assert as_json.status_code == 200, table
        assert as_json.json()["rows"], f"{table} has no rows"
        as_csv = await ds.client.get(f"/{DB_NAME}/{table}.csv?_size=5")
        assert as_csv.status_code == 200, table
        header = next(csv.reader(io.StringIO(as_csv.text)))
        if not primary_key(published.db, table):
            assert header.pop(0) == "rowid"  # Datasette's row key for a table without one
        assert header == [c["name"] for c in columns_of(published.db, table)], table


async def test_descriptions_come_from_the_dbt_docs(published: Published, ds: Datasette) -> None:
    served = (await ds.client.get("/-/metadata.json")).json()
    models = mart_models()
    for source in (published.metadata, served):
        documented = source["databases"][DB_NAME]["tables"]
        for table in tables_of(published.db):
            if table in RELEASE_TABLES:  # written by the publish step, described in publish/metadata_base.yml
                assert documented[table]["description"].strip(), f"{table} has no description"
                assert set(documented[table]["columns"]) == {c["name"] for c in columns_of(published.db, table)}
                continue
            model = models[table]
            assert documented[table]["description"].strip(), f"{table} has no description"
            assert documented[table]["description"] == model["description"].strip(), f"{table} drifted"
            for column in columns_of(published.db, table):
                name = column["name"]
                text = documented[table]["columns"].get(name, "")
                assert text.strip(), f"{table}.{name} has no description"
                assert name in model["columns"], f"{table}.{name} is not documented in dbt"
                assert text == model["columns"][name]["description"].strip(), f"{table}.{name} drifted"


# ---------------------------------------------------------------- filters and `All` rows

async def test_documented_filter_returns_the_documented_cells(published: Published, ds: Datasette) -> None:
    filters = {"snapshot_date": "2024-01-01", "agency": "Suffolk", "race": "White"}
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    response = await ds.client.get(f"/{DB_NAME}/custody_population.json?{query}&_shape=array&_size=max")
    assert response.status_code == 200
    rows = response.json()
    assert rows, "the documented example returns no cell"
    assert all(all(row[k] == v for k, v in filters.items()) for row in rows)
    key = primary_key(published.db, "custody_population")
    with connect(published.db) as connection:
        where = " and ".join(f'"{k}" = ?' for k in filters)
        expected = [dict(r) for r in connection.execute(
            f"select * from custody_population where {where}", list(filters.values()))]
    assert sorted(rows, key=lambda r: [r[k] for k in key]) == sorted(expected, key=lambda r: [r[k] for k in key])
    # the statewide-by-Suffolk-by-White cell itself is among them (every other dimension All)
    assert any(all(row[k] == ALL for k in key if k not in filters) for row in rows)


def additivity_violations(db: Path, private: Path, table: str, dimension: str,
                          metric: str) -> tuple[int, list[dict]]:
    """Relations (a row with `dimension` = All, its parts along `dimension`,
    every other dimension equal) where the total and every published part
    show `metric`; returns how many were checked and those where the total
    differs from the sum of its parts. A part left out of the publication
    (under a withheld row, contract v2) is absent, so where the private
    build left a part out the total may only be larger."""
    key = primary_key(db, table)
    others = [k for k in key if k != dimension]
    with connect(db) as connection:
        rows = pd.read_sql_query(f'select * from "{table}"', connection)
    build = duckdb.connect(str(private), read_only=True)
    try:
        cells = build.sql(f'select * from intermediate."int_{table}_suppressed"').df()
    finally:
        build.close()
    if "table_name" in cells:
        cells = cells[cells["table_name"] == table]
    cells = cells.astype({k: str for k in key})
    rows = rows.astype({k: str for k in key})
    left_out = (cells[(cells[dimension] != ALL) & cells["is_omitted"]].groupby(others).size()
                .rename("left_out").reset_index())
    parts = rows[rows[dimension] != ALL].groupby(others).agg(
        parts=(metric, "sum"), shown=(metric, "count"), rows=(metric, "size")).reset_index()
    totals = rows[(rows[dimension] == ALL) & rows[metric].notna()][others + [metric]].rename(columns={metric: "total"})
    joined = totals.merge(parts, on=others).merge(left_out, on=others, how="left").fillna({"left_out": 0})
    joined = joined[joined["shown"] == joined["rows"]]
    wrong = joined[((joined["left_out"] == 0) & (joined["total"] != joined["parts"]))
                   | (joined["total"] < joined["parts"])]
    return len(joined), wrong.drop(columns=["shown", "rows"]).to_dict("records")


@pytest.mark.parametrize("table", sorted(ADDITIVE))
def test_all_rows_are_the_sum_of_their_published_parts(published: Published, table: str) -> None:
    # A table renamed or dropped must fail here, not skip: every table in
    # ADDITIVE is one the API publishes.
    assert table in tables_of(published.db), f"{table} is not published: update ADDITIVE if it was renamed"
    key = primary_key(published.db, table)
    with connect(published.db) as connection:
        dimensions = [k for k in key if connection.execute(
            f'select 1 from "{table}" where "{k}" = ? limit 1', [ALL]).fetchone()]
    assert "agency" in dimensions
    checked_total = 0
    for dimension in dimensions:
        for metric in [m for m, along in ADDITIVE[table].items() if along is None or dimension in along]:
            checked, wrong = additivity_violations(published.db, published.duckdb_path, table, dimension, metric)
            checked_total += checked
            assert not wrong, (f"{table}: {len(wrong)} totals of {metric} along {dimension} differ "
                               f"from the sum of their parts, e.g. {wrong[:3]}")
    assert checked_total > 0, f"{table}: no fully published total to check"


# ---------------------------------------------------------------- withheld rows

async def test_withheld_rows_are_null_in_json_and_empty_in_csv(published: Published, ds: Datasette) -> None:
    tables = withholding_tables(published.db)
    assert tables
    for table in tables:
        metrics = metrics_of(published.db, table)
        rows = (await ds.client.get(f"/{DB_NAME}/{table}.json?suppressed=1&_shape=array&_size=50")).json()
        assert rows, f"{table}: the sample should have withheld cells"
        for row in rows:
            assert all(row[m] is None for m in metrics), f"{table}: a withheld row carries a figure: {row}"
        text = (await ds.client.get(f"/{DB_NAME}/{table}.csv?suppressed=1&_size=50")).text
        for row in csv.DictReader(io.StringIO(text)):
            assert row["suppressed"] == "1"
            assert all(row[m] == "" for m in metrics), f"{table}: a withheld CSV row carries a figure: {row}"
        # and a published row does show its count, so the emptiness above means something
        if table in ALL_WITHHELD_IN_SAMPLE:
            continue
        text = (await ds.client.get(f"/{DB_NAME}/{table}.csv?suppressed=0&_size=5")).text
        count = CELL_COUNT.get(table, "record_count")
        published_rows = list(csv.DictReader(io.StringIO(text)))
        assert published_rows and all(row[count] != "" for row in published_rows), table


# ---------------------------------------------------------------- no personal data

def extract_identifiers(raw: Path) -> dict[str, set[str]]:
    sources = {  # kind: [(file pattern, columns)]
        "name": [("custody/*/people.csv", ["last_name", "first_name"])],
        "sid": [("custody/*/people.csv", ["sid"]), ("court/dockets.csv", ["sid"])],
        "date of birth": [("custody/*/people.csv", ["date_of_birth"]), ("court/dockets.csv", ["defendant_dob"])],
        "docket number": [("custody/*/placement_charges.csv", ["docket_number"]),
                          ("court/dockets.csv", ["docket_number"])],
        "agency person id": [("custody/*/people.csv", ["agency_person_id"])],
        "placement id": [("custody/*/placements.csv", ["placement_id"])],
        "enrollment id": [("custody/*/program_enrollments.csv", ["enrollment_id"])],
    }
    connection = duckdb.connect()
    found: dict[str, set[str]] = {}
    for kind, files in sources.items():
        values: set[str] = set()
        for pattern, columns in files:
            relation = connection.sql(
                f"select {', '.join(columns)} from read_csv('{raw / pattern}', all_varchar = true, "
                "header = true, union_by_name = true)")
            for row in relation.fetchall():
                values.update(v.strip() for v in row if v and v.strip())
        found[kind] = values
    connection.close()
    return found


def test_no_value_matches_personal_data_from_the_extract(published: Published) -> None:
    identifiers = extract_identifiers(published.raw)
    assert all(identifiers.values()), "the sample extract should hold every kind of identifier"
    published_values: set[str] = set()
    vocabulary: set[str] = {ALL}
    with connect(published.db) as connection:
        for table in tables_of(published.db):
            withholds = "suppressed" in {c["name"] for c in columns_of(published.db, table)}
            for column in columns_of(published.db, table):
                if column["type"] != "TEXT":
                    continue
                values = {str(v) for (v,) in connection.execute(f'select distinct "{column["name"]}" from "{table}"')
                          if v is not None}
                published_values |= values
                if not withholds:
                    vocabulary |= values
    leaks: dict[str, list[str]] = {}
    for kind, values in identifiers.items():
        if kind == "name":
            # Names are compared without regard to case, except the words the project
            # itself publishes as labels or reference mappings: a surname such as WHITE
            # is the race label White there, not a person.
            common = {v.upper() for v in vocabulary}
            names = {v.upper() for v in values} - common
            hits = [v for v in published_values if v.upper() in names]
        else:
            # Short numeric ids ('1', '20') are also ordinary values (months, follow-up
            # years, codes), so an equal published value proves nothing; an id of six or
            # more characters, or mixing letters and digits, cannot match by chance. Every
            # real identifier and date has a digit: placeholders the extract carries in
            # these fields ('UNKNOWN') are words, not identifiers.
            distinctive = {v for v in values if re.search(r"\d", v)
                           and (len(v) >= 6 or re.search(r"[A-Za-z]", v))}
            hits = sorted(published_values & distinctive)
        if hits:
            leaks[kind] = sorted(hits)[:5]
    assert not leaks, f"published values equal personal data from the extract: {leaks}"


# ---------------------------------------------------------------- the Great Expectations gate

def write_tiny_db(path: Path, change: str | None = None) -> Path:
    """A hand-made file in the contract's shape: one published total, one published
    agency cell, one withheld agency cell, and a table the suites do not know."""
    dims = ["snapshot_date", "agency", "offender_status", "age_group", "assigned_sex",
            "gender_identity", "race", "ethnicity"]
    metrics = ["record_count", "mean_incarceration_days", "median_incarceration_days", "total_enrollments",
               "beh_enrollments", "edu_enrollments", "sup_enrollments", "work_enrollments",
               "reinvestment_enrollments", "religious_enrollments"]
    connection = sqlite3.connect(path)
    columns = ", ".join([f"{d} TEXT" for d in dims] + [f"{m} {'REAL' if 'days' in m else 'INTEGER'}"
                                                       for m in metrics] + ["suppressed INTEGER"])
    connection.execute(f"create table custody_population ({columns}, primary key ({', '.join(dims)}))")
    rest = [ALL] * 6
    rows: list[list[Any]] = [
        ["2024-01-01", ALL, *rest, 12, 100.5, 90.0, 3, 1, 0, 0, 2, 0, 0, 0],
        ["2024-01-01", "Suffolk", *rest, 8, 80.0, 70.0, 1, 1, 0, 0, 0, 0, 0, 0],
        ["2024-01-01", "Bristol", *rest, *[None] * 10, 1],
    ]
    connection.executemany(f"insert into custody_population values ({', '.join('?' * 19)})", rows)
    connection.execute("create table some_future_table (label TEXT, amount REAL, note TEXT)")
    connection.execute("insert into some_future_table values ('x', 1.5, NULL)")
    if change:
        connection.execute(change)
    connection.commit()
    connection.close()
    return path


BROKEN = {
    "a count of 1 to 4": ("update custody_population set record_count = 3 where agency = 'Suffolk'",
                          "record_count"),
    "a figure on a withheld row": ("update custody_population set mean_incarceration_days = 40 "
                                   "where suppressed = 1", "mean_incarceration_days"),
    "a label outside the contract": ("update custody_population set agency = 'Suffolk County' "
                                     "where agency = 'Suffolk'", "agency"),
    "a negative metric": ("update custody_population set work_enrollments = -1 where agency = 'All'",
                          "work_enrollments"),
    "an impossible stay": ("update custody_population set median_incarceration_days = 0 "
                           "where agency = 'All'", "median_incarceration_days"),
}


def test_expectations_pass_a_clean_file(tmp_path: Path) -> None:
    from cross_tracking.publish.expectations import validate

    report = tmp_path / "report"
    assert validate(write_tiny_db(tmp_path / "clean.db"), report)
    assert "FAILED" not in (report / "summary.md").read_text()
    assert {p.name for p in (report / "results").glob("*.json")} == {"custody_population.json",
                                                                      "some_future_table.json"}


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_expectations_reject_a_broken_file(tmp_path: Path, rule: str) -> None:
    from cross_tracking.publish.expectations import validate

    change, column = BROKEN[rule]
    report = tmp_path / "report"
    assert not validate(write_tiny_db(tmp_path / "broken.db", change), report)
    summary = (report / "summary.md").read_text()
    assert "custody_population: FAILED" in summary and column in summary


def test_publish_refuses_an_extract_folder_without_manifest(published: Published, tmp_path: Path) -> None:
    from cross_tracking.publish.__main__ import publish

    before = (digest(published.db), published.db.stat().st_mtime_ns)
    raw = tmp_path / "raw"
    shutil.copytree(published.raw, raw, ignore=shutil.ignore_patterns("manifest.json"))
    assert publish(raw=raw, db=published.db, duckdb_path=published.duckdb_path, build=False) == 1
    assert (digest(published.db), published.db.stat().st_mtime_ns) == before


def test_a_failing_gate_leaves_the_previous_database_in_place(
        published: Published, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second publish into the same path whose export carries a count of 3 (as a
    broken suppression macro would produce): the real Great Expectations gate must stop
    it, and the published file and its metadata must stay as they were. The export is
    replaced by the tiny hand-made file to keep the run short."""
    import cross_tracking.publish.__main__ as publishing

    def broken_export(duckdb_path: Path, sqlite_path: Path, tables: list, **kwargs: Any) -> dict[str, int]:
        write_tiny_db(sqlite_path, BROKEN["a count of 1 to 4"][0])
        return {"custody_population": 3}

    monkeypatch.setattr(publishing, "write_tables", broken_export)
    # the tiny file holds one of the public tables: nothing to index
    monkeypatch.setattr(publishing, "index_tables", lambda sqlite_path, tables: None)
    # the attack on the file (the gate before this one) is tested in test_attack.py
    monkeypatch.setattr(publishing, "audit_file", lambda sqlite_path, duckdb_path: pd.DataFrame())
    monkeypatch.setattr(publishing, "standard_failures", lambda result: [])
    db = published.db
    before = (digest(db), db.stat().st_mtime_ns, digest(published.metadata_path))
    assert publishing.publish(raw=published.raw, db=db, duckdb_path=published.duckdb_path, build=False) == 1
    assert (digest(db), db.stat().st_mtime_ns, digest(published.metadata_path)) == before
    assert not db.with_name(db.name + ".new").exists()
    summary = (db.parent / "great_expectations" / "summary.md").read_text()
    assert "custody_population: FAILED" in summary and "record_count" in summary


@pytest.mark.parametrize("failing_step", ["write_tables", "index_tables"])
def test_a_failing_step_leaves_the_previous_database_in_place(
        published: Published, monkeypatch: pytest.MonkeyPatch, failing_step: str) -> None:
    """An error in the export or in the index step (a full disk, say) must
    not replace the published file nor leave the candidate behind."""
    import cross_tracking.publish.__main__ as publishing

    def clean_export(duckdb_path: Path, sqlite_path: Path, tables: list, **kwargs: Any) -> dict[str, int]:
        write_tiny_db(sqlite_path)
        return {"custody_population": 3}

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(publishing, "write_tables", clean_export)
    monkeypatch.setattr(publishing, "index_tables", lambda sqlite_path, tables: None)
    monkeypatch.setattr(publishing, failing_step, broken)
    db = published.db
    before = (digest(db), db.stat().st_mtime_ns, digest(published.metadata_path))
    assert publishing.publish(raw=published.raw, db=db, duckdb_path=published.duckdb_path, build=False) == 1
    assert (digest(db), db.stat().st_mtime_ns, digest(published.metadata_path)) == before
    assert not db.with_name(db.name + ".new").exists()
