"""What the public can send, and what it costs: open SQL off, canned queries
through an index, bounded pages, no streamed CSV, time limits that hold in
the heavy lane, an event loop that stays free while a heavy query runs, and
the Cache-Control a CDN reads. On the published sample (see conftest)."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from datasette.database import QueryInterrupted

from conftest import Published
from cross_tracking.publish import lanes
from cross_tracking.publish.serve import HTML_MAX_ROWS, RELEASE_MAX_AGE, SETTINGS, datasette_for

DB = "cross_tracking"
PAGE = f"/{DB}/custody_population.json?snapshot_date=2024-01-01&agency=Suffolk&race=White"
# counts for ever: only a time limit stops it
ENDLESS = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"


async def test_open_sql_is_refused_and_canned_queries_answer(published: Published) -> None:
    ds = datasette_for(published.db)
    for path in (f"/{DB}.json?sql=select+1", f"/{DB}?sql=select+1", f"/{DB}.json?sql=" + ENDLESS.replace(" ", "+")):
        response = await ds.client.get(path)
        assert response.status_code == 403, path
    queries = published.metadata["databases"][DB]["queries"]
    assert queries, "the canned queries are what replaces open SQL"
    for name in queries:
        response = await ds.client.get(f"/{DB}/{name}.json?release_year=2020")
        assert response.status_code == 200, name
        assert response.json()["rows"], name


def test_every_canned_query_reads_through_an_index(published: Published) -> None:
    """A canned query is the only SQL the public can run: none may scan a
    whole table, whatever parameter it is given."""
    connection = sqlite3.connect(f"file:{published.db}?immutable=1", uri=True)
    for name, query in published.metadata["databases"][DB]["queries"].items():
        plan = [row[3] for row in connection.execute(f"explain query plan {query['sql']}",
                                                     {"release_year": "2020"})]
        scans = [step for step in plan if step.startswith("SCAN")]
        assert not scans, f"canned query {name} scans a table: {scans}"


async def test_streamed_csv_is_refused_and_pages_are_bounded(published: Published) -> None:
    ds = datasette_for(published.db)
    stream = await ds.client.get(f"/{DB}/admissions_releases.csv?_stream=on")
    assert stream.status_code == 400
    largest = await ds.client.get(f"/{DB}/admissions_releases.json?_size=max&_nofacet=1")
    assert largest.status_code == 200
    assert len(largest.json()["rows"]) == SETTINGS["max_returned_rows"] == 1000
    too_large = await ds.client.get(f"/{DB}/admissions_releases.json?_size=5000")
    assert too_large.status_code == 400
    page = await ds.client.get(f"/{DB}/admissions_releases?_size=max&_nofacet=1")
    assert page.status_code == 200
    assert page.text.count("<tr") - 1 == HTML_MAX_ROWS  # rows plus the heading row


async def test_facets_and_sorts_from_the_heavy_lane_equal_the_event_loop_ones(
        published: Published, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no inline budget every query runs in the heavy process: the
    pages must be exactly what Datasette gives on the event loop."""
    paths = [f"/{DB}/custody_offenses.json?_facet=age_group&_facet=race&_facet=ethnicity&_facet=offense_subtype",
             f"/{DB}/admissions_releases.json?_sort_desc=record_count&agency=Suffolk",
             f"/{DB}/recidivism.json?release_year=2020&_facet=measure&_size=3", PAGE]
    on_loop = datasette_for(published.db, mode="loop")
    expected = [(await on_loop.client.get(path)).json() for path in paths]
    monkeypatch.setattr(lanes, "INLINE_CPU_MS", 0)
    heavy = datasette_for(published.db, mode="lanes")
    served = [(await heavy.client.get(path)).json() for path in paths]
    for answer, reference in zip(served, expected, strict=True):
        answer.pop("query_ms", None)
        reference.pop("query_ms", None)
        assert json.dumps(answer, sort_keys=True) == json.dumps(reference, sort_keys=True)


