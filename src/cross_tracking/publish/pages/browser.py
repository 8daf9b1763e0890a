"""A served database and a headless Chromium driving it, for the page tests
and the page-load timing. Debian's chromium and chromium-driver only
(`make test` installs them); Selenium is pointed at that driver so that its
Selenium Manager never downloads a browser."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def missing_browser() -> str | None:
    absent = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if absent:
        return (f"{', '.join(absent)} not found: run `make test` (installs Debian's chromium and "
                "chromium-driver as root) or `apt-get install chromium chromium-driver`")
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(db: Path, timeout: float = 60) -> Iterator[str]:
    """`db` served as `make serve` serves it (uvicorn, the same factory), on a
    free port; yields the base URL."""
    from cross_tracking.publish.serve import command

    port = free_port()
    arguments, environment = command(db, port)
    process = subprocess.Popen(arguments, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    error = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"the server for {db} did not start: {error[-2000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def chrome(width: int = 1300, height: int = 1000) -> Any:
    """Headless Chromium with its network log on (to see every request)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-default-apps", "--disable-sync"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked the network for since the last call."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


CHARTS_DONE = """
const specs = document.querySelectorAll('script[data-spec-for]').length;
const done = document.querySelectorAll('.vega[data-rendered]').length;
return specs === done ? specs : -1;
"""


def wait_for_charts(driver: Any, timeout: float = 20) -> int:
    """Waits until every chart on the page is drawn (or failed); returns how many."""
    from selenium.webdriver.support.ui import WebDriverWait

    def drawn(d: Any) -> int | bool:
        count = int(d.execute_script(CHARTS_DONE))
        return count if count >= 0 else False

    return int(WebDriverWait(driver, timeout).until(drawn))


def load_time_ms(driver: Any) -> float:
    """Navigation start to load end, plus the time until the last chart was
    drawn (pages.js stamps it)."""
    timing = driver.execute_script(
        "const t = performance.getEntriesByType('navigation')[0];"
        "return [t.loadEventEnd, window.pagesChartsDrawn || 0];")
    return float(max(timing))
