"""Benchmark: python -m cross_tracking.bench [--scale 1] [--skip-generate]

Times each stage of the chain at scale 1 on this machine and reports wall
time and peak memory (the stage's own process, from wait4), then measures
Datasette latency on the published file with 20 concurrent connections.
Results go to build/bench/results.json and are printed as a table."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cross_tracking.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--skip-generate", action="store_true", help="reuse build/bench/extract")
    parser.add_argument("--latency-only", action="store_true", help="only measure Datasette on the last bench database")
    args = parser.parse_args(argv)
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
