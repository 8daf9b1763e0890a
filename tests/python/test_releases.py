"""Dated releases: each publish is a release named by the extract's as_of,
listed in the releases table with what it revised, served beside the earlier
ones, and swapped in without breaking a request in flight."""

from __future__ import annotations

import asyncio
import csv
import json
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Published
from cross_tracking.publish import lanes, releases
from cross_tracking.publish.serve import command, datasette_for

DB = "cross_tracking"
REVISED = 3  # cells of custody_population the second release revises
DIMENSIONS = ["snapshot_date", "agency", "offender_status", "age_group", "assigned_sex", "gender_identity",
              "race", "ethnicity"]


@dataclass
class TwoReleases:
    link: Path
    first: releases.Release
    second: releases.Release
    cells: list[dict[str, Any]]  # the revised cells as the first release published them


def _revise(path: Path) -> None:
    """What late records do to a past snapshot: a few published figures change."""
    connection = sqlite3.connect(path)
    connection.execute(
        "update custody_population set mean_incarceration_days = mean_incarceration_days + 1 "
        "where rowid in (select rowid from custody_population where suppressed = 0 and agency = 'Suffolk' "
        f"and snapshot_date = '2024-01-01' order by rowid limit {REVISED})")
    connection.commit()
    connection.close()


@pytest.fixture(scope="module")
def two_releases(published: Published, tmp_path_factory: pytest.TempPathFactory) -> TwoReleases:
    """The session's published sample as the first release (copied, not
    published again), then a real publish of the same extract whose export
    revises three cells."""
    import cross_tracking.publish.__main__ as publishing

    folder = tmp_path_factory.mktemp("releases")
    link = folder / "cross_tracking.db"
    source = published.db.resolve().parent
    first_folder = releases.releases_dir(link) / source.name
    shutil.copytree(source, first_folder)
    releases.point_at(link, first_folder / releases.DB_FILE)
    connection = sqlite3.connect(f"file:{link}?immutable=1", uri=True)
    connection.row_factory = sqlite3.Row
    before = [dict(row) for row in connection.execute(
        "select * from custody_population where suppressed = 0 and agency = 'Suffolk' "
        f"and snapshot_date = '2024-01-01' order by rowid limit {REVISED}")]
    connection.close()
    real_write = publishing.write_tables

    def revising_export(duckdb_path: Path, sqlite_path: Path, tables: list[Any], **kwargs: Any) -> dict[str, int]:
        counts = real_write(duckdb_path, sqlite_path, tables, **kwargs)
        _revise(sqlite_path)
        return counts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(publishing, "write_tables", revising_export)
        assert publishing.publish(raw=published.raw, db=link, duckdb_path=published.duckdb_path, build=False) == 0
    current = releases.current_release(link)
    assert current is not None
    first = next(r for r in releases.list_releases(link) if r.name == source.name)
    return TwoReleases(link, first, current, before)


# ---------------------------------------------------------------- naming and comparing

def test_a_release_is_named_by_as_of_and_a_name_is_never_reused() -> None:
    assert releases.next_name("2024-12-31", set()) == "2024-12-31"
    assert releases.next_name("2024-12-31", {"2024-12-31"}) == "2024-12-31_2"
    assert releases.next_name("2024-12-31", {"2024-12-31", "2024-12-31_2"}) == "2024-12-31_3"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        releases.next_name("31/12/2024", set())


def _tiny(path: Path, rows: list[tuple[str, str, int | None, int]]) -> Path:
    connection = sqlite3.connect(path)
    connection.execute("create table cells (agency TEXT, race TEXT, record_count INTEGER, suppressed INTEGER, "
                       "primary key (agency, race))")
    connection.executemany("insert into cells values (?, ?, ?, ?)", rows)
    connection.commit()
    connection.close()
    return path


def test_compare_counts_revised_withdrawn_and_added_cells(tmp_path: Path) -> None:
    """Cells are matched by their key: a changed figure and a cell newly
    withheld are revisions, a cell no longer there is withdrawn, a new key is added."""
    old = _tiny(tmp_path / "old.db", [("All", "All", 40, 0), ("Suffolk", "All", 12, 0), ("Suffolk", "White", 6, 0),
                                      ("Bristol", "All", 9, 0), ("Bristol", "White", 7, 0)])
    new = _tiny(tmp_path / "new.db", [("All", "All", 41, 0), ("Suffolk", "All", 12, 0), ("Suffolk", "White", None, 1),
                                      ("Bristol", "All", 9, 0), ("Plymouth", "All", 5, 0)])
    [change] = releases.compare(new, old)
    assert change == {"table_name": "cells", "cells_before": 5, "cells_after": 5, "cells_revised": 2,
                      "cells_withdrawn": 1, "cells_added": 1}
    assert releases.note([change], "2024-06-30") == (
        "Revises 3 cells published in release 2024-06-30 (cells: 2 revised, 1 withdrawn).")
    assert releases.note([{**change, "cells_revised": 0, "cells_withdrawn": 0}], "2024-06-30") == (
        "No cell published in release 2024-06-30 changed.")


