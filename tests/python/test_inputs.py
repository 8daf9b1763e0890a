"""Every input file is read correctly or refused clearly (issue 13).

Each kind of awkward file is a small hand-made file under
tests/fixtures/input_cases/<kind>/, laid over a copy of the tiny extract (the
1 MB field is written here: a megabyte is not a fixture to keep in git).

* Files that follow the contract, however awkwardly, must be read as they
  are: they share one build of an extract that carries all of them, each in
  a different file, and each kind has its own test of what was staged.
* Files that break it must stop the build in the contract check that runs
  before every dbt command, naming the file, the line and what to do, with
  no traceback and before any model is built.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from test_contract import PROJECT, TINY, dbt

CASES = PROJECT / "tests" / "fixtures" / "input_cases"
READABLE = ["bom", "crlf", "quoted_fields", "header_only", "header_case", "trailing_blank_lines",
            "field_count", "index_column"]
BIG_FIELD_FILE = Path("custody/BAR/people.csv")
MEGABYTE = 1_000_000


def lay_over(extract: Path, case: str) -> None:
    shutil.copytree(CASES / case, extract, dirs_exist_ok=True)


def write_big_field(extract: Path) -> None:
    """Barnstable's only person gets a last name of one million characters."""
    path = extract / BIG_FIELD_FILE
    text = path.read_text()
    assert ",Smith," in text
    path.write_text(text.replace(",Smith,", "," + "S" * MEGABYTE + ","))


