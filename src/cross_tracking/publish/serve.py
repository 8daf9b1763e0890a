"""python -m cross_tracking.publish.serve [--db build/cross_tracking.db] [--port 8001]

Serves the published releases with Datasette on 127.0.0.1, with the settings
that suit these tables. The one place those settings live: `make serve`, the
benchmark and the tests all get their Datasette from `datasette_for`.

* /cross_tracking/<table>: the current release (the file `--db` points at),
  with a short Cache-Control so that a CDN picks up the next release soon.
* /cross_tracking_<release>/<table> and /cross_tracking_<release>-<sha>/<table>:
  each release kept on disk (see `releases.py`), for good, with a
  Cache-Control of a year (the file behind it never changes).

A publish swaps the link `--db` to the new release; every worker notices on
its next request and serves it, while requests already running finish on the
release they started with. Datasette's own `serve` command runs one process,
which keeps one of the two cores idle; here uvicorn runs WORKERS processes of
the same Datasette application on one socket (the files are immutable, so
they share nothing). How expensive requests are kept from starving cheap
ones: `lanes.py` and docs/serving.md.
"""

from __future__ import annotations

import argparse
import collections
import contextvars
import json
import os
import secrets
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette.app import Datasette, DatasetteClient
from datasette.plugins import pm
from datasette.utils import parse_metadata

from .lanes import CURRENT, LaneDatabase, Lanes, Request
from .pages import register as register_pages
from .releases import (
    DATABASE,
    INSPECT_FILE,
    METADATA_FILE,
    Release,
    current_release,
    database_name,
    list_releases,
    releases_dir,
)

# datasette-hashed-urls (installed with the pinned tools) would send the
# stable path /cross_tracking/... to a hashed one with a redirect, which
# breaks clients of contract v1 that do not follow redirects, and it caches
# error pages for a year. The same hashed paths are served here instead.
pm.set_blocked("hashed_urls")

# Immutable, indexed, read-only data. SQL runs in the lanes of lanes.py (the
# Datasette thread pool stays off); no facet suggestions (they cost most of a
# large table's page time); bounded SQL time and rows; no streamed CSV of a
# whole table. Open SQL is off for the public (`allow_sql: false` in
# publish/metadata_base.yml): table pages with filters and canned queries only.
SETTINGS: dict[str, object] = {
    "num_sql_threads": 0,
    "suggest_facets": False,
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "default_page_size": 100,
    "allow_csv_stream": False,
}
# An HTML page costs about 0.1 ms per row to render, on the event loop: pages
# for people stop at this many rows; JSON and CSV go up to max_returned_rows.
HTML_MAX_ROWS = 100
WORKERS = 2
CURRENT_MAX_AGE = 60  # seconds a cache may keep a page of the current release
RELEASE_MAX_AGE = 365 * 24 * 3600  # ... and of a release's own path (never changes)
DB_VARIABLE = "CROSS_TRACKING_SERVE_DB"
CACHE_TTL_VARIABLE = "CROSS_TRACKING_SERVE_CACHE_TTL"
MODE_VARIABLE = "CROSS_TRACKING_SERVE_MODE"
# One signing secret for every worker, or a cookie (CSRF token) signed by one
# worker would be refused by the other.
SECRET_VARIABLE = "DATASETTE_SECRET"

