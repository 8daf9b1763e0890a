"""The six topic dashboards: what each shows, as sets of published cells.

Every chart is one Datasette table URL (its JSON and CSV links sit beside
it, and the page fetches exactly those rows). A chart asks for at most the
agency plus two other breakdowns, so it keeps working if the published cube
is narrowed to that; cells it does not find are simply not drawn, and
withheld cells are drawn as withheld."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from datasette.app import Datasette

from . import charts
from .cells import ALL, Cells, TableInfo, extract_as_of, fetch, table_info

DEMOGRAPHICS = {"age_group": "Age group", "assigned_sex": "Assigned sex", "gender_identity": "Gender identity",
                "race": "Race", "ethnicity": "Ethnicity"}
TIME_COLUMNS = ("snapshot_date", "event_year", "release_year", "year")
LABELS = {"snapshot_date": "January 1", "event_year": "Year", "release_year": "Release year", "year": "Year",
          "agency": "Agency", "offender_status": "Status", "offense_type": "Offense type",
          "offense_severity": "Severity", "event": "Event", "event_month": "Month", "event_type": "Type",
          "measure": "Measure", "followup_years": "Follow-up (years)", "psi_area": "PSI area",
          "exit_reason": "Exit reason", "source": "Source", "reason": "Reason", "file": "File",
          "program_name": "Program", **DEMOGRAPHICS}
METRIC_LABELS = {"record_count": "people", "median_incarceration_days": "median days in custody",
                 "mean_incarceration_days": "mean days in custody", "records": "records",
                 "records_with_valid_sid": "with a valid SID", "charge_count": "charges",
                 "conviction_count": "convictions",
                 "rate": "rate", "enrollments": "enrollments", "exits": "exits",
                 "share_with_valid_sid": "share with a valid SID", "released": "released",
                 "recidivated": "recidivated"}


@dataclass
class State:
    """A dashboard's filters, all from the page URL."""

    agency: str = ALL
    year: str = ""
    demographic: str = "race"
    group: str = ALL
    extra: dict[str, str] = field(default_factory=dict)

    def demo_filter(self, info: TableInfo) -> dict[str, str]:
        """The demographic filter, where the table has that dimension."""
        if self.demographic in info.dimensions and self.group != ALL:
            return {self.demographic: self.group}
        return {}

    def agency_filter(self, info: TableInfo) -> dict[str, str]:
        return {"agency": self.agency} if "agency" in info.dimensions and info.has_all("agency") else {}


@dataclass
class ChartDef:
    key: str
    title: Callable[[State], str]
    table: str
    kind: str  # "trend" or "bars"
    x: str
    metrics: list[str]
    cells: Callable[[State, TableInfo], Cells]
    series: str | None = None
    value_format: str = ",d"
    note: str = ""
    # columns shown in the table beside the chart, besides x, series and the metrics
    columns: list[str] = field(default_factory=list)
    y_title: str | None = None
    prefix: str | None = None  # a column written before x in the chart's labels
    rows_order: bool = False  # categories in the order of the rows (the URL's sort), not the table's


@dataclass
class DashboardDef:
    slug: str
    title: str
    summary: str
    headline_table: str
    headline_label: Callable[[State], str]
    charts: list[ChartDef]  # the first is the headline's trend
    demographic: bool = True
    absent_note: str = "No cell is published for this choice: nobody is in it, or it is finer than the tables publish."
    headline_pick: dict[str, str] = field(default_factory=dict)  # rows of the first chart the figure counts
    extra_filters: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    # (parameter, label, table.column holding the choices or "", fixed choices)


def _time_value(info: TableInfo, state: State) -> str:
    column = next(c for c in info.dimensions if c in TIME_COLUMNS)
    return f"{state.year}-01-01" if column == "snapshot_date" else state.year


def _at_year(info: TableInfo, state: State) -> dict[str, str]:
    column = next(c for c in info.dimensions if c in TIME_COLUMNS)
    return {column: _time_value(info, state)}


def _base(state: State, info: TableInfo, **fixed: str) -> dict[str, str]:
    return {**state.agency_filter(info), **state.demo_filter(info), **fixed}


def _agency_text(state: State) -> str:
    return "all agencies" if state.agency == ALL else state.agency


