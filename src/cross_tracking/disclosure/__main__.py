"""python -m cross_tracking.disclosure [--duckdb build/cross_tracking.duckdb] [--lp] [--table NAME ...]

The attacker's audit of a built project (after `dbt build`): reads each
published table (schema marts) and its cells before withholding (schema
intermediate) from the DuckDB file, and prints per table what an outside
analyst can work out of the withheld values. Without --lp, bound propagation
alone (seconds; what the published disclosure_audit reports); with --lp, the
exact attack with HiGHS on every component that holds a value of a small row
(minutes on a large build).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

from cross_tracking.disclosure import registry
from cross_tracking.disclosure.audit import audit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cross_tracking.disclosure", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duckdb", type=Path, default=Path("build/cross_tracking.duckdb"))
    parser.add_argument("--lp", action="store_true", help="exact intervals with HiGHS (slow on large builds)")
    parser.add_argument("--table", action="append", help="only these tables (and the tables linked to them)")
    args = parser.parse_args(argv)
    if not args.duckdb.exists():
        print(f"{args.duckdb} does not exist: run `make dbt-build` (or `make publish`) first", file=sys.stderr)
        return 2
    names = list(registry.table_specs())
    if args.table:
        wanted = set(args.table)
        names = [name for group in registry.groups(registry.table_specs()) if wanted & set(group) for name in group]
    started = time.perf_counter()
    with duckdb.connect(str(args.duckdb), read_only=True) as connection:
        published = {name: connection.sql(f"select * from marts.{name}").df() for name in names}
        private = {name: connection.sql(f"select * from intermediate.int_{name}_suppressed").df() for name in names}
    result = audit(published, private, lp=args.lp, progress=lambda message: print(message, file=sys.stderr))
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(result.to_string(index=False))
    print(f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
