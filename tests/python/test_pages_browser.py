"""The dashboards and the query builder in a real browser: Debian's headless
Chromium (installed by `make test`) on the published sample served as
`make serve` serves it. Screenshots of every dashboard go to
build/screenshots/."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ROOT, Published
from cross_tracking.publish.pages import browser, dashboards
from test_pages import EXAMPLE, all_withheld_group, cells_of_example, second_breakdown_of_example

SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def site(published: Published) -> Iterator[str]:
    problem = browser.missing_browser()
    if problem:
        if os.environ.get("CROSS_TRACKING_SKIP_BROWSER") == "1":
            pytest.skip(problem)
        pytest.fail(problem + " (set CROSS_TRACKING_SKIP_BROWSER=1 to skip these tests)")
    with browser.served(published.db) as base:
        yield base


@pytest.fixture(scope="module")
def driver(site: str) -> Iterator[Any]:
    chrome = browser.chrome()
    try:
        yield chrome
    finally:
        chrome.quit()


def open_page(driver: Any, url: str) -> int:
    browser.requested_urls(driver)  # forget the requests of the page before
    driver.get(url)
    return browser.wait_for_charts(driver)


def chart_svgs(driver: Any) -> list[str]:
    return [element.get_attribute("innerHTML") for element in driver.find_elements(By.CSS_SELECTOR, ".vega svg")]


def assert_stays_on_host(driver: Any, site: str) -> None:
    host = urlsplit(site).netloc
    for url in browser.requested_urls(driver):
        parts = urlsplit(url)
        assert parts.scheme in ("data", "blob", "about") or parts.netloc == host, f"request left the host: {url}"


@pytest.mark.parametrize("slug", list(dashboards.DASHBOARDS))
def test_dashboard_draws_its_charts_from_the_host_only(driver: Any, site: str, slug: str) -> None:
    drawn = open_page(driver, f"{site}/dashboards/{slug}")
    assert drawn >= 3
    assert not driver.find_elements(By.CSS_SELECTOR, '.vega[data-rendered="error"]')
    svgs = chart_svgs(driver)
    assert len(svgs) == drawn and all("<path" in svg or "<text" in svg for svg in svgs)
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    assert_stays_on_host(driver, site)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1300, min(int(height) + 100, 6000))
    driver.save_screenshot(str(SCREENSHOTS / f"{slug}.png"))
    driver.set_window_size(1300, 1000)


def test_choosing_a_filter_redraws_the_charts_and_keeps_the_view_in_the_url(driver: Any, site: str) -> None:
    open_page(driver, f"{site}/dashboards/population")
    before = chart_svgs(driver)
    Select(driver.find_element(By.NAME, "agency")).select_by_value("Suffolk")  # submits on change
    WebDriverWait(driver, 20).until(lambda d: "agency=Suffolk" in d.current_url)
    browser.wait_for_charts(driver)
    Select(driver.find_element(By.NAME, "demographic")).select_by_value("age_group")
    WebDriverWait(driver, 20).until(lambda d: "demographic=age_group" in d.current_url)
    browser.wait_for_charts(driver)
    after = chart_svgs(driver)
    assert len(after) == len(before) and after[0] != before[0]
    assert "Age group" in " ".join(after), "the demographic chart now breaks down by age group"
    # the URL reproduces the view
    view = driver.current_url
    open_page(driver, view)
    assert chart_svgs(driver) == after
    assert_stays_on_host(driver, site)


def test_withheld_cells_read_as_withheld(driver: Any, site: str, published: Published) -> None:
    agency, race, year = all_withheld_group(published.db)
    open_page(driver, f"{site}/dashboards/population?" + urlencode({"agency": agency, "race": race, "year": year}))
    trend = driver.find_element(By.CSS_SELECTOR, "#vega-trend svg").get_attribute("textContent")
    assert "Every cell here is withheld" in trend and "withheld" in trend.replace("Every cell here is withheld", "")
    assert driver.find_element(By.CSS_SELECTOR, ".headline .figure").text == "withheld"
    cells = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#chart-trend table.rows tbody td.num")]
    assert cells and set(cells) == {"withheld"}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / "population-withheld.png"))


def test_query_builder_example_gives_the_url_of_suffolk_by_race(driver: Any, site: str,
                                                                published: Published) -> None:
    browser.requested_urls(driver)
    driver.get(site + EXAMPLE)
    json_url = driver.find_element(By.ID, "json-url").get_attribute("value")
    assert json_url.startswith(site + "/cross_tracking/custody_population.json?")
    with urllib.request.urlopen(json_url) as response:
        rows = json.loads(response.read())
    assert sorted((r["race"], r["record_count"], r["suppressed"]) for r in rows) == cells_of_example(published.db)
    assert all(r["agency"] == "Suffolk" and r["snapshot_date"] == "2024-01-01" and r["ethnicity"] == "All"
               for r in rows)
    preview = driver.find_elements(By.CSS_SELECTOR, "table[data-preview] tbody tr")
    assert len(preview) == len(rows)
    copy = driver.find_element(By.CSS_SELECTOR, 'button[data-copy="json-url"]')
    copy.click()
    WebDriverWait(driver, 5).until(lambda d: copy.text == "Copied")
    # choosing another breakdown in the form rebuilds the URL
    dimension, expected = second_breakdown_of_example(published.db)
    Select(driver.find_elements(By.NAME, "by")[1]).select_by_visible_text(dimension)
    WebDriverWait(driver, 20).until(lambda d: f"by={dimension}" in d.current_url)
    with urllib.request.urlopen(driver.find_element(By.ID, "json-url").get_attribute("value")) as response:
        both = json.loads(response.read())
    assert sorted((r["race"], r[dimension]) for r in both) == expected
    assert all(r["agency"] == "Suffolk" and r["gender_identity"] == "All" for r in both)
    assert "by=&" not in driver.current_url and not driver.current_url.endswith("="), "empty choices stay out"
    assert_stays_on_host(driver, site)
    driver.save_screenshot(str(SCREENSHOTS / "query-builder.png"))

