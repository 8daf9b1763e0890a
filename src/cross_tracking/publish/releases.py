"""Dated releases of the published database, side by side on disk.

`make publish DB=build/cross_tracking.db` keeps every release in a folder
derived from DB, and DB itself becomes a symbolic link to the current one:

    build/cross_tracking.db  ->  cross_tracking.releases/2024-12-31/cross_tracking.db
    build/cross_tracking.releases/
        2024-06-30/   cross_tracking.db  metadata.yml  inspect.json  release.json
        2024-12-31/   ...

A release folder is written under a hidden name and renamed into place once
complete, and the link is replaced with rename(2), so a reader sees either
the old release or the new one, never a half-written file. A release is
named by the extract's `as_of`; a second publish of the same `as_of` gets
`<as_of>_2`, `_3` and so on, and a name is never used twice (the `releases`
table of the current release remembers every name, even of releases the
operator has since removed)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATABASE = "cross_tracking"
DB_FILE = "cross_tracking.db"
RELEASE_FILE = "release.json"
INSPECT_FILE = "inspect.json"
METADATA_FILE = "metadata.yml"
NAME_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}(_\d+)?$")


def releases_dir(db: Path) -> Path:
    """The folder that holds every release of the database published at `db`."""
    return db.parent / f"{db.stem}.releases"


def database_name(release: str) -> str:
    """The Datasette database (and permanent path) of one release."""
    return f"{DATABASE}_{release}"


@dataclass(frozen=True)
class Release:
    name: str
    folder: Path
    info: dict[str, Any]

    @property
    def db(self) -> Path:
        return self.folder / DB_FILE

    @property
    def as_of(self) -> str:
        return str(self.info["as_of"])

    @property
    def sha256(self) -> str:
        return str(self.info["sha256"])

    @property
    def route(self) -> str:
        """The hashed path: the content hash in the URL, so a cache may keep it forever."""
        return f"{database_name(self.name)}-{self.sha256[:7]}"


def list_releases(db: Path) -> list[Release]:
    """Complete releases, oldest first (a folder still being written has a
    hidden name and no release.json yet)."""
    root = releases_dir(db)
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        info_file = folder / RELEASE_FILE
        if NAME_PATTERN.match(folder.name) and info_file.exists() and (folder / DB_FILE).exists():
            found.append(Release(folder.name, folder, json.loads(info_file.read_text())))
    return sorted(found, key=lambda r: (r.as_of, r.info.get("built_at", ""), r.name))


def current_release(db: Path) -> Release | None:
    """The release `db` points at, or None when `db` is a plain file (published
    before releases existed, or made by hand)."""
    if not db.is_symlink():
        return None
    folder = db.resolve().parent
    info_file = folder / RELEASE_FILE
    if not info_file.exists():
        return None
    return Release(folder.name, folder, json.loads(info_file.read_text()))


def next_name(as_of: str, taken: set[str]) -> str:
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", as_of):
        raise ValueError(f"as_of {as_of!r} in the extract's manifest.json is not a YYYY-MM-DD date")
    name, number = as_of, 1
    while name in taken:
        number += 1
        name = f"{as_of}_{number}"
    return name


def point_at(link: Path, target: Path) -> None:
    """Make `link` a symbolic link to `target` in one rename(2): a process that
    opens `link` meanwhile gets the old target or the new one."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}.swap")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(os.path.relpath(target, link.parent))
    os.replace(temporary, link)


# ---------------------------------------------------------------- publishing a release

RELEASE_TABLES = ("releases", "release_changes")
RELEASES_COLUMNS = ["release", "as_of", "built_at", "project_version", "previous_release", "custody_rows",
                    "court_rows", "source_rows", "disclosure_audit", "cells", "cells_revised", "note"]
CHANGES_COLUMNS = ["release", "table_name", "compared_with", "cells_before", "cells_after", "cells_revised",
                   "cells_withdrawn", "cells_added"]


