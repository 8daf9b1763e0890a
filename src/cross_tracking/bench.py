"""Benchmark: python -m cross_tracking.bench [--scale 1] [--skip-generate]
           python -m cross_tracking.bench --load [--db build/cross_tracking.db]

Times each stage of the chain at scale 1 on this machine and reports wall
time and peak memory (the stage's own process, from wait4), then measures
Datasette latency on the published file with 20 concurrent connections.
Results go to build/bench/results.json and are printed as a table.

--load measures the served API under hostile load (see docs/serving.md), on
an already published database, with wrk on 127.0.0.1 only: for each way of
running SQL (lanes.MODES), the ordinary page's throughput alone and while
four hostile clients run, then a soak of 50 connections for 60 s against a
mix of pages. Results go to build/bench/load.json."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from .publish.serve import command as serve_command

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PAGE = "/cross_tracking/custody_population.json?snapshot_date=2024-01-01&agency=Suffolk&race=White"


@dataclass
class Stage:
    name: str
    seconds: float
    peak_rss_mb: float
    goal: str


def run_stage(name: str, command: list[str], goal: str, env: dict[str, str] | None = None) -> Stage:
    print(f"[bench] {name}: {' '.join(command)}", file=sys.stderr, flush=True)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=PROJECT, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"[bench] {name} failed; see the output above")
    stage = Stage(name, round(seconds, 1), round(usage.ru_maxrss / 1024, 0), goal)
    print(f"[bench] {name}: {stage.seconds} s, peak {stage.peak_rss_mb:.0f} MB", file=sys.stderr, flush=True)
    return stage


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"[bench] Datasette did not answer {url} within {timeout} s")


async def _load(url: str, connections: int, seconds: float) -> list[float]:
    import httpx

    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=10, limits=httpx.Limits(max_connections=connections)) as client:

        async def worker() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                response = await client.get(url)
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(connections)))
    return latencies


def measure_latency(db: Path, connections: int = 20, seconds: float = 20) -> dict[str, object]:
    port = 8765
    url = f"http://127.0.0.1:{port}{PAGE}"
    # the settings `make serve` uses, with HTTP caching off so every request is served
    arguments, environment = serve_command(db, port, cache_ttl=0)
    server = subprocess.Popen(arguments, cwd=PROJECT, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/-/versions.json")
        urllib.request.urlopen(url).read()
        wrk = shutil.which("wrk")
        if wrk:
            # warm every worker process (the first requests of each set up
            # Datasette's internal tables) before measuring
            subprocess.run([wrk, "-t2", f"-c{connections}", "-d3s", url], capture_output=True, check=True)
            output = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{int(seconds)}s", "--latency", url],
                                    capture_output=True, text=True, check=True).stdout
            print(output, file=sys.stderr)
            percentiles = {line.split()[0]: line.split()[1] for line in output.splitlines()
                           if line.strip().startswith(("50%", "90%", "99%"))}
            requests = next(line.split()[1] for line in output.splitlines() if line.startswith("Requests/sec"))
            return {"tool": "wrk", "connections": connections, "p50": percentiles.get("50%"),
                    "p99": percentiles.get("99%"), "requests_per_second": requests}
        asyncio.run(_load(url, connections, 3))  # warm every worker, as above
        latencies = sorted(asyncio.run(_load(url, connections, seconds)))
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        return {"tool": "httpx (wrk not installed; the load generator shares the 2 cores)",
                "connections": connections, "p50": f"{statistics.median(latencies) * 1000:.0f}ms",
                "p99": f"{p99 * 1000:.0f}ms", "requests_per_second": f"{len(latencies) / seconds:.0f}"}
    finally:
        server.terminate()
        server.wait()


# The four hostile request kinds of issue 12, one connection each. {n} is a
# new random number on every request, so that no cache can answer them.
RECURSIVE_SQL = ("with recursive n(i) as (select 1 union all select i + 1 from n) "
                 "select count(*) from n")
HOSTILE = {
    "open SQL to the time limit": "/cross_tracking.json?sql=" + urllib.parse.quote(RECURSIVE_SQL) + "&_n={n}",
    "four facets on custody_offenses": ("/cross_tracking/custody_offenses.json?_facet=age_group&_facet=race"
                                        "&_facet=ethnicity&_facet=offense_subtype&record_count__gte={n}"),
    "full _stream=on CSV of admissions_releases": "/cross_tracking/admissions_releases.csv?_stream=on&_n={n}",
    "sort on an unindexed column": "/cross_tracking/admissions_releases.json?_sort_desc=record_count"
                                   "&record_count__lte={n}",
}
VARY_SCRIPT = """
local template
init = function(args)
  template = args[1]
  math.randomseed(os.time() + (tonumber(string.match(tostring({}), "0x(%x+)"), 16) or 0) % 100000)
end
request = function()
  local path = string.gsub(template, "{n}", tostring(math.random(1, 1000000)))
  return wrk.format("GET", path)