@dataclass
class Build:
    extract: Path
    duckdb_path: Path
    output: str

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.duckdb_path), read_only=True) as connection:
            return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One extract with every readable kind in its own file, built through the
    staging models, the quarantine, the reconciliation test and rejected_records."""
    folder = tmp_path_factory.mktemp("awkward")
    extract = folder / "extract"
    shutil.copytree(TINY, extract)
    for case in READABLE:
        lay_over(extract, case)
    write_big_field(extract)
    duckdb_path = folder / "awkward.duckdb"
    result = dbt(["build", "--select", "+assert_source_rows_reconcile", "+rejected_records",
                  "--indirect-selection", "cautious"], extract, duckdb_path)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "assert_source_rows_reconcile" in result.stdout, "the reconciliation test did not run"
    return Build(extract, duckdb_path, result.stdout)


# ---------------------------------------------------------------- read as they are

def test_byte_order_mark_is_dropped(awkward: Build) -> None:
    assert (awkward.extract / "custody/SUF/people.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert awkward.query("select agency_person_id, sid, date_of_birth::varchar, quarantine_reason "
                         "from staging.stg_jms__people") == [("S1", "MA10000007", "1988-03-10", None)]


def test_crlf_line_ends(awkward: Build) -> None:
    assert b"\r\n" in (awkward.extract / "custody/SUF/placements.csv").read_bytes()
    # the last field of the row would carry the \r if the line end were misread
    assert awkward.query("select placement_id, release_date, release_type, facility_code, quarantine_reason "
                         "from staging.stg_jms__placements") == [("SP1", None, None, "SB", None)]


def test_quoted_fields_with_comma_quote_and_line_break(awkward: Build) -> None:
    assert awkward.query("select rows_parsed from contract_check.files_read "
                         "where source_file = 'court/charges.csv'") == [(4,)]
    staged = awkward.query("select docket_number, charge_number, statute, offense_severity, "
                           "disposition_code, quarantine_reason from staging.stg_court__charges "
                           "where docket_number = '2152CR001234'")
    assert staged == [("2152CR001234", 1, "266/30/A", "Felony", "GUILTY_PLEA", None)]


def test_header_only_file_has_no_rows(awkward: Build) -> None:
    assert not (awkward.extract / "custody/BAR/program_enrollments.csv").read_bytes().endswith(b"\n")
    assert awkward.query("select rows_parsed from contract_check.files_read "
                         "where source_file = 'custody/BAR/program_enrollments.csv'") == [(0,)]
    assert awkward.query("select count(*) from staging.stg_oms__program_enrollments "
                         "where agency_code = 'BAR'") == [(0,)]


def test_header_in_another_letter_case(awkward: Build) -> None:
    assert (awkward.extract / "custody/DOC/people.csv").read_text().startswith("AGENCY_PERSON_ID,SID,")
    assert awkward.query("select agency_person_id, sid, race, quarantine_reason from staging.stg_ims__people "
                         "order by 1") == [("D1", "MA12345674", "White", None),
                                           ("D2", "MA11111118", "Other / Unknown", None),
                                           ("D3", None, "Black / African American", None)]


def test_unnamed_first_column_is_read(awkward: Build) -> None:
    """An index column with an empty name (a spreadsheet or pandas export):
    an extra column, so the row is read and nothing is malformed."""
    assert (awkward.extract / "custody/WOR/people.csv").read_text().startswith(",agency_person_id,")
    assert awkward.query("select count(*) from contract_check.rows_malformed "
                         "where source_file = 'custody/WOR/people.csv'") == [(0,)]
    assert awkward.query("select agency_person_id, sid, quarantine_reason from staging.stg_oms__people "
                         "where agency_code = 'WOR'") == [("W1", "MA10000007", None)]


def test_one_megabyte_field(awkward: Build) -> None:
    assert awkward.query("select longest_value from contract_check.files_read "
                         "where source_file = 'custody/BAR/people.csv'") == [(MEGABYTE,)]
    assert awkward.query("select agency_person_id, sid, date_of_birth::varchar, quarantine_reason "
                         "from staging.stg_oms__people where agency_code = 'BAR'") == [
        ("B1", "MA22222226", "1995-01-15", None)]


def test_trailing_blank_lines_are_not_rows(awkward: Build) -> None:
    assert (awkward.extract / "custody/DOC/placements.csv").read_bytes().endswith(b"\n\n\n\n")
    assert awkward.query("select rows_parsed from contract_check.files_read "
                         "where source_file = 'custody/DOC/placements.csv'") == [(4,)]
    assert awkward.query("select count(*) from contract_check.rows_malformed "
                         "where source_file = 'custody/DOC/placements.csv'") == [(0,)]
    assert awkward.query("select count(*) from staging.stg_ims__placements") == [(4,)]


def test_rows_with_too_few_or_too_many_fields_are_quarantined(awkward: Build) -> None:
    """Row 5 has three fields and row 6 six, where the header names five: both
    are quarantined with their reason, counted in rejected_records and
    reconciled; the rows around them are read as usual."""
    assert awkward.query("select source_code, source_file, row_key, quarantine_reason "
                         "from intermediate.int_rows_quarantined where quarantine_reason like 'too %' "
                         "order by row_key") == [
        ("DOC", "custody/DOC/placement_charges.csv", "row 5", "too few fields"),
        ("DOC", "custody/DOC/placement_charges.csv", "row 6", "too many fields"),
    ]
    assert awkward.query("select placement_id, charge_seq from staging.stg_ims__placement_charges "
                         "order by 1") == [("P1", 1), ("P2", 1), ("P3", 1)]
    assert awkward.query("select reason, suppressed from marts.rejected_records "
                         "where file = 'placement_charges.csv' order by 1") == [
        ("too few fields", 1), ("too many fields", 1)]


# ---------------------------------------------------------------- refused

@dataclass
class Workspace:
    extract: Path
    duckdb_path: Path


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """One folder for every refused extract: with the same raw_path and target
    folder, dbt reuses its parse from one case to the next."""
    folder = tmp_path_factory.mktemp("refused")
    return Workspace(folder / "extract", folder / "refused.duckdb")


@pytest.fixture()
def extract(workspace: Workspace) -> Iterator[Path]:
    shutil.rmtree(workspace.extract, ignore_errors=True)
    workspace.duckdb_path.unlink(missing_ok=True)
    shutil.copytree(TINY, workspace.extract)
    yield workspace.extract


def refuse(extract: Path, duckdb_path: Path, *expected: str) -> str:
    """Build and expect the contract check to stop it, saying each expected
    text, before any model is built."""
    result = dbt(["build"], extract, duckdb_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-4000:]
    assert "Traceback" not in output
    assert "on-run-start" in output and "Source contract: file " in output, output[-4000:]
    for text in expected:
        assert text in output, f"{text!r} not in the message:\n{output[-3000:]}"
    with duckdb.connect(str(duckdb_path), read_only=True) as connection:
        built = connection.execute("select count(*) from information_schema.tables "
                                   "where table_schema in ('staging', 'intermediate', 'marts')").fetchone()
    assert built == (0,), "models were built although the extract was refused"
    return output


def test_byte_that_is_not_utf8_stops(extract: Path, workspace: Workspace) -> None:
    lay_over(extract, "not_utf8")
    refuse(extract, workspace.duckdb_path, "custody/SUF/people.csv", "row 2 ", "not UTF-8",
           "Export the file again in UTF-8")


def test_byte_that_is_not_utf8_in_the_header_stops(extract: Path, workspace: Workspace) -> None:
    """An extra column named in Latin-1: the header is checked on its own, as
    DuckDB would otherwise skip it and take the first row for the header."""
    lay_over(extract, "not_utf8_header")
    refuse(extract, workspace.duckdb_path, "custody/SUF/people.csv", "header (line 1)", "not UTF-8",
           "Export the file again in UTF-8")


def test_empty_file_stops(extract: Path, workspace: Workspace) -> None:
    lay_over(extract, "empty_file")
    assert (extract / "custody/BAR/program_enrollments.csv").stat().st_size == 0
    refuse(extract, workspace.duckdb_path, "custody/BAR/program_enrollments.csv", "is empty", "header row (line 1)")


def test_duplicated_header_column_stops(extract: Path, workspace: Workspace) -> None:
    lay_over(extract, "duplicate_column")
    refuse(extract, workspace.duckdb_path, "custody/SUF/people.csv", "'sid' more than once", "line 1, columns 2 and 10",
           "Keep one column of each name")


def test_unterminated_quote_on_the_first_row_stops_naming_the_row(extract: Path, workspace: Workspace) -> None:
    """Row 2 is where DuckDB's dialect sniffer reads; the check reads without
    it, so the message still names the row and says what to do."""
    lay_over(extract, "unterminated_quote")
    refuse(extract, workspace.duckdb_path, "custody/SUF/people.csv", "cannot be read at row 2 ",
           "RFC 4180")


def test_over_long_first_row_stops_without_printing_it(extract: Path, workspace: Workspace) -> None:
    """A 3 MB row (over DuckDB's line size limit) right after the header:
    refused by row number, and the row, which may hold a person's details,
    is not printed."""
    path = extract / BIG_FIELD_FILE
    text = path.read_text()
    assert ",Smith," in text
    path.write_text(text.replace(",Smith,", "," + "S" * (3 * MEGABYTE) + ","))
    output = refuse(extract, workspace.duckdb_path, str(BIG_FIELD_FILE), "cannot be read at row 2 ",
                    "line size limit")
    assert "S" * 100 not in output


def test_semicolon_delimited_file_stops(extract: Path, workspace: Workspace) -> None:
    lay_over(extract, "semicolons")
    refuse(extract, workspace.duckdb_path, "court/dockets.csv", "not comma-separated", "semicolons",
           "Export the file again with commas")