def _group_text(state: State) -> str:
    return "" if state.group == ALL else f", {DEMOGRAPHICS.get(state.demographic, state.demographic)}: {state.group}"


def _where(state: State) -> str:
    return f"{_agency_text(state)}{_group_text(state)}"


POPULATION = DashboardDef(
    slug="population", title="People in custody",
    summary="People held on January 1 of each year by the Department of Correction and the sheriffs.",
    headline_table="custody_population",
    headline_label=lambda s: f"people in custody on January 1, {s.year} ({_where(s)})",
    charts=[
        ChartDef("trend", lambda s: f"People in custody on January 1 ({_where(s)})", "custody_population", "trend",
                 "snapshot_date", ["record_count"], lambda s, i: Cells(i, _base(s, i))),
        ChartDef("status", lambda s: f"Pretrial and sentenced ({_where(s)})", "custody_population", "trend",
                 "snapshot_date", ["record_count"],
                 lambda s, i: Cells(i, _base(s, i), broken_down=["offender_status"]), series="offender_status"),
        ChartDef("demographic", lambda s: f"By {DEMOGRAPHICS[s.demographic].lower()}, January 1, {s.year} "
                                          f"({_agency_text(s)})", "custody_population", "bars",
                 "{demographic}", ["record_count"],
                 lambda s, i: Cells(i, {**s.agency_filter(i), **_at_year(i, s)}, broken_down=[s.demographic])),
        ChartDef("agency", lambda s: f"By agency, January 1, {s.year} (every agency{_group_text(s)})",
                 "custody_population", "bars", "agency", ["record_count"],
                 lambda s, i: Cells(i, {**s.demo_filter(i), **_at_year(i, s)}, broken_down=["agency"]),
                 note="Every agency, whatever the agency filter says."),
        ChartDef("time", lambda s: f"Median days in custody, January 1 ({_where(s)})", "custody_population",
                 "trend", "snapshot_date", ["median_incarceration_days"],
                 lambda s, i: Cells(i, _base(s, i), broken_down=["offender_status"]), series="offender_status",
                 value_format=",.0f", columns=["record_count"]),
    ],
)

OFFENSES = DashboardDef(
    slug="offenses", title="Offenses",
    summary="The governing offense of sentenced people and the leading charge of pretrial people held on "
            "January 1, and every charge and conviction of the sentenced.",
    headline_table="custody_offenses",
    headline_label=lambda s: (f"people held on January 1, {s.year}, for a {s.extra['offense_type']} offense "
                              f"as governing offense or leading charge ({_where(s)})"),
    extra_filters=[("offense_type", "Offense type", "custody_offenses.offense_type", [])],
    charts=[
        ChartDef("trend", lambda s: f"Held for a {s.extra['offense_type']} offense, pretrial and sentenced "
                                    f"({_where(s)})", "custody_offenses", "trend", "snapshot_date",
                 ["record_count"],
                 lambda s, i: Cells(i, _base(s, i, offense_type=s.extra["offense_type"])),
                 series="offender_status"),
        ChartDef("type", lambda s: f"By offense type, January 1, {s.year} ({_where(s)})", "custody_offenses",
                 "bars", "offense_type", ["record_count"],
                 lambda s, i: Cells(i, {**_base(s, i), **_at_year(i, s)}, broken_down=["offense_type"]),
                 series="offender_status",
                 note="Sentenced: governing offense. Pretrial: leading charge."),
        ChartDef("severity", lambda s: f"By severity, January 1, {s.year} ({_where(s)})", "custody_offenses",
                 "bars", "offense_severity", ["record_count"],
                 lambda s, i: Cells(i, {**_base(s, i), **_at_year(i, s)}, broken_down=["offense_severity"]),
                 series="offender_status"),
        ChartDef("charges", lambda s: f"Charges and convictions of the sentenced, January 1, {s.year} "
                                      f"({_agency_text(s)})", "sentenced_charges", "bars", "offense_type",
                 ["charge_count", "conviction_count"],
                 lambda s, i: Cells(i, {**s.agency_filter(i), **_at_year(i, s)}, broken_down=["offense_type"]),
                 columns=["record_count"],
                 note="Every charge on the records of the people serving a sentence; no demographic breakdown."),
    ],
)

