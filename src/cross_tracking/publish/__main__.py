"""python -m cross_tracking.publish --raw EXTRACT_DIR --db build/cross_tracking.db

Builds the dbt project from an extract folder, runs every gate (dbt data
and unit tests, then the Great Expectations suites on the new SQLite file)
and only then adds the new file as a release named by the extract's as_of
and points --db at it (see releases.py): earlier releases stay where they
are. On any failure the published release is left untouched and the exit
code is 1."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..disclosure.audit import audit_file, standard_failures
from . import releases
from .dbt_manifest import PublicTable, public_tables
from .export import index_tables, write_tables
from .metadata import write_metadata

PROJECT = Path(__file__).resolve().parents[3]
MANIFEST = PROJECT / "target" / "manifest.json"


def _say(message: str) -> None:
    print(f"[publish] {message}", file=sys.stderr, flush=True)


def _fail(message: str, db: Path) -> int:
    state = f"{db} was left as it was" if db.exists() else f"nothing was published at {db}"
    _say(f"FAILED: {message}; {state}.")
    return 1


def run_dbt_build(raw: Path, duckdb_path: Path) -> bool:
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false",
               DBT_PROFILES_DIR=str(PROJECT), CROSS_TRACKING_DUCKDB=str(duckdb_path))
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), "build", "--vars", json.dumps({"raw_path": str(raw)})]
    return subprocess.run(command, cwd=PROJECT, env=env).returncode == 0


def publish(raw: Path, db: Path, duckdb_path: Path, build: bool = True) -> int:
    started = time.monotonic()
    if db.parent.parent.name.endswith(".releases"):
        return _fail(f"{db} is a file inside a release; pass the path that links to the current release "
                     "(DB=build/cross_tracking.db)", db)
    if not (raw / "manifest.json").exists():
        return _fail(f"{raw} is not an extract folder (no manifest.json); run `make extracts` "
                     "or pass RAW=<folder laid out as in the source contract>", db)
    db.parent.mkdir(parents=True, exist_ok=True)
    if build:
        _say(f"building and testing with dbt from {raw}")
        if not run_dbt_build(raw, duckdb_path):
            return _fail("dbt build or one of its tests failed (see the dbt output above)", db)
    tables = public_tables(MANIFEST)
    # the new release is written under a hidden name, renamed into place when complete
    staging = releases.releases_dir(db) / f".new-{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        return _publish_candidate(tables, raw, duckdb_path, staging / releases.DB_FILE, db, started)
    except Exception as error:  # any failure must leave the published release as it was
        traceback.print_exc()
        return _fail(f"{type(error).__name__}: {error}", db)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already once it was renamed


def _publish_candidate(tables: list[PublicTable], raw: Path, duckdb_path: Path, candidate: Path, db: Path,
                       started: float) -> int:
    # Great Expectations takes seconds to import: do it while DuckDB writes the
    # rows (DuckDB releases the GIL while it works). Its environment is set
    # here, before the thread starts, as setenv is not thread-safe.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    warm_up = threading.Thread(target=importlib.import_module, args=(f"{__package__}.expectations",),
                               daemon=True)
    warm_up.start()
    _say(f"exporting {len(tables)} public tables to {candidate}")
    counts = write_tables(duckdb_path, candidate, tables)
    for name, rows in counts.items():
        _say(f"  {name}: {rows:,} rows")
    # the gate of disclosure control, on the file itself: the attack an
    # outside analyst can make on exactly these rows
    _say(f"attacking {candidate.name} as an outside analyst would (protection standard)")
    short = standard_failures(audit_file(candidate, duckdb_path))
    if short:
        warm_up.join()
        return _fail("the protection standard is not met: " + "; ".join(short), db)
    warm_up.join()
    from .expectations import read_candidate, row_count_mismatches, validate_candidate

    # refused after the suites have run, so that their report is never a stale one
    lost = row_count_mismatches(counts, candidate)
    report = db.parent / "great_expectations"
    _say(f"validating {candidate} with Great Expectations (report in {report}), "
         "indexing it at the same time")
    loaded = read_candidate(candidate)
    # the suites read the frames already in memory, so the indexes (which do
    # not change a single value) are built on the other core meanwhile
    # and the extract's rows are counted for the releases table (DuckDB, off the GIL)
    with ThreadPoolExecutor(max_workers=2) as pool:
        indexing = pool.submit(index_tables, candidate, tables)
        counting = pool.submit(releases.source_rows, raw)
        passed = validate_candidate(loaded, report, MANIFEST)
        index_error = indexing.exception()
        files = counting.result() if passed and not lost and index_error is None else {}
    refused = [f"{candidate.name} does not hold the rows of the build ({'; '.join(lost)}): the export lost "
               "or added rows; publish again, and if it repeats look at export.write_tables"] if lost else []
    if not passed:
        refused.append(f"Great Expectations found problems (see {report}/summary.md)")
    if refused:
        return _fail("; ".join(refused), db)
    if index_error is not None:
        return _fail(f"indexing {candidate.name} failed: {index_error}", db)
    name = _record_release(raw, candidate, db, files)
    folder = candidate.parent
    as_of = json.loads((raw / "manifest.json").read_text()).get("as_of")
    write_metadata(PROJECT / "publish" / "metadata_base.yml", tables, folder / releases.METADATA_FILE, as_of)
    (folder / releases.INSPECT_FILE).write_text(json.dumps(releases.inspect(candidate), indent=2))
    info = json.loads((folder / releases.RELEASE_FILE).read_text())
    info["sha256"] = json.loads((folder / releases.INSPECT_FILE).read_text())["hash"]
    (folder / releases.RELEASE_FILE).write_text(json.dumps(info, indent=2))
    final = releases.releases_dir(db) / name
    os.rename(folder, final)  # complete, under its own name: servers may list it from now on
    # the swap: one rename(2) of the link; a request already running keeps the old file open
    releases.point_at(db, final / releases.DB_FILE)
    releases.point_at(db.parent / releases.METADATA_FILE, final / releases.METADATA_FILE)
    _say(f"published release {name} in {time.monotonic() - started:.1f} s: {db} -> {final / releases.DB_FILE}")
    _say(info["note"])
    return 0


def _record_release(raw: Path, candidate: Path, db: Path, files: dict[str, int]) -> str:
    """Add the releases and release_changes tables to the candidate and write
    release.json beside it; returns the release's name."""
    as_of = str(json.loads((raw / "manifest.json").read_text())["as_of"])
    current = releases.current_release(db)
    previous_file = db.resolve() if db.exists() else None
    past, past_changes = releases.history(previous_file)
    on_disk = {release.name for release in releases.list_releases(db)}
    name = releases.next_name(as_of, on_disk | {row["release"] for row in past})
    previous = current.name if current is not None else (past[-1]["release"] if past else None)
    _say("comparing with the release being served" if previous_file else "first release: nothing to compare")
    counts = releases.inspect_counts(candidate)
    if previous_file:
        changes = releases.compare(candidate, previous_file)
    else:  # the first release adds every cell
        changes = [{"table_name": table, "cells_before": 0, "cells_after": rows, "cells_revised": 0,
                    "cells_withdrawn": 0, "cells_added": rows} for table, rows in counts.items()]
    for change in changes:
        change.update(release=name, compared_with=previous or ("unreleased file" if previous_file else None))
    row = {
        "release": name, "as_of": as_of,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "project_version": releases.project_version(PROJECT),
        "previous_release": previous,
        "custody_rows": sum(n for f, n in files.items() if f.startswith("custody/")),
        "court_rows": sum(n for f, n in files.items() if f.startswith("court/")),
        "source_rows": json.dumps(files),
        "disclosure_audit": releases.audit_result(candidate),
        "cells": sum(counts.values()),
        "cells_revised": sum(c["cells_revised"] + c["cells_withdrawn"] for c in changes),
        "note": releases.note(changes, previous if previous_file else None),
    }
    releases.write_release_tables(candidate, [*past, row], [*past_changes, *changes])
    info = {**row, "source_rows": files, "name": name, "changes": changes}
    (candidate.parent / releases.RELEASE_FILE).write_text(json.dumps(info, indent=2))
    return name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cross_tracking.publish", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", required=True, type=Path, help="extract folder (source contract layout)")
    parser.add_argument("--db", type=Path, default=Path("build/cross_tracking.db"),
                        help="published SQLite file (default build/cross_tracking.db)")
    parser.add_argument("--duckdb", type=Path, default=Path("build/cross_tracking.duckdb"),
                        help="private DuckDB build file (default build/cross_tracking.duckdb)")
    parser.add_argument("--no-build", action="store_true",
                        help="reuse the last dbt build instead of building again")
    args = parser.parse_args(argv)
    # absolute, not resolved: --db is a link to the current release, and it is the link that moves
    return publish(args.raw.resolve(), Path(os.path.abspath(args.db)), args.duckdb.resolve(),
                   build=not args.no_build)


if __name__ == "__main__":
    sys.exit(main())