async def _endless(ds: object, request: lanes.Request) -> float:
    token = lanes.CURRENT.set(request)
    started = time.monotonic()
    try:
        with pytest.raises(QueryInterrupted):
            await asyncio.wait_for(ds.get_database(DB).execute(ENDLESS), timeout=20)  # type: ignore[attr-defined]
    finally:
        lanes.CURRENT.reset(token)
    return time.monotonic() - started


async def test_the_time_limit_holds_in_the_heavy_lane(published: Published) -> None:
    ds = datasette_for(published.db)
    request = lanes.Request()
    elapsed = await _endless(ds, request)
    assert request.heavy, "a query over the inline budget moves to the heavy lane"
    limit = SETTINGS["sql_time_limit_ms"] / 1000  # type: ignore[operator]
    assert limit <= elapsed < limit + 5  # the heavy process starts on first use (about a second)


async def test_the_request_deadline_covers_the_wait_for_the_heavy_lane(published: Published) -> None:
    ds = datasette_for(published.db)
    await _endless(ds, lanes.Request())  # the heavy process is running from here on
    request = lanes.Request()
    request.deadline = time.monotonic() + 0.5
    assert await _endless(ds, request) < 1.5
    full = lanes.Request()
    ds.releases.lanes.waiting = lanes.HEAVY_QUEUE  # type: ignore[union-attr]
    assert await _endless(ds, full) < 0.5, "a full heavy lane refuses at once"


async def test_the_event_loop_serves_cheap_pages_while_a_heavy_query_runs(published: Published) -> None:
    ds = datasette_for(published.db)
    await _endless(ds, lanes.Request())  # start the heavy process
    heavy = asyncio.ensure_future(_endless(ds, lanes.Request()))
    await asyncio.sleep(0.3)
    assert not heavy.done()
    started = time.monotonic()
    for _ in range(5):
        response = await ds.client.get(PAGE)
        assert response.status_code == 200
    cheap = (time.monotonic() - started) / 5
    assert not heavy.done(), "the heavy query ended before the cheap pages were measured"
    assert cheap < 0.5, f"a cheap page took {cheap:.2f} s while a heavy query ran"
    await heavy


async def test_cache_control_a_cdn_can_honour(published: Published) -> None:
    ds = datasette_for(published.db)
    current = await ds.client.get(PAGE)
    assert current.headers["cache-control"] == "public, max-age=60"
    errors = await ds.client.get(f"/{DB}/admissions_releases.csv?_stream=on")
    assert errors.headers["cache-control"] == "no-store"
    release = json.loads((published.db.resolve().parent / "release.json").read_text())
    for path in (f"/{DB}_{release['name']}", f"/{DB}_{release['name']}-{release['sha256'][:7]}"):
        answer = await ds.client.get(PAGE.replace(f"/{DB}/", f"{path}/"))
        assert answer.status_code == 200, path
        assert answer.headers["cache-control"] == f"public, max-age={RELEASE_MAX_AGE}, immutable"
        assert answer.json()["rows"] == current.json()["rows"]
    uncached = datasette_for(published.db, cache_ttl=0)
    assert (await uncached.client.get(PAGE)).headers["cache-control"] == "no-cache"


def test_the_heavy_lane_ends_with_its_worker(published: Published, tmp_path: Path) -> None:
    """A worker killed without cleaning up (no atexit, as after SIGKILL)
    must not leave its heavy process running."""
    script = tmp_path / "worker.py"
    script.write_text(f"""
import asyncio, os, sys
from pathlib import Path
from cross_tracking.publish import lanes
from cross_tracking.publish.serve import datasette_for

async def main():
    ds = datasette_for(Path({str(published.db)!r}))
    token = lanes.CURRENT.set(lanes.Request())
    try:
        await ds.get_database("cross_tracking").execute({ENDLESS!r})
    except Exception:
        pass
    print(*ds.releases.lanes.heavy._processes, flush=True)
    os._exit(0)

if __name__ == "__main__":
    asyncio.run(main())
""")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, "PYTHONPATH": str(Path(lanes.__file__).parents[2])})
    pids = [int(pid) for pid in done.stdout.split()]
    assert pids, done.stderr
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids), "the heavy process outlived its worker"