ADMISSIONS = DashboardDef(
    slug="admissions-releases", title="Admissions and releases",
    summary="Admissions to and releases from custody, by year and month.",
    headline_table="admissions_releases",
    headline_label=lambda s: f"admissions in {s.year} ({_where(s)})",
    headline_pick={"event": "Admission"},
    charts=[
        ChartDef("trend", lambda s: f"Admissions and releases by year ({_where(s)})", "admissions_releases", "trend",
                 "event_year", ["record_count"], lambda s, i: Cells(i, _base(s, i)), series="event"),
        ChartDef("month", lambda s: f"By month, {s.year} ({_where(s)})", "admissions_releases", "trend",
                 "event_month", ["record_count"],
                 lambda s, i: Cells(i, {**_base(s, i), **_at_year(i, s)}, broken_down=["event_month"]),
                 series="event"),
        ChartDef("type", lambda s: f"By type of admission or release, {s.year} ({_where(s)})",
                 "admissions_releases", "bars", "event_type", ["record_count"],
                 lambda s, i: Cells(i, {**_base(s, i), **_at_year(i, s)}, broken_down=["event_type"]),
                 series="event"),
        ChartDef("status", lambda s: f"Admissions by status, {s.year} ({_where(s)})", "admissions_releases",
                 "bars", "offender_status", ["record_count"],
                 lambda s, i: Cells(i, {**_base(s, i), **_at_year(i, s), "event": "Admission"},
                                    broken_down=["offender_status"])),
    ],
)

RECIDIVISM = DashboardDef(
    slug="recidivism", title="Recidivism",
    summary="People released in a year, followed for 1, 2 and 3 years: re-arraignment, reconviction and "
            "reincarceration. Only follow-up windows that ended by the extract date are published.",
    headline_table="recidivism",
    absent_note="No published cell for this choice: the follow-up window had not ended by the extract date, "
                "or nobody was released.",
    headline_label=lambda s: (f"{s.extra['measure'].lower()} within {s.extra['followup_years']} year(s) of "
                              f"release, released in {s.year} ({_where(s)})"),
    extra_filters=[("measure", "Measure", "recidivism.measure", []),
                   ("followup_years", "Follow-up", "recidivism.followup_years", [])],
    charts=[
        ChartDef("trend", lambda s: f"{s.extra['measure']} within {s.extra['followup_years']} year(s), by release "
                                    f"year ({_where(s)})", "recidivism", "trend", "release_year", ["rate"],
                 lambda s, i: Cells(i, _base(s, i, measure=s.extra["measure"],
                                             followup_years=s.extra["followup_years"])),
                 value_format=".0%", columns=["released", "recidivated"]),
        ChartDef("measures", lambda s: f"Every measure within {s.extra['followup_years']} year(s), by release year "
                                       f"({_where(s)})", "recidivism", "trend", "release_year", ["rate"],
                 lambda s, i: Cells(i, _base(s, i, followup_years=s.extra["followup_years"])), series="measure",
                 value_format=".0%", columns=["released", "recidivated"]),
        ChartDef("windows", lambda s: f"Released in {s.year}: 1, 2 and 3 years on ({_where(s)})", "recidivism",
                 "bars", "measure", ["rate"],
                 lambda s, i: Cells(i, {**_base(s, i), **_at_year(i, s)}), series="followup_years",
                 value_format=".0%", columns=["released", "recidivated"],
                 note="A window still open at the extract date is not published, so recent years have fewer bars."),
        ChartDef("demographic", lambda s: f"{s.extra['measure']} within {s.extra['followup_years']} year(s) by "
                                          f"{DEMOGRAPHICS[s.demographic].lower()}, released in {s.year} "
                                          f"({_agency_text(s)})", "recidivism", "bars", "{demographic}", ["rate"],
                 lambda s, i: Cells(i, {**s.agency_filter(i), **_at_year(i, s), "measure": s.extra["measure"],
                                        "followup_years": s.extra["followup_years"]},
                                    broken_down=[s.demographic]),
                 value_format=".0%", columns=["released", "recidivated"]),
    ],
)

