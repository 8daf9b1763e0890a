"""python -m cross_tracking.publish.pages.timing [--db build/cross_tracking.db] [--repeat 5]

Page-load times of the dashboards and the query builder, served as `make
serve` serves them: the server's answer (HTML, every chart's rows fetched)
and the whole load in headless Chromium, from navigation start until the
last chart is drawn. The first load after the server starts is reported
apart (it reads each table's dimension values once per worker process).
Writes build/bench/pages.json and prints a Markdown table."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from . import browser, dashboards

PATHS = [f"/dashboards/{slug}" for slug in dashboards.DASHBOARDS] + [
    "/dashboards/population?agency=Suffolk&year=2020&demographic=age_group&age_group=18+to+24",
    "/query-builder?table=custody_population&by=race&snapshot_date=2024-01-01&agency=Suffolk",
]


def server_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def measure(db: Path, repeat: int) -> dict[str, Any]:
    problem = browser.missing_browser()
    if problem:
        raise SystemExit(problem)
    results: list[dict[str, Any]] = []
    with browser.served(db) as base:
        driver = browser.chrome()
        try:
            first_server = {path: server_ms(base + path) for path in PATHS}
            for path in PATHS:
                server = [server_ms(base + path) for _ in range(repeat)]
                loads = []
                for _ in range(repeat):
                    driver.get(base + path)
                    if path.startswith("/dashboards/"):
                        browser.wait_for_charts(driver)
                    loads.append(browser.load_time_ms(driver))
                results.append({"path": path, "first_server_ms": round(first_server[path], 1),
                                "server_ms_median": round(statistics.median(server), 1),
                                "server_ms_max": round(max(server), 1),
                                "browser_ms_median": round(statistics.median(loads), 1),
                                "browser_ms_max": round(max(loads), 1)})
                print(f"[pages] {path}: server {results[-1]['server_ms_median']} ms, "
                      f"browser {results[-1]['browser_ms_median']} ms", file=sys.stderr, flush=True)
        finally:
            driver.quit()
    return {"db": str(db), "repeat": repeat, "pages": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cross_tracking.publish.pages.timing", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("build/cross_tracking.db"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("build/bench/pages.json"))
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} does not exist: run `make publish` first", file=sys.stderr)
        return 1
    result = measure(args.db, args.repeat)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print("| page | first answer after start | server (median / max) | full load in Chromium (median / max) |")
    print("|---|---|---|---|")
    for page in result["pages"]:
        print(f"| `{page['path']}` | {page['first_server_ms']} ms | {page['server_ms_median']} / "
              f"{page['server_ms_max']} ms | {page['browser_ms_median']} / {page['browser_ms_max']} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
