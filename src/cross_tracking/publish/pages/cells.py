"""Sets of published cells as Datasette table URLs, and what the pages know
about each table, read from the published file itself: its dimensions are
its primary key (declared from the dbt tests), their values are the
distinct values in the file. Nothing here runs SQL a visitor sends; every
row a page shows is fetched through the same public URL it links to."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from datasette.app import Datasette

DATABASE = "cross_tracking"
ALL = "All"
# Rows a page fetches in one request: Datasette's max_returned_rows.
MAX_ROWS = 5000


@dataclass(frozen=True)
class TableInfo:
    name: str
    dimensions: list[str]
    metrics: list[str]
    values: dict[str, list[Any]]  # each dimension's values in the file, `All` first
    description: str
    column_descriptions: dict[str, str]

    def has_all(self, dimension: str) -> bool:
        return ALL in self.values.get(dimension, [])


@dataclass
class Cells:
    """Rows of one table: exact filters, dimensions broken down (`__not=All`),
    and, by the `All` convention, `All` on every other dimension that has it.
    A dimension without an `All` value (snapshot dates, years, event) is left
    open unless filtered, so every value comes back."""

    table: TableInfo
    filters: dict[str, Any] = field(default_factory=dict)
    broken_down: list[str] = field(default_factory=list)
    within: dict[str, list[Any]] = field(default_factory=dict)  # column -> allowed values (`__in`)
    sort: str | None = None
    sort_desc: str | None = None
    size: int | None = None

    def parameters(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for dimension in self.table.dimensions:
            if dimension in self.filters:
                pairs.append((dimension, str(self.filters[dimension])))
            elif dimension in self.within:
                pairs.append((f"{dimension}__in", ",".join(str(v) for v in self.within[dimension])))
            elif dimension in self.broken_down:
                if self.table.has_all(dimension):
                    pairs.append((f"{dimension}__not", ALL))
            elif self.table.has_all(dimension):
                pairs.append((dimension, ALL))
        if self.sort_desc:
            pairs.append(("_sort_desc", self.sort_desc))
        elif self.sort or self.table.dimensions:
            pairs.append(("_sort", self.sort or self.table.dimensions[0]))
        pairs.append(("_size", str(self.size) if self.size else "max"))
        return pairs

    def url(self, extension: str) -> str:
        extra = [("_shape", "array")] if extension == "json" else []
        # no facets and no total count: same rows, less work for the server
        query = urlencode(self.parameters() + extra + [("_nofacet", "1"), ("_nocount", "1")])
        return f"/{DATABASE}/{self.table.name}.{extension}?{query}"

    @property
    def json_url(self) -> str:
        return self.url("json")

    @property
    def csv_url(self) -> str:
        return self.url("csv")


async def fetch(datasette: Datasette, cells: Cells) -> list[dict[str, Any]]:
    """The rows the JSON URL returns, through Datasette's own request handling."""
    # follow_redirects: a plugin such as datasette-hashed-urls may redirect to a versioned path
    response = await datasette.client.get(cells.json_url, follow_redirects=True)
    if response.status_code != 200:
        raise RuntimeError(f"{cells.json_url} answered {response.status_code}: {response.text[:200]}")
    rows: list[dict[str, Any]] = json.loads(response.text)
    return rows


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, "") if value == ALL else (1, value)


async def table_info(datasette: Datasette, name: str) -> TableInfo | None:
    """What the published file says about one table (cached per Datasette and
    per release file: a publish swaps the file under the same name)."""
    database = datasette.get_database(DATABASE)
    caches: dict[str, dict[str, TableInfo | None]] = datasette.__dict__.setdefault("_cross_tracking_tables", {})
    cache = caches.setdefault(str(database.path), {})
    if name in cache:
        return cache[name]
    if name not in await database.table_names():
        cache[name] = None
        return None
    described = (await database.execute(f'pragma table_info("{name}")')).rows
    dimensions = [row["name"] for row in sorted(described, key=lambda row: row["pk"]) if row["pk"] > 0]
    metrics = [row["name"] for row in described
               if row["pk"] == 0 and row["type"] in ("INTEGER", "REAL") and row["name"] != "suppressed"]
    values: dict[str, list[Any]] = {}
    for dimension in dimensions:
        # every dimension has an index (or leads the key), so this reads the index only
        found = (await database.execute(f'select distinct "{dimension}" from "{name}"')).rows
        values[dimension] = sorted((row[0] for row in found if row[0] is not None), key=_sort_key)
    metadata = datasette.metadata(database=DATABASE, table=name) or {}
    info = TableInfo(name=name, dimensions=dimensions, metrics=metrics, values=values,
                     description=str(metadata.get("description") or ""),
                     column_descriptions={str(k): str(v) for k, v in (metadata.get("columns") or {}).items()})
    cache[name] = info
    return info


async def statistic_tables(datasette: Datasette) -> list[str]:
    """The published tables of counts: a primary key and a `suppressed` column
    (the reference tables and disclosure_audit have neither)."""
    database = datasette.get_database(DATABASE)
    names = []
    for name in sorted(await database.table_names()):
        columns = await database.table_columns(name)
        if "suppressed" in columns:
            info = await table_info(datasette, name)
            if info is not None and info.dimensions:
                names.append(name)
    return names


def extract_as_of(datasette: Datasette) -> str | None:
    value = datasette.metadata("extract_as_of")
    return str(value) if value else None
