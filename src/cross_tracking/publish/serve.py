"""python -m cross_tracking.publish.serve [--db build/cross_tracking.db] [--port 8001]

Serves the published file with Datasette on 127.0.0.1, with the settings
that suit these tables. The one place those settings live: `make serve` and
the benchmark both start Datasette through here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# Immutable, indexed, read-only data: run SQL on the event loop instead of a
# thread pool (about twice the requests per second on 2 cores); no facet
# suggestions (they cost most of a large table's page time); bounded SQL time
# and rows.
SETTINGS = {
    "num_sql_threads": "0",
    "suggest_facets": "off",
    "sql_time_limit_ms": "3000",
    "facet_time_limit_ms": "1000",
    "max_returned_rows": "5000",
    "default_page_size": "100",
}


def command(db: Path, port: int, cache_ttl: int = 3600) -> list[str]:
    datasette = str(Path(sys.executable).parent / "datasette")
    arguments = [datasette, "serve", "-i", str(db), "-m", str(db.parent / "metadata.yml"),
                 "-h", "127.0.0.1", "-p", str(port)]
    inspect_file = Path(f"{db}.inspect.json")
    if inspect_file.exists():
        arguments += ["--inspect-file", str(inspect_file)]
    for name, value in {**SETTINGS, "default_cache_ttl": str(cache_ttl)}.items():
        arguments += ["--setting", name, value]
    return arguments


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cross_tracking.publish.serve", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("build/cross_tracking.db"))
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} does not exist: run `make publish` (or `make serve`) first", file=sys.stderr)
        return 1
    arguments = command(args.db, args.port)
    os.execv(arguments[0], arguments)
    return 0


if __name__ == "__main__":
    sys.exit(main())