def project_version(project: Path) -> str:
    """pyproject's version and the commit it was built from (+dirty when the
    work tree had changes), so that a figure can be traced to the code."""
    import subprocess
    import tomllib

    version = tomllib.loads((project / "pyproject.toml").read_text())["project"]["version"]
    try:
        commit = subprocess.run(["git", "-C", str(project), "rev-parse", "--short=10", "HEAD"],
                                capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(project), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=30, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return version
    return f"{version}+{commit}{'.dirty' if dirty else ''}"


def source_rows(raw: Path) -> dict[str, int]:
    """Data rows of every CSV file of the extract, read as dbt reads them."""
    import duckdb

    counts: dict[str, int] = {}
    engine = duckdb.connect()
    try:
        engine.execute("set enable_progress_bar = false")
        for path in sorted(raw.rglob("*.csv")):
            row = engine.execute("select count(*) from read_csv(?, header = true, all_varchar = true, "
                                 "delim = ',', quote = '\"', escape = '\"')", [str(path)]).fetchone()
            counts[path.relative_to(raw).as_posix()] = int(row[0]) if row else 0
    finally:
        engine.close()
    return counts


def _columns(connection: sqlite3.Connection, schema: str, table: str) -> list[tuple[str, int]]:
    return [(row[1], row[5]) for row in connection.execute(f'pragma {schema}.table_info("{table}")')]


def _tables(connection: sqlite3.Connection, schema: str) -> list[str]:
    return [row[0] for row in connection.execute(
        f"select name from {schema}.sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")]


def compare(candidate: Path, previous: Path) -> list[dict[str, Any]]:
    """Per table, the cells (rows, one per published cell) of `previous` that
    `candidate` publishes again with another figure (revised: a value changed,
    or it became withheld or published), that it no longer publishes
    (withdrawn), and its new cells (added)."""
    # a URI connection, so that the attached `file:` name is read as a URI too
    connection = sqlite3.connect(f"file:{candidate}", uri=True)
    try:
        connection.execute("attach database ? as old", (f"file:{previous}?immutable=1",))
        old_tables = set(_tables(connection, "old"))
        changes = []
        for table in _tables(connection, "main"):
            if table in RELEASE_TABLES or table not in old_tables:
                continue
            new_columns, old_columns = _columns(connection, "main", table), _columns(connection, "old", table)
            key = [name for name, position in sorted(new_columns, key=lambda c: c[1]) if position > 0]
            old_key = [name for name, position in sorted(old_columns, key=lambda c: c[1]) if position > 0]
            shared = [name for name, _ in new_columns if name in {n for n, _ in old_columns}]
            before = connection.execute(f'select count(*) from old."{table}"').fetchone()[0]
            after = connection.execute(f'select count(*) from main."{table}"').fetchone()[0]
            if key and key == old_key:
                on = " and ".join(f'n."{c}" = o."{c}"' for c in key)
                differs = " or ".join(f'n."{c}" is not o."{c}"' for c in shared if c not in key) or "0"
                revised = connection.execute(
                    f'select count(*) from main."{table}" as n inner join old."{table}" as o on {on} '
                    f"where {differs}").fetchone()[0]
                kept = connection.execute(
                    f'select count(*) from main."{table}" as n inner join old."{table}" as o on {on}').fetchone()[0]
                withdrawn = before - kept
            else:  # no key to match cells by: a row not there again is withdrawn, a new one added
                listed = ", ".join(f'"{c}"' for c in shared)
                withdrawn = connection.execute(
                    f'select count(*) from (select {listed} from old."{table}" except '
                    f'select {listed} from main."{table}")').fetchone()[0]
                revised, kept = 0, before - withdrawn
            changes.append({"table_name": table, "cells_before": before, "cells_after": after,
                            "cells_revised": revised, "cells_withdrawn": withdrawn,
                            "cells_added": after - kept})
        return changes
    finally:
        connection.close()


def note(changes: list[dict[str, Any]], previous: str | None) -> str:
    if previous is None:
        return "First release."
    changed = [c for c in changes if c["cells_revised"] or c["cells_withdrawn"]]
    if not changed:
        return f"No cell published in release {previous} changed."
    parts = [f"{c['table_name']}: {c['cells_revised']:,} revised, {c['cells_withdrawn']:,} withdrawn"
             for c in changed]
    total = sum(c["cells_revised"] + c["cells_withdrawn"] for c in changed)
    return f"Revises {total:,} cells published in release {previous} ({'; '.join(parts)})."


def history(db: Path | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The releases and release_changes rows of an earlier release (none for a
    file published before releases existed)."""
    if db is None or not db.exists():
        return [], []
    connection = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        present = set(_tables(connection, "main"))
        if not set(RELEASE_TABLES) <= present:
            return [], []
        releases = [dict(row) for row in connection.execute("select * from releases order by as_of, built_at")]
        changes = [dict(row) for row in connection.execute("select * from release_changes")]
        return releases, changes
    finally:
        connection.close()


def write_release_tables(candidate: Path, releases: list[dict[str, Any]], changes: list[dict[str, Any]]) -> None:
    connection = sqlite3.connect(candidate)
    try:
        connection.execute(
            "create table releases (release TEXT, as_of TEXT, built_at TEXT, project_version TEXT, "
            "previous_release TEXT, custody_rows INTEGER, court_rows INTEGER, source_rows TEXT, "
            "disclosure_audit TEXT, cells INTEGER, cells_revised INTEGER, note TEXT, primary key (release))")
        connection.execute(
            "create table release_changes (release TEXT, table_name TEXT, compared_with TEXT, cells_before INTEGER, "
            "cells_after INTEGER, cells_revised INTEGER, cells_withdrawn INTEGER, cells_added INTEGER, "
            "primary key (release, table_name))")
        connection.executemany(f"insert into releases values ({', '.join('?' * len(RELEASES_COLUMNS))})",
                               [[row.get(c) for c in RELEASES_COLUMNS] for row in releases])
        connection.executemany(f"insert into release_changes values ({', '.join('?' * len(CHANGES_COLUMNS))})",
                               [[row.get(c) for c in CHANGES_COLUMNS] for row in changes])
        connection.commit()
    finally:
        connection.close()


def audit_result(candidate: Path) -> str:
    """The disclosure audit in one line: R9's rules (`audit_result`: `pass`, or
    `fail` and the tables that failed) and, where the file has it, the
    protection standard the attacker's audit checks (`protection_standard`)."""
    connection = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
    try:
        if "disclosure_audit" not in _tables(connection, "main"):
            return "no disclosure_audit table"
        columns = {row[1] for row in connection.execute("pragma table_info(disclosure_audit)")}
        standard = "protection_standard" if "protection_standard" in columns else "'met'"
        rows = connection.execute(
            f"select table_name, audit_result, {standard} from disclosure_audit order by table_name").fetchall()
    finally:
        connection.close()
    failed = [table for table, result, _ in rows if result != "pass"]
    rules = f"fail: {', '.join(failed)}" if failed else "pass"
    short = [table for table, _, met in rows if met != "met"]
    if not short:
        return rules
    return f"{rules}; protection standard not met ({len(short)} of {len(rows)} tables)"


def inspect(path: Path) -> dict[str, Any]:
    """What `datasette inspect` records (hash, size, row counts), for one file."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {table: {"count": connection.execute(f'select count(*) from "{table}"').fetchone()[0]}
                  for table in _tables(connection, "main")}
    finally:
        connection.close()
    return {"hash": digest.hexdigest(), "size": path.stat().st_size, "file": path.name, "tables": tables}


def inspect_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {table: connection.execute(f'select count(*) from "{table}"').fetchone()[0]
                for table in _tables(connection, "main") if table not in RELEASE_TABLES}
    finally:
        connection.close()
