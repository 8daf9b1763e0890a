"""The dashboards and the API query builder, through Datasette's test client
on the published sample: every figure a page shows comes from the URL it
links to, the `All` convention is filled in, withheld cells read as
withheld, definitions come from the dbt docs, nothing is loaded from
elsewhere. tests/python/test_pages_browser.py runs them in Chromium."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from datasette.app import Datasette

from conftest import Published
from cross_tracking.publish.pages import dashboards, format_value, vendor
from cross_tracking.publish.pages.builder import breakdown_slots, cells_for
from cross_tracking.publish.pages.cells import table_info
from cross_tracking.publish.serve import datasette_for

ALL = "All"
EXAMPLE = "/query-builder?table=custody_population&by=race&snapshot_date=2024-01-01&agency=Suffolk"


@pytest.fixture
async def ds(published: Published) -> Datasette:
    datasette = datasette_for(published.db)
    await datasette.invoke_startup()  # as uvicorn does before the first request
    return datasette


async def get(ds: Datasette, path: str) -> Any:
    response = await ds.client.get(path, follow_redirects=True)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response


def chart_sections(page: str) -> dict[str, str]:
    return dict(re.findall(r'<section class="chart-card" id="chart-([a-z_]+)".*?>(.*?)</section>', page, re.DOTALL))


def specs(page: str) -> list[dict[str, Any]]:
    return [json.loads(text.replace("<\\/", "</")) for text in
            re.findall(r'<script type="application/json" data-spec-for="[^"]+">(.*?)</script>', page, re.DOTALL)]


def links(section: str) -> tuple[str, str]:
    json_url = html.unescape(re.search(r'<a href="([^"]+)">JSON</a>', section).group(1))  # type: ignore[union-attr]
    csv_url = html.unescape(re.search(r'<a href="([^"]+)">CSV</a>', section).group(1))  # type: ignore[union-attr]
    return json_url, csv_url


def table_cells(section: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", section, re.DOTALL).group(1)  # type: ignore[union-attr]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)]


def all_withheld_group(db: Any) -> tuple[str, str, str]:
    """An agency and race whose January 1 count is withheld in every year it
    is published (at least two), and the last of those years (contract v2
    leaves a row out in a year when a row it breaks down is withheld)."""
    with sqlite3.connect(db) as connection:
        found = connection.execute(
            "select agency, race, max(snapshot_date) from custody_population where agency <> 'All' "
            "and race <> 'All' and offender_status = 'All' and age_group = 'All' and assigned_sex = 'All' "
            "and gender_identity = 'All' and ethnicity = 'All' group by 1, 2 "
            "having count(*) = sum(suppressed) and count(*) >= 2 order by 1, 2 limit 1").fetchone()
    assert found, "the sample has no agency and race withheld in every year it is published"
    return found[0], found[1], found[2]


# ---------------------------------------------------------------- dashboards

@pytest.mark.parametrize("slug", list(dashboards.DASHBOARDS))
async def test_dashboard_has_headline_charts_definitions_and_as_of(ds: Datasette, slug: str) -> None:
    page = (await get(ds, f"/dashboards/{slug}")).text
    assert 'class="headline"' in page
    drawn = specs(page)
    assert len(drawn) >= 3, f"{slug}: a headline trend and at least two charts"
    assert "Data up to <strong>2024-12-31</strong>" in page, "the extract's as-of date"
    # definitions: the dbt docs' text, as the metadata publishes it
    definition = dashboards.DASHBOARDS[slug].charts[0].table
    description = ds.metadata(database="cross_tracking", table=definition)["description"]
    assert html.escape(description[:60], quote=False) in page
    for key in ("agency", "year"):
        assert f'name="{key}"' in page, f"{slug}: filter {key}"
    if dashboards.DASHBOARDS[slug].demographic:
        assert 'name="demographic"' in page


@pytest.mark.parametrize("slug", list(dashboards.DASHBOARDS))
async def test_every_chart_shows_exactly_the_rows_of_its_links(ds: Datasette, slug: str) -> None:
    page = (await get(ds, f"/dashboards/{slug}?agency=Suffolk&year=2022")).text
    sections = chart_sections(page)
    assert len(sections) == len(dashboards.DASHBOARDS[slug].charts)
    for key, section in sections.items():
        json_url, csv_url = links(section)
        rows = (await get(ds, json_url)).json()
        csv_text = (await get(ds, csv_url)).text
        assert len(csv_text.strip().splitlines()) == len(rows) + 1, f"{slug}/{key}: CSV and JSON differ"
        shown = [row for row in table_cells(section) if row != ["no rows"]]
        assert len(shown) == len(rows), f"{slug}/{key}: table rows differ from {json_url}"
        withheld_rows = sum(1 for row in rows if row.get("suppressed") == 1)
        withheld_shown = sum(1 for row in shown if "withheld" in row)
        assert withheld_shown >= withheld_rows
        # the chart draws the same rows: one point per row (and metric)
        spec = next((s for s in specs(section)), None)
        if rows:
            assert spec is not None
            values = [v for part in spec.get("vconcat", [spec]) for v in part["data"]["values"]
                      if "value" in v]
            metrics = len(dashboards.DASHBOARDS[slug].charts[list(sections).index(key)].metrics)
            assert len(values) == len(rows) * metrics, f"{slug}/{key}: chart points differ from the rows"


async def test_links_follow_the_all_convention(ds: Datasette) -> None:
    """Suffolk's pretrial and sentenced trend: status broken down, every other
    dimension that has a total set to All."""
    page = (await get(ds, "/dashboards/population?agency=Suffolk")).text
    json_url, _ = links(chart_sections(page)["status"])
    parameters = dict(parse_qsl(urlsplit(json_url).query))
    assert parameters["agency"] == "Suffolk"
    assert parameters["offender_status__not"] == ALL
    for dimension in ("age_group", "assigned_sex", "gender_identity", "race", "ethnicity"):
        assert parameters[dimension] == ALL
    assert "snapshot_date" not in parameters  # no total: every January 1
    rows = (await get(ds, json_url)).json()
    assert {row["offender_status"] for row in rows} == {"Pretrial", "Sentenced"}
    assert all(row["agency"] == "Suffolk" and row["race"] == ALL for row in rows)


async def test_filters_in_the_url_change_the_figures(ds: Datasette) -> None:
    everyone = (await get(ds, "/dashboards/population?year=2020")).text
    suffolk = (await get(ds, "/dashboards/population?year=2020&agency=Suffolk&demographic=race&race=White")).text
    assert '<option value="Suffolk" selected>' in suffolk
    assert '<option value="White" selected>' in suffolk
    assert '<option selected>2020</option>' in suffolk
    assert specs(everyone)[0] != specs(suffolk)[0]
    json_url, _ = links(chart_sections(suffolk)["trend"])
    assert dict(parse_qsl(urlsplit(json_url).query))["race"] == "White"


async def test_unknown_filter_values_fall_back_to_defaults(ds: Datasette) -> None:
    page = (await get(ds, "/dashboards/population?agency=Atlantis&year=1066&race=Martian")).text
    assert '<option value="All" selected>All agencies</option>' in page
    assert (await ds.client.get("/dashboards/nowhere")).status_code == 404


async def test_withheld_cells_show_as_withheld_never_zero(ds: Datasette, published: Published) -> None:
    agency, race, year = all_withheld_group(published.db)
    page = (await get(ds, "/dashboards/population?" + urlencode({"agency": agency, "race": race,
                                                                  "year": year}))).text
    headline = re.search(r'<section class="headline".*?</section>', page, re.DOTALL).group(0)  # type: ignore[union-attr]
    assert ">withheld<" in headline and "Not zero" in headline
    section = chart_sections(page)["trend"]
    shown = table_cells(section)
    assert shown and all(row[-1] == "withheld" for row in shown)
    assert not any(row[-1] == "0" for row in shown)
    spec = specs(section)[0]
    main, strip = spec["vconcat"]
    assert main["encoding"]["text"]["value"] == "Every cell here is withheld"
    assert len(strip["data"]["values"]) == len(shown)
    assert all(value["value"] is None for value in strip["data"]["values"])
    assert "never as zero" in section


async def test_partly_withheld_chart_draws_only_published_values(ds: Datasette) -> None:
    page = (await get(ds, "/dashboards/population?year=2024&agency=Bristol")).text
    spec = specs(chart_sections(page)["agency"])[0]
    drawn = [v for v in spec["data"]["values"] if v["value"] is not None]
    withheld = [v for v in spec["data"]["values"] if v["value"] is None]
    assert drawn, "some agencies are published"
    bars, band, label = spec["layer"]
    assert bars["transform"] == [{"filter": "datum.value != null"}]
    assert label["encoding"]["text"]["value"] == "withheld"
    assert band["transform"] == label["transform"] == [{"filter": "datum.value == null"}]
    assert len(withheld) == sum(1 for row in table_cells(chart_sections(page)["agency"]) if row[-1] == "withheld")


async def test_recidivism_defaults_to_a_complete_window(ds: Datasette) -> None:
    page = (await get(ds, "/dashboards/recidivism")).text
    rows = (await get(ds, links(chart_sections(page)["trend"])[0])).json()
    last = max(row["release_year"] for row in rows)
    assert f"<option selected>{last}</option>" in page
    assert all(row["followup_years"] == 3 and row["measure"] == "Reincarceration" for row in rows)


async def test_home_page_leads_to_the_dashboards_first(ds: Datasette) -> None:
    page = (await get(ds, "/")).text
    first_dashboard = page.index("/dashboards/population")
    # the first link to a table of the listing; the introduction above may
    # link the database itself (About) and the releases table
    first_table = re.search(r'href="/cross_tracking/(?!releases")\w+"', page)
    assert first_table and first_dashboard < first_table.start()
    listing = (await get(ds, "/dashboards/")).text
    for slug in dashboards.DASHBOARDS:
        assert f'href="/dashboards/{slug}"' in listing
    assert 'href="/query-builder"' in listing


async def test_pages_load_nothing_from_elsewhere(ds: Datasette) -> None:
    for path in ["/", "/dashboards/", "/query-builder"] + [f"/dashboards/{slug}" for slug in dashboards.DASHBOARDS]:
        page = (await get(ds, path)).text
        loaded = re.findall(r'<(?:script|img)[^>]+src="([^"]+)"', page) + re.findall(
            r'<link rel="stylesheet" href="([^"]+)"', page)
        assert loaded
        for url in loaded:
            assert url.startswith("/") and not url.startswith("//"), f"{path} loads {url}"
    for asset in ("vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js", "pages.js",
                  "pages.css"):
        response = await ds.client.get(ds.urls.static_plugins("cross_tracking.publish.pages", asset))
        assert response.status_code == 200, asset


def test_vendored_scripts_match_their_pinned_versions() -> None:
    assert vendor.check() == []


def test_figures_print_withheld_for_missing_values() -> None:
    assert format_value(None) == "withheld"
    assert format_value(1234) == "1,234"
    assert format_value(0.256, ".0%") == "26%"
    assert format_value(0) == "0"


# ---------------------------------------------------------------- query builder

def cells_of_example(db: Any) -> list[tuple[str, ...]]:
    """Suffolk by race on 2024-01-01, every other dimension All, straight from SQLite."""
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "select race, record_count, suppressed from custody_population where snapshot_date = '2024-01-01' "
            "and agency = 'Suffolk' and race <> 'All' and offender_status = 'All' and age_group = 'All' "
            "and assigned_sex = 'All' and gender_identity = 'All' and ethnicity = 'All' order by race").fetchall()


def second_breakdown_of_example(db: Any) -> tuple[str, list[tuple[str, str]]]:
    """A dimension that breaks the example (Suffolk by race) down once more
    with rows to show, and those rows as (race, that dimension). Contract v2
    leaves out the breakdowns of a withheld row, so which one has rows
    depends on the data; offender status is tried first."""
    others = ["offender_status", "age_group", "assigned_sex", "ethnicity"]
    with sqlite3.connect(db) as connection:
        for dimension in others:
            fixed = " and ".join(f"{d} = 'All'" for d in others + ["gender_identity"] if d != dimension)
            rows = connection.execute(
                f"select race, {dimension} from custody_population where snapshot_date = '2024-01-01' "
                f"and agency = 'Suffolk' and race <> 'All' and {dimension} <> 'All' and {fixed} "
                "order by race, " + dimension).fetchall()
            if rows:
                return dimension, rows
    raise AssertionError("the sample publishes no second breakdown of Suffolk by race")


async def test_query_builder_example_returns_suffolk_by_race(ds: Datasette, published: Published) -> None:
    page = (await get(ds, EXAMPLE)).text
    json_url = html.unescape(re.search(r'id="json-url"[^>]*>([^<]+)<', page).group(1))  # type: ignore[union-attr]
    csv_url = html.unescape(re.search(r'id="csv-url"[^>]*>([^<]+)<', page).group(1))  # type: ignore[union-attr]
    path = json_url.split("://", 1)[1].split("/", 1)[1]
    rows = (await get(ds, "/" + path)).json()
    expected = cells_of_example(published.db)
    assert len(expected) >= 2
    assert sorted((r["race"], r["record_count"], r["suppressed"]) for r in rows) == expected
    for row in rows:
        assert row["snapshot_date"] == "2024-01-01" and row["agency"] == "Suffolk"
        for dimension in ("offender_status", "age_group", "assigned_sex", "gender_identity", "ethnicity"):
            assert row[dimension] == ALL
    assert csv_url.split("?")[1].replace("_shape=array&", "") == json_url.split("?")[1].replace("_shape=array&", "")
    assert f"{len(rows)} rows" in page
    assert 'data-copy="json-url"' in page and 'data-copy="csv-url"' in page
    for race, *_ in expected:
        assert html.escape(race, quote=False) in page, "the preview shows every row"


async def test_query_builder_works_for_every_statistics_table(ds: Datasette) -> None:
    from cross_tracking.publish.pages.cells import statistic_tables

    tables = await statistic_tables(ds)
    assert {"custody_population", "custody_offenses", "sentenced_charges", "admissions_releases", "recidivism",
            "program_enrollments", "program_exits", "cohort_exclusions"} <= set(tables)
    for table in tables:
        info = await table_info(ds, table)
        assert info is not None
        by = [d for d in info.dimensions if info.has_all(d)][:2]
        page = (await get(ds, f"/query-builder?table={table}&" + urlencode([("by", d) for d in by]))).text
        json_url = html.unescape(re.search(r'id="json-url"[^>]*>([^<]+)<', page).group(1))  # type: ignore[union-attr]
        rows = (await get(ds, "/" + json_url.split("://", 1)[1].split("/", 1)[1])).json()
        for row in rows:
            for dimension in info.dimensions:
                if dimension in by:
                    assert row[dimension] != ALL, f"{table}: {dimension} is broken down"
                elif info.has_all(dimension):
                    assert row[dimension] == ALL, f"{table}: {dimension} is not broken down"


async def test_query_builder_keeps_the_contracts_breakdowns_and_ignores_unknown_values(ds: Datasette) -> None:
    info = await table_info(ds, "custody_population")
    assert info is not None
    # contract v2: two breakdowns besides the agency and the snapshot date
    cells, by, open_dimensions = cells_for(
        info, ["race", "age_group", "assigned_sex", "ethnicity", "nonsense"],
        {"agency": "Suffolk", "race": "White", "ethnicity": "Martian"})
    assert by == ["race", "age_group"]
    assert cells.filters == {"agency": "Suffolk"}  # race is broken down; Martian is no ethnicity
    assert open_dimensions == ["snapshot_date"]
    parameters = dict(cells.parameters())
    assert parameters["ethnicity"] == ALL and parameters["race__not"] == ALL
    # the agency and the date do not count towards the two
    _, by, _ = cells_for(info, ["agency", "race", "snapshot_date", "age_group", "assigned_sex"], {})
    assert by == ["agency", "race", "snapshot_date", "age_group"]
    assert breakdown_slots(info) == 4
    # race is never crossed with ethnicity (contract v2): the second is dropped
    _, by, _ = cells_for(info, ["race", "ethnicity", "age_group"], {})
    assert by == ["race", "age_group"]
    # an offense type with its sub-type is one breakdown
    offenses = await table_info(ds, "custody_offenses")
    assert offenses is not None
    _, by, _ = cells_for(offenses, ["offense_type", "offense_subtype", "age_group", "race"], {})
    assert by == ["offense_type", "offense_subtype", "age_group"]
