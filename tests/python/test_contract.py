"""The dbt project against hand-made extracts: it must accept any folder that
follows the source contract, and stop with a message naming the file and the
column when the structure is wrong."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT = Path(__file__).resolve().parents[2]
TINY = PROJECT / "tests" / "fixtures" / "tiny_extract"
DBT = Path(sys.executable).parent / "dbt"


def dbt(args: list[str], raw: Path, duckdb_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false",
               DBT_PROFILES_DIR=str(PROJECT), CROSS_TRACKING_DUCKDB=str(duckdb_path))
    target = duckdb_path.parent / "target"
    return subprocess.run([str(DBT), *args, "--target-path", str(target), "--vars", json.dumps({"raw_path": str(raw)})],
                          cwd=PROJECT, env=env, capture_output=True, text=True)


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "extract"
    shutil.copytree(TINY, folder)
    return folder


def drop_column(path: Path, column: str) -> None:
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    position = rows[0].index(column)
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([value for index, value in enumerate(row) if index != position] for row in rows)


def test_every_dbt_test_holds_on_a_tiny_hand_made_extract(tiny: Path, tmp_path: Path) -> None:
    result = dbt(["build"], tiny, tmp_path / "tiny.duckdb")
    assert result.returncode == 0, result.stdout[-4000:]
    assert "ERROR=0" in result.stdout


def test_extra_and_reordered_columns_are_accepted(tiny: Path, tmp_path: Path) -> None:
    people = tiny / "custody" / "SUF" / "people.csv"
    with people.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = ["note", *reversed(list(rows[0].keys()))]
    with people.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({**row, "note": "extra, quoted"} for row in rows)
    result = dbt(["build", "--select", "+stg_jms__people", "--indirect-selection", "cautious"], tiny,
                 tmp_path / "tiny.duckdb")
    assert result.returncode == 0, result.stdout[-4000:]
    connection = duckdb.connect(str(tmp_path / "tiny.duckdb"), read_only=True)
    staged = connection.execute(
        "select agency_person_id, sid, date_of_birth::varchar, race, quarantine_reason from staging.stg_jms__people"
    ).fetchall()
    assert staged == [("S1", "MA10000007", "1988-03-10", "Asian / Pacific Islander", None)]


def test_missing_column_stops_with_file_and_column(tiny: Path, tmp_path: Path) -> None:
    drop_column(tiny / "custody" / "BER" / "placements.csv", "custody_status_code")
    result = dbt(["build"], tiny, tmp_path / "tiny.duckdb")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "custody/BER/placements.csv" in output
    assert "custody_status_code" in output


def test_missing_file_stops_with_the_file(tiny: Path, tmp_path: Path) -> None:
    (tiny / "court" / "charges.csv").unlink()
    result = dbt(["build"], tiny, tmp_path / "tiny.duckdb")
    assert result.returncode != 0
    assert "court/charges.csv" in result.stdout + result.stderr