PROGRAMS = DashboardDef(
    slug="programs", title="Programs",
    summary="Program enrollments, exits and completions by PSI area, and the programs each agency offers.",
    headline_table="program_enrollments",
    headline_label=lambda s: f"program enrollments started in {s.year} ({_where(s)})",
    charts=[
        ChartDef("trend", lambda s: f"Enrollments by year ({_where(s)})", "program_enrollments", "trend", "year",
                 ["enrollments"], lambda s, i: Cells(i, _base(s, i)), columns=["record_count"]),
        ChartDef("area", lambda s: f"Enrollments by PSI area, {s.year} ({_where(s)})", "program_enrollments",
                 "bars", "psi_area", ["enrollments"],
                 lambda s, i: Cells(i, {**_base(s, i), **_at_year(i, s)}, broken_down=["psi_area"]),
                 columns=["record_count"]),
        ChartDef("exits", lambda s: f"Exits and completions by PSI area, {s.year} ({_agency_text(s)})",
                 "program_exits", "bars", "psi_area", ["exits"],
                 lambda s, i: Cells(i, {**s.agency_filter(i), **_at_year(i, s)}, broken_down=["psi_area"],
                                    within={"exit_reason": ["All", "Completed"]}),
                 series="exit_reason", note="All: every exit; Completed: exits that completed the program. "
                                            "No demographic breakdown."),
        ChartDef("programs", lambda s: f"Largest programs by enrollments ({_agency_text(s)}, every year)",
                 "program_summary", "bars", "program_name", ["enrollments"],
                 lambda s, i: Cells(i, {"agency": s.agency} if s.agency != ALL else {}, sort_desc="enrollments",
                                    size=15),
                 series="agency", columns=["psi_area", "first_year", "last_year"], rows_order=True,
                 note="The 15 programs with the most enrollments; program_summary lists every one."),
    ],
)

QUALITY = DashboardDef(
    slug="data-quality", title="Data quality",
    summary="How well the agencies' records link (valid State Identification Numbers), who is left out of the "
            "January 1 counts and why, charges the court data lacks, codes outside the code tables, and how many "
            "source rows were rejected.",
    headline_table="sid_coverage",
    headline_label=lambda s: f"of {s.extra['source']}'s records in {s.year} carry a valid SID",
    demographic=False,
    extra_filters=[("source", "Source", "sid_coverage.source", []),
                   ("reason", "Exclusion reason", "cohort_exclusions.reason", [])],
    charts=[
        ChartDef("trend", lambda s: f"Share of records with a valid SID: {s.extra['source']}", "sid_coverage",
                 "trend", "year", ["share_with_valid_sid"], lambda s, i: Cells(i, {"source": s.extra["source"]}),
                 value_format=".0%", columns=["records", "records_with_valid_sid"]),
        ChartDef("sources", lambda s: f"Share with a valid SID by source, {s.year}", "sid_coverage", "bars",
                 "source", ["share_with_valid_sid"], lambda s, i: Cells(i, {"year": s.year}),
                 value_format=".0%", columns=["records", "records_with_valid_sid"]),
        ChartDef("exclusions", lambda s: f"Left out of the January 1 count, {s.year} ({_agency_text(s)})",
                 "cohort_exclusions", "bars", "reason", ["record_count"],
                 lambda s, i: Cells(i, {**s.agency_filter(i), **_at_year(i, s)}, broken_down=["reason"]),
                 y_title="placements"),
        ChartDef("exclusion_trend", lambda s: f"Left out of the January 1 count: {s.extra['reason']} "
                                              f"({_agency_text(s)})", "cohort_exclusions", "trend",
                 "snapshot_date", ["record_count"],
                 lambda s, i: Cells(i, {**s.agency_filter(i), "reason": s.extra["reason"]}), y_title="placements"),
        ChartDef("court_misses", lambda s: f"Charges the court data lacks, {s.year} ({_agency_text(s)})",
                 "court_misses", "bars", "reason", ["record_count"],
                 lambda s, i: Cells(i, {**s.agency_filter(i), **_at_year(i, s)}, broken_down=["reason"]),
                 y_title="charges",
                 note="Charges of the people counted on January 1 whose docket, or whose charge on a known docket, "
                      "is not in the court data; they keep the custody record's statute."),
        ChartDef("unknown_codes", lambda s: f"Records with a code outside the code tables: {s.extra['source']}, "
                                            f"{s.year}", "unknown_codes", "bars", "field", ["record_count"],
                 lambda s, i: Cells(i, {"source": s.extra["source"], **_at_year(i, s)}, broken_down=["field"]),
                 y_title="records",
                 note="A demographic code the code tables do not list is published as Unknown; by the year the "
                      "agency admitted the person."),
        ChartDef("rejected", lambda s: f"Rejected source rows: {s.extra['source']} (whole extract)",
                 "rejected_records", "bars", "reason", ["record_count"],
                 lambda s, i: Cells(i, {"source": s.extra["source"]}, sort="file"), prefix="file", y_title="rows",
                 note="Rows the pipeline could not use, by file and reason; they stay in the private build."),
    ],
)

