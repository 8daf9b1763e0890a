"""Copy the public tables from the DuckDB build into a new SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb

from .dbt_manifest import PublicTable

BATCH_ROWS = 50_000


def _sqlite_type(duckdb_type: str) -> str:
    kind = duckdb_type.upper()
    if any(word in kind for word in ("INT", "BOOL")):
        return "INTEGER"
    if any(word in kind for word in ("DOUBLE", "FLOAT", "DECIMAL", "REAL")):
        return "REAL"
    return "TEXT"


def export_tables(duckdb_path: Path, sqlite_path: Path, tables: list[PublicTable],
                  schema: str = "marts") -> dict[str, int]:
    """Write every public table, with its primary key and an index on each
    dimension column, into a fresh SQLite file. Returns row counts."""
    if sqlite_path.exists():
        sqlite_path.unlink()
    source = duckdb.connect(str(duckdb_path), read_only=True)
    source.execute("set enable_progress_bar = false")
    target = sqlite3.connect(sqlite_path)
    counts: dict[str, int] = {}
    try:
        for table in tables:
            described = source.execute(f'describe "{schema}"."{table.name}"').fetchall()
            columns = [(row[0], _sqlite_type(row[1])) for row in described]
            missing = [name for name, _ in columns if name not in table.columns]
            if missing:
                raise RuntimeError(f"{table.name}: columns {missing} have no description in the dbt docs")
            column_sql = ", ".join(f'"{name}" {kind}' for name, kind in columns)
            key_sql = f', primary key ({", ".join(table.primary_key)})' if table.primary_key else ""
            target.execute(f'create table "{table.name}" ({column_sql}{key_sql})')
            order = f" order by {', '.join(table.primary_key)}" if table.primary_key else ""
            cursor = source.execute(f'select * from "{schema}"."{table.name}"{order}')
            placeholders = ", ".join("?" for _ in columns)
            total = 0
            while batch := cursor.fetchmany(BATCH_ROWS):
                target.executemany(f'insert into "{table.name}" values ({placeholders})', batch)
                total += len(batch)
            for column in table.primary_key[1:]:
                target.execute(f'create index "idx_{table.name}_{column}" on "{table.name}" ("{column}")')
            counts[table.name] = total
        target.commit()
        target.execute("analyze")
        target.commit()
    finally:
        source.close()
        target.close()
    return counts
