"""python -m cross_tracking.publish.serve [--db build/cross_tracking.db] [--port 8001]

Serves the published file with Datasette on 127.0.0.1, with the settings
that suit these tables. The one place those settings live: `make serve`, the
benchmark and the tests all get their Datasette from `datasette_for`.

Datasette's own `serve` command runs one process, which keeps one of the
two cores idle; here uvicorn runs WORKERS processes of the same Datasette
application on one socket (the file is immutable, so they share nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

from datasette.app import Datasette
from datasette.utils import parse_metadata

from .pages import register as register_pages

# Immutable, indexed, read-only data: run SQL on the event loop instead of a
# thread pool (about twice the requests per second per process); no facet
# suggestions (they cost most of a large table's page time); bounded SQL time
# and rows.
SETTINGS: dict[str, object] = {
    "num_sql_threads": 0,
    "suggest_facets": False,
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 1000,
    "max_returned_rows": 5000,
    "default_page_size": 100,
}
WORKERS = 2
DB_VARIABLE = "CROSS_TRACKING_SERVE_DB"
CACHE_TTL_VARIABLE = "CROSS_TRACKING_SERVE_CACHE_TTL"
# One signing secret for every worker, or a cookie (CSRF token) signed by one
# worker would be refused by the other.
SECRET_VARIABLE = "DATASETTE_SECRET"


def datasette_for(db: Path, cache_ttl: int = 3600) -> Datasette:
    """The Datasette that serves `db`, with the metadata written beside it by
    the publish step and the `datasette inspect` counts when present."""
    metadata_file = db.parent / "metadata.yml"
    inspect_file = Path(f"{db}.inspect.json")
    register_pages()  # /dashboards/ and /query-builder (cross_tracking.publish.pages)
    return Datasette(
        immutables=[str(db)],
        metadata=parse_metadata(metadata_file.read_text()) if metadata_file.exists() else None,
        inspect_data=json.loads(inspect_file.read_text()) if inspect_file.exists() else None,
        settings={**SETTINGS, "default_cache_ttl": cache_ttl},
        secret=os.environ.get(SECRET_VARIABLE),
    )


def app() -> object:
    """ASGI factory for uvicorn's worker processes (`--factory`)."""
    return datasette_for(Path(os.environ[DB_VARIABLE]), int(os.environ.get(CACHE_TTL_VARIABLE, "3600"))).app()


def command(db: Path, port: int, cache_ttl: int = 3600) -> tuple[list[str], dict[str, str]]:
    """The uvicorn command line and its environment."""
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    source_dir = str(Path(__file__).resolve().parents[2])
    arguments = [uvicorn, "--factory", "cross_tracking.publish.serve:app",
                 "--app-dir", source_dir, "--host", "127.0.0.1", "--port", str(port),
                 "--workers", str(WORKERS)]
    environment = dict(os.environ, **{DB_VARIABLE: str(db.resolve()), CACHE_TTL_VARIABLE: str(cache_ttl)})
    environment.setdefault(SECRET_VARIABLE, secrets.token_hex(32))
    return arguments, environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cross_tracking.publish.serve", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("build/cross_tracking.db"))
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} does not exist: run `make publish` (or `make serve`) first", file=sys.stderr)
        return 1
    arguments, environment = command(args.db, args.port)
    os.execve(arguments[0], arguments, environment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
