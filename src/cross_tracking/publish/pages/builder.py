"""The API query builder: a table, up to three breakdowns and filters on the
other dimensions become the Datasette URL that returns exactly those cells,
with the `All` convention filled in. Its own state is its URL:
/query-builder?table=custody_population&by=race&snapshot_date=2024-01-01&agency=Suffolk"""

from __future__ import annotations

from typing import Any

from datasette.app import Datasette

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

MAX_BREAKDOWNS = 3
PREVIEW_ROWS = 50
DEFAULT_TABLE = "custody_population"


def cells_for(info: TableInfo, by: list[str], args: Any) -> tuple[Cells, list[str], list[str]]:
    """The cells the choices describe, the breakdowns kept and the dimensions
    left open because they have no `All` value and were not filtered."""
    kept = [d for d in dict.fromkeys(by) if d in info.dimensions][:MAX_BREAKDOWNS]
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
        "by": by, "by_slots": by + [""] * (MAX_BREAKDOWNS - len(by)), "filters": cells.filters,
        "open_dimensions": open_dimensions, "json_url": base + cells.json_url, "csv_url": base + cells.csv_url,
        "json_path": cells.json_url, "csv_path": cells.csv_url, "rows": rows[:PREVIEW_ROWS], "row_count": len(rows),
        # a page stops at the server's max_returned_rows; the rest is behind _next
        "truncated": len(rows) >= min(MAX_ROWS, int(datasette.setting("max_returned_rows"))),
        "preview_rows": PREVIEW_ROWS,
        "withheld": sum(1 for row in rows if row.get("suppressed") == 1),
        "columns": list(rows[0].keys()) if rows else info.dimensions + info.metrics,
    })
    return context