DASHBOARDS: dict[str, DashboardDef] = {d.slug: d for d in
                                       (POPULATION, OFFENSES, ADMISSIONS, RECIDIVISM, PROGRAMS, QUALITY)}
DEFAULTS = {"offense_type": "Person", "measure": "Reincarceration", "followup_years": "3",
            "source": "Department of Correction", "reason": "All"}


def _years(info: TableInfo) -> list[str]:
    column = next(c for c in info.dimensions if c in TIME_COLUMNS)
    return [str(v)[:4] for v in info.values[column]]


async def state_from(datasette: Datasette, dashboard: DashboardDef, args: Any) -> tuple[State, dict[str, Any]]:
    """The filters in the URL, each checked against the values the tables hold
    (anything else falls back to the default), and the choices for the form."""
    headline = await table_info(datasette, dashboard.headline_table)
    assert headline is not None
    years = _years(headline)
    agencies_info = await table_info(datasette, "custody_population")
    agencies = agencies_info.values["agency"] if agencies_info else [ALL]
    state = State()
    state.agency = args.get("agency") if args.get("agency") in agencies else ALL
    state.year = args.get("year") if args.get("year") in years else (years[-1] if years else "")
    choices: dict[str, Any] = {"agency": agencies, "year": years, "demographic": {}, "group": [], "extra": []}
    if dashboard.demographic:
        demographics = [d for d in DEMOGRAPHICS if d in headline.dimensions]
        choices["demographic"] = {d: DEMOGRAPHICS[d] for d in demographics}
        requested = args.get("demographic")
        if requested not in demographics:
            # a link may carry just `race=White`: that names the demographic too
            requested = next((d for d in demographics if args.get(d)), "race")
        state.demographic = requested if requested in demographics else demographics[0]
        groups = headline.values.get(state.demographic, [ALL])
        choices["group"] = groups
        state.group = args.get(state.demographic) if args.get(state.demographic) in groups else ALL
    for parameter, label, source, fixed in dashboard.extra_filters:
        table_name, column = source.split(".")
        info = await table_info(datasette, table_name)
        options = [str(v) for v in (info.values[column] if info else fixed)]
        default = DEFAULTS.get(parameter, options[0] if options else "")
        chosen = args.get(parameter)
        state.extra[parameter] = chosen if chosen in options else (default if default in options else options[0])
        choices["extra"].append({"name": parameter, "label": label, "options": options,
                                 "value": state.extra[parameter]})
    return state, choices


def _label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " "))


