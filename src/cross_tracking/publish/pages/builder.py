"""The API query builder: a table, the breakdowns the published-database
contract allows (the agency, the date or year, and up to `max_breakdowns`
others) and filters on the other dimensions become the Datasette URL that returns exactly those cells,
with the `All` convention filled in. Its own state is its URL:
/query-builder?table=custody_population&by=race&snapshot_date=2024-01-01&agency=Suffolk"""

from __future__ import annotations

from typing import Any

from datasette.app import Datasette

from cross_tracking.disclosure import registry

from .cells import (
    ALL,
    MAX_ROWS,
    Cells,
    TableInfo,
    extract_as_of,
    fetch,
    statistic_tables,
    table_info,
)

# contract v2: a row breaks down at most this many dimensions besides the
# agency and the dimensions that are never All (its date or year)
MAX_BREAKDOWNS = registry.max_breakdowns()
NOT_CROSSED = [set(pair) for pair in registry.not_crossed()]
SPECS = registry.table_specs()
PREVIEW_ROWS = 50
DEFAULT_TABLE = "custody_population"


def cells_for(info: TableInfo, by: list[str], args: Any) -> tuple[Cells, list[str], list[str]]:
    """The cells the choices describe, the breakdowns kept and the dimensions
    left open because they have no `All` value and were not filtered."""
    kept: list[str] = []
    for dimension in dict.fromkeys(by):
        if dimension not in info.dimensions:
            continue
        if any(pair <= {dimension, *kept} for pair in NOT_CROSSED):
            continue  # never published crossed with one already chosen
        counted = sum(_counts(info, d) for d in {dimension, *kept})
        if _counts(info, dimension) and counted > MAX_BREAKDOWNS:
            continue
        kept.append(dimension)
    filters = {}
    for dimension in info.dimensions:
        value = args.get(dimension)
        if dimension in kept or value in (None, ""):
            continue
        if value in [str(v) for v in info.values[dimension]]:
            filters[dimension] = value
    open_dimensions = [d for d in info.dimensions
                       if d not in kept and d not in filters and not info.has_all(d)]
    return Cells(info, filters=filters, broken_down=kept), kept, open_dimensions


def _counts(info: TableInfo, dimension: str) -> bool:
    """Whether a breakdown counts towards the contract's limit: not the agency,
    nor a dimension that is never All, nor an offense sub-type (it counts
    with its type, as one breakdown)."""
    spec = SPECS.get(info.name)
    if spec is not None:
        return dimension in spec.breakdowns
    return dimension != "agency" and info.has_all(dimension)


def breakdown_slots(info: TableInfo) -> int:
    """Menus on the page: the limit, plus one for each breakdown that is free."""
    return MAX_BREAKDOWNS + sum(1 for d in info.dimensions if not _counts(info, d))


async def build(datasette: Datasette, request: Any) -> dict[str, Any]:
    args = request.args
    tables = await statistic_tables(datasette)
    name = args.get("table") if args.get("table") in tables else (
        DEFAULT_TABLE if DEFAULT_TABLE in tables else (tables[0] if tables else ""))
    info = await table_info(datasette, name) if name else None
    context: dict[str, Any] = {"tables": tables, "table": name, "info": info, "as_of": extract_as_of(datasette),
                               "max_breakdowns": MAX_BREAKDOWNS, "all": ALL}
    if info is None:
        return context
    cells, by, open_dimensions = cells_for(info, args.getlist("by"), args)
    rows = await fetch(datasette, cells)
    base = f"{request.scheme}://{request.host}"
    context.update({
        "by": by, "by_slots": by + [""] * (breakdown_slots(info) - len(by)), "filters": cells.filters,
        "open_dimensions": open_dimensions, "json_url": base + cells.json_url, "csv_url": base + cells.csv_url,
        "json_path": cells.json_url, "csv_path": cells.csv_url, "rows": rows[:PREVIEW_ROWS], "row_count": len(rows),
        # a page stops at the server's max_returned_rows; the rest is behind _next
        "truncated": len(rows) >= min(MAX_ROWS, int(datasette.setting("max_returned_rows"))),
        "preview_rows": PREVIEW_ROWS,
        "withheld": sum(1 for row in rows if row.get("suppressed") == 1),
        "columns": list(rows[0].keys()) if rows else info.dimensions + info.metrics,
    })
    return context