# ---------------------------------------------------------------- the releases table

def _rows(db: Path, sql: str) -> list[dict[str, Any]]:
    connection = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute(sql)]
    finally:
        connection.close()


def test_the_releases_table_lists_every_release(two_releases: TwoReleases, published: Published) -> None:
    listed = _rows(two_releases.link, "select * from releases order by built_at, release")
    assert [row["release"] for row in listed] == ["2024-12-31", "2024-12-31_2"]
    as_of = json.loads((published.raw / "manifest.json").read_text())["as_of"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    files = {path.relative_to(published.raw).as_posix(): sum(1 for _ in csv.reader(path.open(newline=""))) - 1
             for path in published.raw.rglob("*.csv")}
    for row in listed:
        assert row["as_of"] == as_of
        assert time.strptime(row["built_at"], "%Y-%m-%dT%H:%M:%SZ")
        assert row["project_version"].startswith(version)
        assert json.loads(row["source_rows"]) == files
        assert row["custody_rows"] == sum(n for name, n in files.items() if name.startswith("custody/"))
        assert row["court_rows"] == sum(n for name, n in files.items() if name.startswith("court/"))
        # R9's rules pass and the tables meet the protection standard (docs/disclosure.md)
        assert row["disclosure_audit"] == "pass"
    assert listed[0]["previous_release"] is None and listed[0]["note"] == "First release."
    assert listed[1]["previous_release"] == "2024-12-31"
    # the first release's own file does not know what came after it
    assert [row["release"] for row in _rows(two_releases.first.db, "select release from releases")] == ["2024-12-31"]


def test_the_release_note_counts_the_revised_cells_per_table(two_releases: TwoReleases) -> None:
    changes = {row["table_name"]: row for row in _rows(
        two_releases.link, "select * from release_changes where release = '2024-12-31_2'")}
    assert changes["custody_population"]["cells_revised"] == REVISED
    assert changes["custody_population"]["compared_with"] == "2024-12-31"
    assert all(row["cells_revised"] == 0 and row["cells_withdrawn"] == 0 and row["cells_added"] == 0
               for table, row in changes.items() if table != "custody_population")
    [release] = _rows(two_releases.link, "select * from releases where release = '2024-12-31_2'")
    assert release["cells_revised"] == REVISED
    assert release["note"] == (f"Revises {REVISED} cells published in release 2024-12-31 "
                               f"(custody_population: {REVISED} revised, 0 withdrawn).")


# ---------------------------------------------------------------- serving them

def _cell_url(prefix: str, cell: dict[str, Any]) -> str:
    query = urllib.parse.urlencode({**{d: cell[d] for d in DIMENSIONS}, "_shape": "array", "_nofacet": "1"})
    return f"/{prefix}/custody_population.json?{query}"


async def test_current_and_earlier_releases_are_served_side_by_side(two_releases: TwoReleases) -> None:
    ds = datasette_for(two_releases.link)
    cell = two_releases.cells[0]
    old = cell["mean_incarceration_days"]
    for prefix, expected in ((DB, old + 1), (f"{DB}_2024-12-31", old), (two_releases.first.route, old),
                             (f"{DB}_2024-12-31_2", old + 1), (two_releases.second.route, old + 1)):
        response = await ds.client.get(_cell_url(prefix, cell))
        assert response.status_code == 200, prefix
        assert [row["mean_incarceration_days"] for row in response.json()] == [expected], prefix
    index = await ds.client.get("/")
    assert "Current release: 2024-12-31_2" in index.text
    assert f'href="/{DB}_2024-12-31"' in index.text
    listing = (await ds.client.get(f"/{DB}/releases.json?_shape=array")).json()
    assert [row["release"] for row in listing] == ["2024-12-31", "2024-12-31_2"]


async def test_a_request_in_flight_during_a_swap_gets_a_complete_answer(
        two_releases: TwoReleases, monkeypatch: pytest.MonkeyPatch) -> None:
    """A request holds in the middle of its queries while the link moves to
    the other release: it must finish with the answer of the release it
    started on; the next request gets the new one."""
    link, first, second = two_releases.link, two_releases.first, two_releases.second
    cell = two_releases.cells[0]
    url = _cell_url(DB, cell).replace("&_nofacet=1", "&_facet=race")
    reference = (await datasette_for(first.db).client.get(url)).json()
    entered, release_it = asyncio.Event(), asyncio.Event()
    real_execute = lanes.LaneDatabase.execute

    async def held(self: lanes.LaneDatabase, sql: str, *args: Any, **kwargs: Any) -> Any:
        results = await real_execute(self, sql, *args, **kwargs)
        if "from custody_population" in sql and "count(*)" not in sql and not entered.is_set():
            entered.set()  # only the first request waits
            await release_it.wait()
        return results

    releases.point_at(link, first.db)
    try:
        ds = datasette_for(link)
        monkeypatch.setattr(lanes.LaneDatabase, "execute", held)
        in_flight = asyncio.ensure_future(ds.client.get(url))
        await asyncio.wait_for(entered.wait(), timeout=30)
        releases.point_at(link, second.db)  # the swap, as publish does it
        after = await ds.client.get(url)
        assert not in_flight.done()
        release_it.set()
        answer = await asyncio.wait_for(in_flight, timeout=30)
    finally:
        releases.point_at(link, second.db)
    assert answer.status_code == 200
    assert answer.json() == reference
    assert [row["mean_incarceration_days"] for row in after.json()] == [cell["mean_incarceration_days"] + 1]


def test_swaps_under_load_on_the_real_server(two_releases: TwoReleases) -> None:
    """uvicorn's worker processes serve while the link flips between the two
    releases every 50 ms: every answer is complete and from one release."""
    link, first, second = two_releases.link, two_releases.first, two_releases.second
    cell = two_releases.cells[0]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    arguments, environment = command(link, port)
    server = subprocess.Popen(arguments, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}" + _cell_url(DB, cell)
    seen: list[float] = []
    failures: list[str] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    seen.extend(row["mean_incarceration_days"] for row in json.load(response))
            except (OSError, ValueError) as error:
                failures.append(repr(error))

    try:
        _wait_until_served(server, url)
        clients = [threading.Thread(target=client) for _ in range(4)]
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 4
        flips = 0
        while time.monotonic() < deadline:
            releases.point_at(link, (first if flips % 2 == 0 else second).db)
            flips += 1
            time.sleep(0.05)
        stop.set()
        for thread in clients:
            thread.join(timeout=30)
    finally:
        stop.set()
        releases.point_at(link, second.db)
        server.terminate()
        server.wait(timeout=30)
    assert not failures, failures[:5]
    old = cell["mean_incarceration_days"]
    assert set(seen) == {old, old + 1}, "every answer comes whole from one of the two releases"
    assert len(seen) > 20


def _wait_until_served(server: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            raise
        except OSError:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else "server stopped"
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.5)


async def test_an_old_release_goes_when_the_operator_removes_it(two_releases: TwoReleases) -> None:
    """Last in this module: it removes the first release."""
    ds = datasette_for(two_releases.link)
    cell = two_releases.cells[0]
    assert (await ds.client.get(_cell_url(f"{DB}_2024-12-31", cell))).status_code == 200
    shutil.rmtree(two_releases.first.folder)
    assert (await ds.client.get(_cell_url(f"{DB}_2024-12-31", cell))).status_code == 404
    assert (await ds.client.get(_cell_url(DB, cell))).status_code == 200
    listing = (await ds.client.get(f"/{DB}/releases.json?_shape=array")).json()
    assert [row["release"] for row in listing] == ["2024-12-31", "2024-12-31_2"], "the history stays"


def test_publish_refuses_a_file_inside_a_release_as_db(two_releases: TwoReleases, published: Published) -> None:
    from cross_tracking.publish.__main__ import publish

    inside = two_releases.second.db
    assert publish(raw=published.raw, db=inside, duckdb_path=published.duckdb_path, build=False) == 1


def test_a_table_without_a_key_counts_rows_withdrawn_and_added(tmp_path: Path) -> None:
    """A reference table has no key to match cells by: of the old rows (A, B,
    C) and the new ones (A, B, D), C is withdrawn and D added; nothing can be
    called revised."""
    files = {}
    for name, labels in (("old", "ABC"), ("new", "ABD")):
        files[name] = tmp_path / f"{name}.db"
        with sqlite3.connect(files[name]) as connection:
            connection.execute("create table age_group_ranges (age_group text, low integer)")
            connection.executemany("insert into age_group_ranges values (?, ?)",
                                   [(label, position) for position, label in enumerate(labels)])
    (change,) = releases.compare(files["new"], files["old"])
    assert change == {"table_name": "age_group_ranges", "cells_before": 3, "cells_after": 3,
                      "cells_revised": 0, "cells_withdrawn": 1, "cells_added": 1}