ASGIApp = Callable[[MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                   Awaitable[None]]


@dataclass
class Registry:
    """What one request sees: the databases, their metadata and counts, all of one moment."""

    databases: collections.OrderedDict[str, Any]
    metadata: dict[str, Any]
    inspect_data: dict[str, Any]
    routes: dict[str, str] = field(default_factory=dict)  # release database name -> hashed route
    owner: object = None
    table_allows: bool = True  # does any table's metadata carry an `allow` block?


_SNAPSHOT: contextvars.ContextVar[Registry | None] = contextvars.ContextVar("cross_tracking_registry", default=None)


class ServedDatasette(Datasette):
    """Datasette whose databases, metadata and inspect data are swapped as one
    when a new release is published, and pinned for the length of a request."""

    releases: Releases | None = None
    cache_ttl: int = CURRENT_MAX_AGE

    def _pinned(self) -> Registry | None:
        snapshot = _SNAPSHOT.get()
        return snapshot if snapshot is not None and snapshot.owner is self else None

    @property
    def databases(self) -> collections.OrderedDict[str, Any]:
        pinned = self._pinned()
        return pinned.databases if pinned is not None else self._databases

    @databases.setter
    def databases(self, value: collections.OrderedDict[str, Any]) -> None:
        self._databases = value

    @property
    def inspect_data(self) -> dict[str, Any] | None:
        pinned = self._pinned()
        return pinned.inspect_data if pinned is not None else self._inspect_data

    @inspect_data.setter
    def inspect_data(self, value: dict[str, Any] | None) -> None:
        self._inspect_data = value

    @property
    def _metadata_local(self) -> dict[str, Any]:
        pinned = self._pinned()
        return pinned.metadata if pinned is not None else self._metadata_value

    @_metadata_local.setter
    def _metadata_local(self, value: dict[str, Any]) -> None:
        self._metadata_value = value

    def _table_permission_allows(self, database: str, table: str) -> list[Any]:
        # Datasette deep-copies the whole metadata on every table permission check
        # (about 2 ms here, 900 times for the index page); the releases carry no
        # table-level `allow` blocks, so there is nothing to find unless a plugin
        # supplies metadata
        pinned = self._pinned()
        registry = pinned if pinned is not None else (self.releases.registry if self.releases else None)
        if registry is not None and not registry.table_allows and not pm.hook.get_metadata.get_hookimpls():
            return []
        return super()._table_permission_allows(database, table)

    def app(self) -> ASGIApp:
        if self.releases is None:  # Datasette.__init__ builds a client before the releases are set
            return super().app()
        return wrap(self.releases, super().app(), self.cache_ttl)


class Releases:
    """Keeps a ServedDatasette in step with the releases on disk."""

    def __init__(self, ds: ServedDatasette, db: Path, lanes: Lanes) -> None:
        self.ds, self.db, self.lanes = ds, db, lanes
        self.state: tuple[Any, ...] | None = None
        self.by_file: dict[tuple[str, str], LaneDatabase] = {}
        self.registry: Registry | None = None

    def _disk_state(self) -> tuple[Any, ...]:
        root = releases_dir(self.db)
        try:
            link = os.readlink(self.db)
        except OSError:
            link = None
        try:
            listing = root.stat().st_mtime_ns
        except OSError:
            listing = None
        return link, listing

    def refresh(self) -> Registry:
        """Reread the releases when the link or the releases folder changed."""
        state = self._disk_state()
        if self.registry is not None and state == self.state:
            return self.registry
        self.state = state
        self.registry = self._build()
        # a request that started before keeps the registry it pinned until it ends
        self.ds.databases = self.registry.databases
        self.ds.inspect_data = self.registry.inspect_data
        self.ds._metadata_local = self.registry.metadata
        return self.registry

    def _database(self, role: str, path: Path, name: str, route: str) -> LaneDatabase:
        key = (role, str(path.resolve()))
        database = self.by_file.get(key)
        if database is None:
            database = LaneDatabase(self.ds, str(path.resolve()), self.lanes)
            self.by_file[key] = database
        database.name, database.route = name, route
        return database

    def _build(self) -> Registry:
        current = current_release(self.db)
        releases = list_releases(self.db) if current is not None else []
        base_metadata = _read_metadata(current.folder / METADATA_FILE if current else self.db.parent / METADATA_FILE)
        databases: collections.OrderedDict[str, Any] = collections.OrderedDict()
        databases[DATABASE] = self._database("current", self.db, DATABASE, DATABASE)
        inspect_file = current.folder / INSPECT_FILE if current else Path(f"{self.db}.inspect.json")
        inspect = {DATABASE: _read_inspect(inspect_file)}
        metadata = dict(base_metadata)
        metadata_databases = dict(metadata.get("databases") or {})
        current_section = dict(metadata_databases.get(DATABASE) or {})
        routes: dict[str, str] = {}
        if current is not None:
            current_section["title"] = f"{DATABASE}: current release, {current.name}"
            metadata["description_html"] = (metadata.get("description_html") or "") + _releases_html(current, releases)
        metadata_databases[DATABASE] = current_section
        for release in reversed(releases):
            name = database_name(release.name)
            databases[name] = self._database("release", release.db, name, release.route)
            inspect[name] = _read_inspect(release.folder / INSPECT_FILE)
            section = dict((_read_metadata(release.folder / METADATA_FILE).get("databases") or {}).get(DATABASE) or {})
            section["title"] = f"Release {release.name} (data as of {release.as_of})"
            metadata_databases[name] = section
            routes[name] = release.route
        metadata["databases"] = metadata_databases
        for name, database in self.ds._databases.items():
            if name.startswith("_") and name != "_memory":
                databases[name] = database  # Datasette's own _internal
        served = {id(database) for database in databases.values()}
        self.by_file = {key: value for key, value in self.by_file.items() if id(value) in served}
        table_allows = any("allow" in (table or {}) for section in metadata_databases.values()
                           for table in (section.get("tables") or {}).values())
        return Registry(databases, metadata, {k: v for k, v in inspect.items() if v}, routes, self.ds, table_allows)


def _read_metadata(path: Path) -> dict[str, Any]:
    return parse_metadata(path.read_text()) if path.exists() else {}


def _read_inspect(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    # `datasette inspect` writes {name: {...}}; a release writes the inner part
    return next(iter(data.values())) if len(data) == 1 and "tables" not in data else data


def _releases_html(current: Release, releases: list[Release]) -> str:
    items = "".join(
        f'<li><a href="/{database_name(r.name)}">{r.name}</a>: data as of {r.as_of}, built {r.info.get("built_at")}'
        f'{" (current)" if r.name == current.name else ""}</li>' for r in reversed(releases))
    return (f"<p><strong>Current release: {current.name}</strong> (data as of {current.as_of}), served at "
            f"<code>/{DATABASE}/</code>. Every release stays at its own address; the "
            f'<a href="/{DATABASE}/releases">releases</a> table says what each one changed.</p><ul>{items}</ul>')


def _query(scope: MutableMapping[str, Any]) -> list[tuple[str, str]]:
    return parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)


def wrap(releases: Releases, app: ASGIApp, cache_ttl: int) -> ASGIApp:
    """The ASGI layer in front of Datasette: release registry, hashed paths,
    page-size bound of HTML pages, request lanes and Cache-Control."""

    async def served(scope: MutableMapping[str, Any], receive: Callable[[], Awaitable[Any]],
                     send: Callable[[Any], Awaitable[None]]) -> None:
        if scope.get("type") == "lifespan":
            async def receive_after_warm_up() -> Any:
                message = await receive()
                if message.get("type") == "lifespan.startup":
                    await warm_up(releases.ds)
                return message

            await app(scope, receive_after_warm_up, send)
            return
        if scope.get("type") != "http":
            await app(scope, receive, send)
            return
        registry = releases.refresh()
        path: str = scope["path"]
        first, _, rest = path[1:].partition("/")
        stem, dot, suffix = first.partition(".")
        immutable = False
        if stem in registry.routes:  # /cross_tracking_<release>/...: serve the hashed route
            stem = registry.routes[stem]
            path = f"/{stem}{dot}{suffix}" + (f"/{rest}" if rest or path.endswith("/") else "")
            scope = dict(scope, path=path, raw_path=path.encode("latin-1"))
            immutable = True
        elif stem in registry.routes.values():
            immutable = True
        last = path.rsplit("/", 1)[-1]
        if stem and "." not in last and not path.startswith("/-/"):
            arguments = _query(scope)
            sizes = [value for key, value in arguments if key == "_size"]
            if sizes and (sizes[-1] == "max" or not sizes[-1].isdigit() or int(sizes[-1]) > HTML_MAX_ROWS):
                arguments = [(k, v) for k, v in arguments if k != "_size"] + [("_size", str(HTML_MAX_ROWS))]
                scope = dict(scope, query_string=urlencode(arguments).encode("latin-1"))
        static = path.startswith("/-/static")

        async def send_with_cache_control(message: Any) -> None:
            if message["type"] == "http.response.start" and not static:
                headers = [(k, v) for k, v in message.get("headers", [])]
                existing = b"".join(v for k, v in headers if k.lower() == b"cache-control")
                if b"private" not in existing:
                    status = message["status"]
                    if status in (200, 301, 302, 304):
                        value = (f"public, max-age={RELEASE_MAX_AGE}, immutable" if immutable
                                 else f"public, max-age={cache_ttl}" if cache_ttl else "no-cache")
                    elif status == 404:
                        value = f"public, max-age={min(cache_ttl, CURRENT_MAX_AGE)}" if cache_ttl else "no-cache"
                    else:
                        value = "no-store"
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", value.encode("latin-1")))
                    message = dict(message, headers=headers)
            await send(message)

        pin = _SNAPSHOT.set(registry)
        lane = CURRENT.set(Request())
        try:
            await app(scope, receive, send_with_cache_control)
        finally:
            CURRENT.reset(lane)
            _SNAPSHOT.reset(pin)

    return served


async def warm_up(ds: Datasette) -> None:
    """Before a worker takes requests: each table's own page, whose facets
    count the whole table (a few hundred ms on the largest), so that the
    first visitors do not wait for the heavy lane."""
    started = time.perf_counter()
    database = ds.get_database(DATABASE)
    for table in await database.table_names():
        await ds.client.get(f"/{DATABASE}/{table}.json?_size=1")
    print(f"[serve] worker {os.getpid()} ready: table pages warmed in {time.perf_counter() - started:.1f} s",
          file=sys.stderr, flush=True)


def datasette_for(db: Path, cache_ttl: int = CURRENT_MAX_AGE, mode: str | None = None) -> ServedDatasette:
    """The Datasette that serves `db` (the current release, a link made by
    `make publish`, or any plain published file) and every release kept beside
    it, with the metadata and `datasette inspect` counts of each. `cache_ttl`
    is the max-age of pages of the current release (0: no caching)."""
    lanes = Lanes(mode or os.environ.get(MODE_VARIABLE, "lanes"))
    register_pages()  # /dashboards/ and /query-builder (cross_tracking.publish.pages)
    ds = ServedDatasette(settings={**SETTINGS, "default_cache_ttl": cache_ttl},
                         secret=os.environ.get(SECRET_VARIABLE))
    ds.remove_database("_memory")  # Datasette adds it when started without files
    ds.cache_ttl = cache_ttl
    ds.releases = Releases(ds, db, lanes)
    ds.releases.refresh()
    ds.client = DatasetteClient(ds)  # the test client, now through the layer above
    return ds


def app() -> object:
    """ASGI factory for uvicorn's worker processes (`--factory`)."""
    return datasette_for(Path(os.environ[DB_VARIABLE]),
                         int(os.environ.get(CACHE_TTL_VARIABLE, str(CURRENT_MAX_AGE)))).app()


def command(db: Path, port: int, cache_ttl: int = CURRENT_MAX_AGE, mode: str | None = None,
            host: str = "127.0.0.1") -> tuple[list[str], dict[str, str]]:
    """The uvicorn command line and its environment."""
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    source_dir = str(Path(__file__).resolve().parents[2])
    arguments = [uvicorn, "--factory", "cross_tracking.publish.serve:app",
                 "--app-dir", source_dir, "--host", host, "--port", str(port),
                 "--workers", str(WORKERS), "--no-access-log"]
    # the link itself, not its target: the workers follow it to each new release
    environment = dict(os.environ, **{DB_VARIABLE: str(db.absolute()), CACHE_TTL_VARIABLE: str(cache_ttl)})
    if mode:
        environment[MODE_VARIABLE] = mode
    environment.setdefault(SECRET_VARIABLE, secrets.token_hex(32))
    return arguments, environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cross_tracking.publish.serve", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("build/cross_tracking.db"))
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (a replica behind a CDN or proxy: its private address)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} does not exist: run `make publish` (or `make serve`) first", file=sys.stderr)
        return 1
    current = current_release(args.db)
    if current is not None:
        print(f">> current release {current.name} (data as of {current.as_of}) at "
              f"http://127.0.0.1:{args.port}/{DATABASE}/", file=sys.stderr)
        for release in reversed(list_releases(args.db)):
            print(f"   release {release.name}: http://127.0.0.1:{args.port}/{database_name(release.name)}/ "
                  f"(built {release.info.get('built_at')})", file=sys.stderr)
    arguments, environment = command(args.db, args.port, host=args.host)
    os.execve(arguments[0], arguments, environment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
