"""The Great Expectations gate on a candidate SQLite file, before it is published.

Reads every table of the file, builds its suite (suites.py) from what the
dbt project says of it (contract.py: the marts' tests in target/manifest.json,
the registry and R9's threshold in dbt_project.yml), runs the suites, and
writes summary.md and the raw results. Also checks that the file holds
exactly the rows of the build it was exported from (row_count_mismatches).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from .contract import Contract, load_contract
from .export import sqlite_engine
from .suites import FROM, WARNING_ONLY, TableShape, build_suite, table_shape

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import great_expectations as gx  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

MANIFEST = Path(__file__).resolve().parents[3] / "target" / "manifest.json"
UNEXPECTED_SHOWN = 5
# Arrow -> pandas: a withheld count is null, so integers must stay nullable (not float).
_NULLABLE_INTEGERS = {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int64Dtype()}


def _condition_text(condition: Any) -> str:
    if isinstance(condition, dict) and {"column", "operator", "parameter"} <= condition.keys():
        column = condition["column"]
        name = column.get("name") if isinstance(column, dict) else column
        return f"{name} {condition['operator']} {condition['parameter']!r}"
    return condition if isinstance(condition, str) else json.dumps(condition)


def _failure_line(result: dict[str, Any]) -> str:
    config = result.get("expectation_config") or {}
    kwargs = config.get("kwargs") or {}
    where = kwargs.get("column") or kwargs.get("column_list") or \
        [kwargs[k] for k in ("column_A", "column_B") if k in kwargs] or "table"
    details = result.get("result") or {}
    parts = [f"`{config.get('type')}` on {where}"]
    if kwargs.get("row_condition"):
        parts.append(f"where {_condition_text(kwargs['row_condition'])}")
    if "unexpected_count" in details:
        sample = details.get("partial_unexpected_list") or []
        parts.append(f"{details['unexpected_count']} unexpected, e.g. {sample[:UNEXPECTED_SHOWN]}")
    elif details.get("observed_value") is not None:
        parts.append(f"observed {details['observed_value']}")
    if details.get("partial_missing_list"):
        parts.append(f"missing {details['partial_missing_list'][:UNEXPECTED_SHOWN]}")
    if (config.get("meta") or {}).get(FROM):
        parts.append(f"(allowed values from the {config['meta'][FROM]})")
    exception = (result.get("exception_info") or {})
    if exception.get("raised_exception"):
        parts.append(f"error: {str(exception.get('exception_message'))[:200]}")
    return " ".join(parts)


def _quiet() -> None:
    for name in ("great_expectations", "great_expectations.core", "posthog"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="great_expectations")


@dataclass
class Candidate:
    """The tables of a candidate SQLite file, read once for every suite."""
    path: Path
    columns: dict[str, list[tuple[str, str, int]]]  # (name, declared type, position in the key) by table
    frames: dict[str, pd.DataFrame]


def _table_names(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")]


def read_candidate(sqlite_path: Path) -> Candidate:
    """Read every table of the file into a data frame, through DuckDB's SQLite
    reader and Arrow (about 4 times faster than DuckDB's own pandas conversion
    at scale 1). Integer columns stay nullable integers, not floats."""
    started = time.monotonic()
    connection = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        tables = _table_names(connection)
        columns = {table: [(row[1], row[2], row[5]) for row in connection.execute(f'pragma table_info("{table}")')]
                   for table in tables}
    finally:
        connection.close()
    engine = sqlite_engine()
    try:
        engine.execute(f"attach '{sqlite_path}' as candidate (type sqlite, read_only)")
        frames = {table: engine.execute(f'select * from candidate."{table}"').to_arrow_table().to_pandas(
            types_mapper=_NULLABLE_INTEGERS.get) for table in tables}
    finally:
        engine.close()
    print(f"[expectations] read {len(tables)} tables in {time.monotonic() - started:.1f} s",
          file=sys.stderr, flush=True)
    return Candidate(sqlite_path, columns, frames)


def row_count_mismatches(build_counts: Mapping[str, int], sqlite_path: Path) -> list[str]:
    """Each table whose rows in the SQLite file differ from its mart's in the
    build (`build_counts`, as export.write_tables counted them), and each table
    only one side has; empty when the file holds every row of the build."""
    connection = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        tables = _table_names(connection)
        written = {table: connection.execute(f'select count(*) from "{table}"').fetchone()[0] for table in tables}
    finally:
        connection.close()
    problems = []
    for table in sorted(set(build_counts) | set(written)):
        if table not in written:
            problems.append(f"{table}: {build_counts[table]:,} rows in the build, missing from {sqlite_path.name}")
        elif table not in build_counts:
            problems.append(f"{table}: {written[table]:,} rows in {sqlite_path.name}, not a table of the build")
        elif written[table] != build_counts[table]:
            problems.append(f"{table}: {build_counts[table]:,} rows in the build, {written[table]:,} "
                            f"in {sqlite_path.name}")
    return problems


def validate(sqlite_path: Path, report_dir: Path, manifest: Path = MANIFEST) -> bool:
    """read_candidate, then validate_candidate."""
    return validate_candidate(read_candidate(sqlite_path), report_dir, manifest)


def validate_candidate(candidate: Candidate, report_dir: Path, manifest: Path = MANIFEST) -> bool:
    """Run one suite per table of the candidate, with the allowed values of the
    dbt tests in `manifest`; write summary.md and the raw JSON results under
    `report_dir`; True only when every suite passes."""
    _quiet()
    contract = load_contract(manifest)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "results").mkdir(exist_ok=True)
    for old in (report_dir / "results").glob("*.json"):
        old.unlink()
    shapes = {table: table_shape(table, columns, contract) for table, columns in candidate.columns.items()}
    with warnings.catch_warnings():  # GE warns about its own deprecations, once per expectation
        warnings.simplefilter("ignore")
        return _validate_frames(candidate.path, report_dir, shapes, candidate.frames, contract, time.monotonic())


def _validate_frames(sqlite_path: Path, report_dir: Path, shapes: dict[str, TableShape],
                     frames: dict[str, pd.DataFrame], contract: Contract, started: float) -> bool:
    tables = list(shapes)
    withholding = [table for table, shape in shapes.items() if shape.withholds]
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("published")

    lines = [f"# Great Expectations on {sqlite_path.name}", ""]
    all_passed = True
    for table in tables:
        table_started = time.monotonic()
        try:
            suite = build_suite(shapes[table], contract, withholding)
            asset = source.add_dataframe_asset(table)
            batch = asset.add_batch_definition_whole_dataframe(table).get_batch(
                batch_parameters={"dataframe": frames[table]})
            result = batch.validate(suite, result_format="SUMMARY").to_json_dict()
        except Exception as error:  # a broken suite must stop the publish, not crash it
            result = {"success": False, "results": [], "error": repr(error)}
        (report_dir / "results" / f"{table}.json").write_text(json.dumps(result, indent=1, default=str))
        failed = [item for item in result["results"] if not item.get("success")]
        warned = [item for item in failed if (item.get("expectation_config") or {}).get("meta", {}).get(WARNING_ONLY)]
        failed = [item for item in failed if item not in warned]
        passed = "error" not in result and not failed
        all_passed &= passed
        ran = len(result["results"])
        state = ("passed" if passed else f"FAILED {len(failed)}" + (" (error)" if "error" in result else "")) \
            + (f", {len(warned)} warning(s)" if warned else "")
        print(f"[expectations] {table}: {len(frames[table]):,} rows, {ran} expectations, {state} "
              f"({time.monotonic() - table_started:.1f} s)",
              file=sys.stderr, flush=True)
        lines.append(f"## {table}: {'passed' if passed else 'FAILED'}")
        lines.append(f"{len(frames[table]):,} rows; {ran} expectations run, {len(failed)} failed"
                     f"{f', {len(warned)} warning(s)' if warned else ''}.")
        if "error" in result:
            lines.append(f"- the suite could not run: {result['error']}")
        lines += [f"- {_failure_line(item)}" for item in failed]
        lines += [f"- warning: {_failure_line(item)}" for item in warned]
        lines.append("")
    lines.insert(1, f"\nResult: {'every suite passed' if all_passed else 'FAILED'} "
                    f"({len(tables)} tables, {time.monotonic() - started:.1f} s).")
    (report_dir / "summary.md").write_text("\n".join(lines) + "\n")
    return all_passed