async def build_chart(datasette: Datasette, chart: ChartDef, state: State, index: int) -> dict[str, Any]:
    info = await table_info(datasette, chart.table)
    if info is None:
        return {"key": chart.key, "title": chart.title(state), "missing": chart.table}
    x = chart.x.format(demographic=state.demographic)
    cells = chart.cells(state, info)
    rows = await fetch(datasette, cells)
    metric_labels = {m: METRIC_LABELS.get(m, m) for m in chart.metrics}
    found = charts.points(rows, x, chart.metrics, chart.series, metric_labels, chart.prefix)
    series_order = None
    if chart.series and len(chart.metrics) == 1:
        series_order = [str(v) for v in info.values.get(chart.series, []) if v != ALL] or None
        if chart.series == "exit_reason":
            series_order = ["All", "Completed"]
    y_title = chart.y_title or (metric_labels[chart.metrics[0]] if len(chart.metrics) == 1 else "count")
    if not rows:
        spec = None
    elif chart.kind == "trend":
        spec = charts.trend_spec(found, _label(x), y_title, chart.value_format, series_order,
                                 series_title=_label(chart.series) if chart.series else None,
                                 year_labels=x == "snapshot_date")
    else:
        order = list(dict.fromkeys(str(p.x) for p in found)) if chart.rows_order or chart.prefix else [
            str(v) for v in info.values.get(x, [])]
        spec = charts.bars_spec(found, _label(x), y_title, chart.value_format, order, series_order,
                                series_title=_label(chart.series) if chart.series else None)
    columns = ([chart.prefix] if chart.prefix else []) + [x] + ([chart.series] if chart.series else []) \
        + chart.columns + chart.metrics
    columns = list(dict.fromkeys(c for c in columns if c))
    return {
        "key": chart.key, "index": index, "title": chart.title(state), "table": chart.table, "spec": spec, "x": x,
        "rows": rows, "columns": columns,
        "labels": {c: (chart.y_title if chart.y_title and c in chart.metrics else METRIC_LABELS.get(c, _label(c)))
                   if c in chart.metrics + chart.columns else _label(c) for c in columns},
        "metrics": chart.metrics, "formats": {m: chart.value_format for m in chart.metrics},
        "json_url": cells.json_url, "csv_url": cells.csv_url, "note": chart.note,
        "withheld": sum(1 for row in rows if row.get("suppressed") == 1),
        "used": [c for c in info.dimensions if c in columns or c in cells.filters] + chart.metrics,
    }


def headline(chart: dict[str, Any], state: State, pick: dict[str, str]) -> dict[str, Any]:
    """The headline figure: the first chart's value for the chosen year, with
    the change since the first year. Rows are narrowed to `pick` first; what
    is left for a year is added up (withheld when any part is withheld)."""
    x = chart["x"]
    metric = chart["metrics"][0]
    rows = [r for r in chart.get("rows") or [] if all(str(r.get(k)) == v for k, v in pick.items())]

    def value_at(year: str) -> tuple[bool, float | None]:
        matching = [r for r in rows if str(r[x])[:4] == year]
        if not matching:
            return False, None
        if any(r.get("suppressed") == 1 or r.get(metric) is None for r in matching):
            return True, None
        return True, float(sum(r[metric] for r in matching))

    years = sorted({str(r[x])[:4] for r in rows})
    present, value = value_at(state.year)
    first_year = years[0] if years else ""
    first = value_at(first_year)[1] if first_year else None
    change = None
    if value is not None and first not in (None, 0) and first_year != state.year:
        assert first is not None
        if chart["formats"][metric].endswith("%"):
            change = f"{(value - first) * 100:+.0f} points since {first_year}"
        else:
            change = f"{(value - first) / first:+.0%} since {first_year}"
    return {"present": present, "value": value, "format": chart["formats"][metric], "change": change,
            "first_year": first_year}


async def build(datasette: Datasette, dashboard: DashboardDef, args: Any) -> dict[str, Any]:
    state, choices = await state_from(datasette, dashboard, args)
    first = await build_chart(datasette, dashboard.charts[0], state, 0)
    if args.get("year") not in choices["year"] and first.get("rows"):
        # no year asked for: the last one the headline has (a recidivism
        # window ends years after the release, so it is not simply the last year)
        state.year = max(str(row[first["x"]])[:4] for row in first["rows"])
    rest = await asyncio.gather(*(build_chart(datasette, chart, state, i)
                                  for i, chart in enumerate(dashboard.charts) if i > 0))
    built = [first, *rest]
    definitions: dict[str, dict[str, Any]] = {}
    for chart in built:
        info = await table_info(datasette, chart.get("table", ""))
        if info is None:
            continue
        entry = definitions.setdefault(info.name, {"description": info.description, "columns": {}})
        for column in chart["used"] + ["suppressed"]:
            if column in info.column_descriptions:
                entry["columns"][column] = info.column_descriptions[column]
    return {"dashboard": dashboard, "state": state, "choices": choices, "charts": built,
            "headline": headline(built[0], state, dashboard.headline_pick),
            "headline_label": dashboard.headline_label(state),
            "definitions": definitions, "as_of": extract_as_of(datasette), "dashboards": DASHBOARDS}
