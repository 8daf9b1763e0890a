"""Cheap SQL on the event loop, expensive SQL in a low-priority process.

The files are immutable and indexed, so nearly every query the public sends
(a filtered page, a row, a canned query) takes well under a millisecond, and
running it on the event loop is about twice as fast as handing it to a thread.
Some requests are expensive however they are written: a facet over a whole
table, a sort the indexes do not serve, a filter on a metric. On the event
loop one of those stops every other request of that worker process.

So each query starts on the event loop with a small CPU budget per request
(`INLINE_CPU_MS`, counted in CPU time so that a busy machine does not push
cheap queries out). A query that goes over it is stopped and run again in
the heavy lane, and so is every later query of the same request: one helper
process per worker, at the lowest CPU priority (nice 19), with Datasette's
time limits. A process rather than a thread: a low-priority thread has to
take the GIL for SQLite's progress callback, and each time the event loop
must wait until the scheduler gets round to it (a priority inversion that
cut the soak's throughput by half). A result that took long is kept (the
files never change), and identical queries running at once are run once.

`MODE` selects the alternative the benchmark compares: `loop` (every query
on the event loop, Datasette's num_sql_threads 0), `threads` (every query in
a pool of threads) and `lanes` (the above, the default)."""

from __future__ import annotations

import asyncio
import contextvars
import multiprocessing
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Self

from datasette.database import Database, QueryInterrupted, Results

MODES = ("lanes", "loop", "threads")
INLINE_CPU_MS = 20
THREADS = 3  # `threads` mode only
REQUEST_SECONDS = 10  # the longest any request spends on SQL, waiting for the heavy lane included
HEAVY_QUEUE = 8  # heavy queries waiting per worker beyond which more are refused at once
HEAVY_NICE = 10  # 19 starved the first visit of a page under full load (cached after that)
CACHE_MIN_MS = 5  # results that took at least this long are kept ...
CACHE_ENTRIES = 512  # ... up to this many per worker process ...
CACHE_ROWS = 200_000  # ... holding at most this many rows in all


class Request:
    """What one HTTP request has spent so far (shared by its concurrent facet queries)."""

    __slots__ = ("deadline", "heavy", "inline_cpu")

    def __init__(self) -> None:
        self.heavy = False
        self.inline_cpu = 0.0
        # queueing for the heavy lane counts too: no query of the request runs past this
        self.deadline = time.monotonic() + REQUEST_SECONDS


CURRENT: contextvars.ContextVar[Request | None] = contextvars.ContextVar("cross_tracking_request", default=None)


class _MoveToHeavy(Exception):
    pass


class _Probe:
    """A connection whose progress handler also stops the query once the
    request's inline CPU budget is spent."""

    def __init__(self, connection: sqlite3.Connection, request: Request) -> None:
        self._connection = connection
        self._request = request
        self._started = 0.0
        self.exceeded = False

    def set_progress_handler(self, handler: Callable[[], Any] | None, n: int) -> None:
        if handler is None:
            self._request.inline_cpu += time.thread_time() - self._started
            self._connection.set_progress_handler(None, n)
            return
        self._started = time.thread_time()
        limit = self._started + max(0.0, INLINE_CPU_MS / 1000 - self._request.inline_cpu)

        def either() -> int:
            if time.thread_time() >= limit:
                self.exceeded = True
                return 1
            return 1 if handler() else 0

        self._connection.set_progress_handler(either, n)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


# ---------------------------------------------------------------- the heavy process

class Row(tuple):
    """A row from the heavy process that reads like sqlite3.Row (by position or name)."""

    _names: tuple[str, ...]

    def __new__(cls, values: tuple[Any, ...], names: tuple[str, ...]) -> Self:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)


class Interrupted(Exception):
    pass


_heavy_connections: dict[str, sqlite3.Connection] = {}


def _heavy_start() -> None:
    os.nice(HEAVY_NICE)
    parent = os.getppid()

    def follow_parent() -> None:  # a worker that is killed must not leave its heavy lane behind
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=follow_parent, daemon=True, name="follow-parent").start()


def _heavy_query(path: str, sql: str, params: Any, time_limit_ms: int, fetch: int | None, deadline: float
                 ) -> tuple[list[tuple[Any, ...]], bool, Any]:
    """Runs in the heavy process: the query under its time limit, and not past
    the request's deadline (time.monotonic is the same clock in every process)."""
    end = min(time.monotonic() + time_limit_ms / 1000, deadline)
    if time.monotonic() >= end:
        raise Interrupted(sql)
    connection = _heavy_connections.get(path)
    if connection is None:
        connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        connection.text_factory = lambda x: str(x, "utf-8", "replace")
        _heavy_connections[path] = connection
    connection.set_progress_handler(lambda: 1 if time.monotonic() >= end else 0, 1000)
    try:
        cursor = connection.execute(sql, params if params is not None else {})
        if fetch is None:
            rows, truncated = cursor.fetchall(), False
        else:
            rows = cursor.fetchmany(fetch + 1)
            truncated = len(rows) > fetch
            rows = rows[:fetch]
        return rows, truncated, cursor.description
    except sqlite3.OperationalError as error:
        if error.args == ("interrupted",):
            raise Interrupted(sql) from None
        raise
    finally:
        connection.set_progress_handler(None, 1000)