end
"""
MIX_SCRIPT = """
local paths = {}
init = function(args)
  for i, path in ipairs(args) do paths[i] = path end
  math.randomseed(os.time() + (tonumber(string.match(tostring({}), "0x(%x+)"), 16) or 0) % 100000)
end
request = function()
  return wrk.format("GET", paths[math.random(1, #paths)])
end
"""


def mix(release: str | None) -> list[str]:
    """Pages an ordinary public mixes: filtered pages in each format, the
    tables' own pages (their facets run over the whole table), canned
    queries, the index pages, the releases table and a release's own path."""
    pages = [
        PAGE,
        PAGE.replace(".json", ""),
        "/cross_tracking/custody_population.csv?snapshot_date=2024-01-01&agency=All&offender_status=All",
        "/cross_tracking/custody_offenses.json?snapshot_date=2024-01-01&agency=Suffolk&offense_type=Drug",
        "/cross_tracking/recidivism.json?release_year=2020&agency=All&measure=Reconviction",
        "/cross_tracking/admissions_releases.json?event=Admission&event_year=2023&agency=Suffolk",
        "/cross_tracking/program_summary.json?agency=Suffolk",
        "/cross_tracking/custody_offenses",
        "/cross_tracking/admissions_releases.json",
        "/cross_tracking/population_trend_statewide.json",
        "/cross_tracking/recidivism_by_race.json?release_year=2020",
        "/",
        "/cross_tracking",
        "/cross_tracking/releases.json",
    ]
    if release:
        pages.append(PAGE.replace("/cross_tracking/", f"/cross_tracking_{release}/"))
    return pages


@dataclass
class Wrk:
    requests_per_second: float
    requests: int
    p50: str
    p99: str
    errors: int  # socket errors (connect, read, write, timeout) and non-2xx/3xx answers
    timeouts: int


def _wrk_result(output: str) -> Wrk:
    def number(pattern: str) -> int:
        found = re.search(pattern, output)
        return int(found.group(1)) if found else 0

    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = [int(x) for x in socket.groups()] if socket else [0, 0, 0, 0]
    percentiles = {line.split()[0]: line.split()[1] for line in output.splitlines()
                   if line.strip().startswith(("50%", "99%"))}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return Wrk(float(rps.group(1)) if rps else 0.0, number(r"(\d+) requests in"), percentiles.get("50%", "-"),
               percentiles.get("99%", "-"), sum(socket_errors) + number(r"Non-2xx or 3xx responses: (\d+)"),
               socket_errors[3])


def _wrk(base: str, connections: int, seconds: int, *, path: str = "", script: Path | None = None,
         script_args: list[str] | None = None, timeout: str = "2s") -> subprocess.Popen[str]:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}",
               "--latency"]
    if script:
        command += ["-s", str(script)]
    command.append(base + path)
    if script_args:
        command += ["--", *script_args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _serve(db: Path, port: int, mode: str) -> subprocess.Popen[bytes]:
    arguments, environment = serve_command(db, port, cache_ttl=0, mode=mode)
    server = subprocess.Popen(arguments, cwd=PROJECT, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(f"http://127.0.0.1:{port}/-/versions.json")
    return server


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def measure_load(db: Path, seconds: int = 15, soak_seconds: int = 60) -> dict[str, object]:
    if not shutil.which("wrk"):
        raise SystemExit("[bench] wrk is needed for --load: `make bench-load` installs it (Debian package wrk)")
    from .publish.lanes import MODES
    from .publish.releases import current_release

    port = 8766
    base = f"http://127.0.0.1:{port}"
    work = PROJECT / "build" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    vary, pages = work / "vary.lua", work / "mix.lua"
    vary.write_text(VARY_SCRIPT)
    pages.write_text(MIX_SCRIPT)
    results: dict[str, object] = {"page": PAGE, "seconds": seconds, "modes": {}}
    for mode in MODES:
        print(f"[bench] serving mode {mode}: {seconds} s alone, then {seconds} s beside the hostile clients",
              file=sys.stderr, flush=True)
        server = _serve(db, port, mode)
        try:
            _wrk(base, 20, 3, path=PAGE).communicate()  # warm both worker processes
            alone = _wrk_result(_wrk(base, 20, seconds, path=PAGE).communicate()[0])
            hostile = {kind: _wrk(base, 1, seconds + 3, script=vary, script_args=[path], timeout="30s")
                       for kind, path in HOSTILE.items()}
            time.sleep(1)
            beside = _wrk_result(_wrk(base, 20, seconds, path=PAGE).communicate()[0])
            hostile_results = {kind: asdict(_wrk_result(process.communicate()[0]))
                               for kind, process in hostile.items()}
        finally:
            _stop(server)
        ratio = round(beside.requests_per_second / alone.requests_per_second, 2) if alone.requests_per_second else 0
        print(f"[bench]   alone {alone.requests_per_second:.0f} req/s, beside hostile "
              f"{beside.requests_per_second:.0f} req/s: ratio {ratio}, {beside.timeouts} timeouts",
              file=sys.stderr, flush=True)
        results["modes"][mode] = {"alone": asdict(alone), "hostile": asdict(beside),  # type: ignore[index]
                                  "ratio": ratio, "hostile_clients": hostile_results}
    current = current_release(db)
    soak_pages = mix(current.name if current else None)
    print(f"[bench] soak: 50 connections for {soak_seconds} s, {len(soak_pages)} pages (mode lanes)",
          file=sys.stderr, flush=True)
    server = _serve(db, port, "lanes")
    try:
        _wrk(base, 10, 3, script=pages, script_args=soak_pages).communicate()
        mixed = _wrk(base, 40, soak_seconds, script=pages, script_args=soak_pages)
        ordinary = _wrk(base, 10, soak_seconds, path=PAGE)
        mixed_result, ordinary_result = (_wrk_result(mixed.communicate()[0]),
                                         _wrk_result(ordinary.communicate()[0]))
    finally:
        _stop(server)
    results["soak"] = {"connections": 50, "seconds": soak_seconds, "pages": soak_pages,
                       "mix (40 connections)": asdict(mixed_result),
                       "ordinary page (10 connections)": asdict(ordinary_result),
                       "errors": mixed_result.errors + ordinary_result.errors}
    (work / "load.json").write_text(json.dumps(results, indent=2))
    print("\n| serving mode | alone | beside 4 hostile clients | ratio | timeouts |\n|---|---|---|---|---|")
    for mode, numbers in results["modes"].items():  # type: ignore[attr-defined]
        print(f"| {mode} | {numbers['alone']['requests_per_second']:.0f} req/s | "
              f"{numbers['hostile']['requests_per_second']:.0f} req/s | {numbers['ratio']} | "
              f"{numbers['hostile']['timeouts']} |")
    print(f"\nsoak, 50 connections for {soak_seconds} s: {results['soak']['errors']} errors; "  # type: ignore[index]
          f"ordinary page p50 {ordinary_result.p50}, p99 {ordinary_result.p99}, "
          f"{ordinary_result.requests_per_second:.0f} req/s; mix p99 {mixed_result.p99}, "
          f"{mixed_result.requests_per_second:.0f} req/s")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cross_tracking.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--skip-generate", action="store_true", help="reuse build/bench/extract")
    parser.add_argument("--latency-only", action="store_true", help="only measure Datasette on the last bench database")
    parser.add_argument("--load", action="store_true", help="hostile-load ratio and soak run on --db")
    parser.add_argument("--db", type=Path, default=PROJECT / "build" / "cross_tracking.db",
                        help="published database for --load (default build/cross_tracking.db)")
    parser.add_argument("--seconds", type=int, default=15, help="--load: seconds of each throughput run")
    parser.add_argument("--soak-seconds", type=int, default=60, help="--load: seconds of the soak run")
    args = parser.parse_args(argv)
    if args.load:
        if not args.db.exists():
            raise SystemExit(f"[bench] {args.db} does not exist: `make publish RAW=... DB=...` first")
        measure_load(args.db, args.seconds, args.soak_seconds)
        return 0
    work = PROJECT / "build" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    extract, duckdb_file, db = work / "extract", work / "bench.duckdb", work / "cross_tracking.db"
    python = sys.executable
    env = dict(os.environ, PYTHONPATH=str(PROJECT / "src"), DO_NOT_TRACK="1",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false", DBT_PROFILES_DIR=str(PROJECT),
               CROSS_TRACKING_DUCKDB=str(duckdb_file))
    stages: list[Stage] = []
    if args.latency_only:
        print(json.dumps(measure_latency(db), indent=2))
        return 0
    if not args.skip_generate:
        stages.append(run_stage("generate extracts", [python, "-m", "cross_tracking.generator", "--out", str(extract),
                                                      "--scale", str(args.scale), "--seed", "42"],
                                "60 s, 4 GB", env))
    duckdb_file.unlink(missing_ok=True)
    stages.append(run_stage("dbt build (models and all tests)",
                            [str(BIN / "dbt"), "build", "--vars", json.dumps({"raw_path": str(extract)})],
                            "120 s, 6 GB", env))
    stages.append(run_stage("publish (export, Great Expectations, swap)",
                            [python, "-m", "cross_tracking.publish", "--raw", str(extract), "--db", str(db),
                             "--duckdb", str(duckdb_file), "--no-build"], "30 s", env))
    latency = measure_latency(db)
    results = {"scale": args.scale, "cpus": os.cpu_count(), "stages": [asdict(stage) for stage in stages],
               "latency": {"page": PAGE, **latency, "goal": "p99 < 200 ms"}}
    (work / "results.json").write_text(json.dumps(results, indent=2))
    print("\n| stage | wall time | peak memory | goal |\n|---|---|---|---|")
    for stage in stages:
        print(f"| {stage.name} | {stage.seconds} s | {stage.peak_rss_mb:.0f} MB | {stage.goal} |")
    print(f"| Datasette `{PAGE}` ({latency['connections']} connections, {latency['tool']}) "
          f"| p50 {latency['p50']}, p99 {latency['p99']}, {latency['requests_per_second']} req/s | | p99 < 200 ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
