"""python -m cross_tracking.publish --raw EXTRACT_DIR --db build/cross_tracking.db

Builds the dbt project from an extract folder, runs every gate (dbt data
and unit tests, then the Great Expectations suites on the new SQLite file)
and only then swaps the new file in place of the published one. On any
failure the published file is left untouched and the exit code is 1."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .dbt_manifest import PublicTable, public_tables
from .export import index_tables, write_tables
from .metadata import write_metadata

PROJECT = Path(__file__).resolve().parents[3]


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
    if not (raw / "manifest.json").exists():
        return _fail(f"{raw} is not an extract folder (no manifest.json); run `make extracts` "
                     "or pass RAW=<folder laid out as in the source contract>", db)
    db.parent.mkdir(parents=True, exist_ok=True)
    if build:
        _say(f"building and testing with dbt from {raw}")
        if not run_dbt_build(raw, duckdb_path):
            return _fail("dbt build or one of its tests failed (see the dbt output above)", db)
    tables = public_tables(PROJECT / "target" / "manifest.json")
    candidate = db.with_name(db.name + ".new")
    try:
        as_of = json.loads((raw / "manifest.json").read_text()).get("as_of")
        return _publish_candidate(tables, duckdb_path, candidate, db, started, as_of)
    except Exception as error:  # any failure must leave the published file as it was
        traceback.print_exc()
        return _fail(f"{type(error).__name__}: {error}", db)
    finally:
        candidate.unlink(missing_ok=True)  # gone already once it was swapped in


def _publish_candidate(tables: list[PublicTable], duckdb_path: Path, candidate: Path, db: Path,
                       started: float, as_of: str | None = None) -> int:
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
    warm_up.join()
    from .expectations import read_candidate, validate_candidate

    report = db.parent / "great_expectations"
    _say(f"validating {candidate} with Great Expectations (report in {report}), "
         "indexing it at the same time")
    loaded = read_candidate(candidate)
    # the suites read the frames already in memory, so the indexes (which do
    # not change a single value) are built on the other core meanwhile
    with ThreadPoolExecutor(max_workers=1) as pool:
        indexing = pool.submit(index_tables, candidate, tables)
        passed = validate_candidate(loaded, report)
        index_error = indexing.exception()
    if not passed:
        return _fail(f"Great Expectations found problems (see {report}/summary.md)", db)
    if index_error is not None:
        return _fail(f"indexing {candidate.name} failed: {index_error}", db)
    write_metadata(PROJECT / "publish" / "metadata_base.yml", tables, db.parent / "metadata.yml", as_of)
    os.replace(candidate, db)
    _say(f"published {db} in {time.monotonic() - started:.1f} s; metadata in {db.parent / 'metadata.yml'}")
    return 0


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
    return publish(args.raw.resolve(), args.db.resolve(), args.duckdb.resolve(), build=not args.no_build)


if __name__ == "__main__":
    sys.exit(main())