class Lanes:
    """The executors of one worker process."""

    def __init__(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"serving mode {mode!r}: choose one of {', '.join(MODES)}")
        self.mode = mode
        self.pool: Executor | None = (ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="sql")
                                      if mode == "threads" else None)
        self._heavy: ProcessPoolExecutor | None = None
        self.cache: OrderedDict[tuple[Any, ...], Results] = OrderedDict()
        self.cached_rows = 0
        self.running: dict[tuple[Any, ...], asyncio.Future[Results]] = {}
        self.waiting = 0  # heavy queries submitted and not finished

    def reset_heavy(self) -> None:
        """Drop a helper process that died; the next heavy query starts another."""
        broken, self._heavy = self._heavy, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)

    @property
    def heavy(self) -> ProcessPoolExecutor:
        if self._heavy is None:  # started on first use, so that every uvicorn worker gets its own
            self._heavy = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                              initializer=_heavy_start)
        return self._heavy

    def keep(self, key: tuple[Any, ...], results: Results) -> None:
        rows = len(results.rows)
        if rows > CACHE_ROWS // 20:
            return
        self.cache[key] = results
        self.cached_rows += rows
        while len(self.cache) > CACHE_ENTRIES or self.cached_rows > CACHE_ROWS:
            _, dropped = self.cache.popitem(last=False)
            self.cached_rows -= len(dropped.rows)


class LaneDatabase(Database):
    """A Datasette database that runs its read queries in the lanes above."""

    def __init__(self, ds: Any, path: str, lanes: Lanes) -> None:
        super().__init__(ds, path=path, is_mutable=False)
        self.lanes = lanes
        self._thread_connections = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._thread_connections, "connection", None)
        if connection is None:
            connection = self.connect()
            self.ds._prepare_connection(connection, self.name)
            self._thread_connections.connection = connection
        return connection

    async def execute_fn(self, fn: Callable[[Any], Any]) -> Any:
        if self.lanes.pool is not None:
            return await asyncio.get_running_loop().run_in_executor(self.lanes.pool, lambda: fn(self._connection()))
        request = CURRENT.get()
        if self.lanes.mode != "lanes" or request is None:
            return fn(self._connection())
        probe = _Probe(self._connection(), request)
        try:
            return fn(probe)
        except QueryInterrupted:
            if not probe.exceeded:
                raise  # Datasette's own time limit: the query is too slow anywhere
            request.heavy = True
            raise _MoveToHeavy() from None

    async def execute(self, sql: str, params: Any = None, truncate: bool = False,
                      custom_time_limit: int | None = None, page_size: int | None = None,
                      log_sql_errors: bool = True) -> Any:
        frozen = tuple(sorted(params.items())) if isinstance(params, dict) else tuple(params or ())
        key = (self.path, sql, frozen, truncate, custom_time_limit, page_size)
        lanes = self.lanes
        cached = lanes.cache.get(key)
        if cached is not None:
            lanes.cache.move_to_end(key)
            return cached
        running = lanes.running.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[Results] = asyncio.get_running_loop().create_future()
        lanes.running[key] = future
        started = time.perf_counter()
        try:
            request = CURRENT.get()
            if lanes.mode == "lanes" and request is not None and request.heavy:
                results = await self._execute_heavy(request, sql, params, truncate, custom_time_limit, page_size)
            else:
                try:
                    results = await super().execute(sql, params, truncate, custom_time_limit, page_size,
                                                    log_sql_errors)
                except _MoveToHeavy:
                    assert request is not None
                    results = await self._execute_heavy(request, sql, params, truncate, custom_time_limit,
                                                        page_size)
            future.set_result(results)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: no warning when nobody else waited
            raise
        finally:
            del lanes.running[key]
        if (time.perf_counter() - started) * 1000 >= CACHE_MIN_MS:
            lanes.keep(key, results)
        return results

    async def _execute_heavy(self, request: Request, sql: str, params: Any, truncate: bool,
                             custom_time_limit: int | None, page_size: int | None) -> Results:
        time_limit_ms = self.ds.sql_time_limit_ms
        if custom_time_limit and custom_time_limit < time_limit_ms:
            time_limit_ms = custom_time_limit
        fetch = None
        if truncate and self.ds.max_returned_rows:
            fetch = self.ds.max_returned_rows + (1 if self.ds.max_returned_rows == (page_size or self.ds.page_size)
                                                 else 0)
        if self.lanes.waiting >= HEAVY_QUEUE:
            raise QueryInterrupted(Interrupted("the heavy lane is full"), sql, params)
        self.lanes.waiting += 1
        try:
            rows, truncated, description = await asyncio.get_running_loop().run_in_executor(
                self.lanes.heavy, _heavy_query, self.path, sql, params, time_limit_ms, fetch, request.deadline)
        except Interrupted as error:
            raise QueryInterrupted(error, sql, params) from None
        except BrokenProcessPool:
            # the helper died (out of memory, a signal): start a new one for
            # the next request instead of failing every heavy query from now on
            self.lanes.reset_heavy()
            raise QueryInterrupted(Interrupted("the heavy lane restarted"), sql, params) from None
        finally:
            self.lanes.waiting -= 1
        names = tuple(column[0] for column in description or ())
        return Results([Row(row, names) for row in rows], truncated, description)
