"""Vega-Lite specifications for the two kinds of chart the dashboards draw,
from the rows a Datasette URL returned.

A withheld cell is never drawn as a value: a trend shows it in a strip
under the plot, labelled "withheld", and a bar chart writes "withheld" on a
pale band where the bar would be. When every cell is withheld the plot says
so instead of drawing an empty axis that could read as zero."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH = 520
WITHHELD = "withheld"
PALE = "#eeeeee"
INK = "#555555"


@dataclass
class Point:
    x: Any
    value: float | None
    series: str | None

    @property
    def withheld(self) -> bool:
        return self.value is None


def points(rows: list[dict[str, Any]], x: str, metrics: list[str], series: str | None,
           metric_labels: dict[str, str], prefix: str | None = None) -> list[Point]:
    """One point per row and metric; with several metrics the metric is the series.
    `prefix` names a column whose value goes before x in the label."""
    found = []
    for row in rows:
        label_x = f"{row[prefix]}: {row[x]}" if prefix else row[x]
        for metric in metrics:
            label = metric_labels.get(metric, metric) if len(metrics) > 1 else (
                str(row[series]) if series else None)
            value = None if row.get("suppressed") == 1 else row.get(metric)
            found.append(Point(x=label_x, value=value, series=label))
    return found


def _values(found: list[Point], withheld: bool) -> list[dict[str, Any]]:
    return [{"x": str(p.x), "value": p.value, "series": p.series or ""} for p in found
            if p.withheld == withheld]


def _series_encoding(found: list[Point], order: list[str] | None, title: str | None) -> dict[str, Any] | None:
    if not any(p.series for p in found):
        return None
    present = {p.series or "" for p in found}
    names = [name for name in order or [] if name in present] + sorted(present - set(order or []))
    return {"field": "series", "type": "nominal", "title": title, "scale": {"domain": names},
            "legend": {"orient": "top", "labelLimit": 260, "title": title}}


def trend_spec(found: list[Point], x_title: str, y_title: str, value_format: str,
               series_order: list[str] | None = None, series_title: str | None = None,
               year_labels: bool = False) -> dict[str, Any]:
    xs = sorted({str(p.x) for p in found})
    axis: dict[str, Any] = {"labelAngle": 0}
    if year_labels:  # January 1 snapshots: the year says it all
        axis["labelExpr"] = "slice(datum.value, 0, 4)"
    x_axis = {"field": "x", "type": "ordinal", "title": x_title, "scale": {"domain": xs}, "axis": axis}
    color = _series_encoding(found, series_order, series_title)
    shown = _values(found, withheld=False)
    withheld = _values(found, withheld=True)
    if shown:
        encoding: dict[str, Any] = {"x": x_axis, "y": {"field": "value", "type": "quantitative", "title": y_title,
                                                       "axis": {"format": value_format},
                                                       "scale": {"zero": True}},
                                    "tooltip": [{"field": "x", "title": x_title},
                                                {"field": "value", "title": y_title, "format": value_format}]}
        if color:
            encoding["color"] = color
            encoding["tooltip"].insert(1, {"field": "series", "title": "group"})
        main: dict[str, Any] = {"width": WIDTH, "height": 200, "data": {"values": shown}, "encoding": encoding,
                                "layer": [{"mark": {"type": "line"}},
                                          {"mark": {"type": "point", "filled": True, "size": 40}}]}
    else:
        main = {"width": WIDTH, "height": 80, "data": {"values": [{"x": xs[len(xs) // 2] if xs else ""}]},
                "mark": {"type": "text", "fontSize": 14, "color": INK},
                "encoding": {"x": x_axis, "text": {"value": "Every cell here is withheld"}}}
    if not withheld:
        return {**main, "config": CONFIG}
    strip_y: dict[str, Any] = {"field": "series", "type": "nominal", "title": "withheld:",
               "axis": {"labelLimit": 180, "ticks": False, "domain": False, "titleFontStyle": "italic"}} if color else {
        "datum": WITHHELD, "type": "nominal", "title": None,
        "axis": {"ticks": False, "domain": False, "labelFontStyle": "italic"}}
    crowded = len(xs) > 9  # the word no longer fits under each year: a mark, with the word on the axis
    marker: dict[str, Any] = ({"mark": {"type": "point", "shape": "cross", "color": INK, "filled": True, "size": 40}}
                              if crowded else
                              {"mark": {"type": "text", "fontStyle": "italic", "fontSize": 10, "color": INK}})
    marker_encoding: dict[str, Any] = {"x": {**x_axis, "axis": None}, "y": strip_y,
                                       "tooltip": [{"field": "x", "title": x_title}]}
    if not crowded:
        marker_encoding["text"] = {"value": WITHHELD}
    strip: dict[str, Any] = {
        "width": WIDTH, "height": {"step": 16}, "data": {"values": withheld},
        "layer": [
            {"mark": {"type": "rect", "color": PALE}, "encoding": {"x": {**x_axis, "axis": None}, "y": strip_y}},
            {**marker, "encoding": marker_encoding},
        ],
    }
    return {"vconcat": [main, strip], "resolve": {"scale": {"x": "shared"}}, "spacing": 4, "config": CONFIG}


def bars_spec(found: list[Point], category_title: str, value_title: str, value_format: str,
              category_order: list[str], series_order: list[str] | None = None,
              series_title: str | None = None) -> dict[str, Any]:
    values = _values(found, withheld=False) + _values(found, withheld=True)
    present = {str(p.x) for p in found}
    order = [c for c in category_order if c in present] + sorted(present - set(category_order))
    numbers = [p.value for p in found if p.value is not None]
    top = max(numbers) if numbers else 1
    y: dict[str, Any] = {"field": "x", "type": "nominal", "title": category_title, "sort": order,
                         "axis": {"labelLimit": 220}}
    encoding: dict[str, Any] = {"y": y}
    color = _series_encoding(found, series_order, series_title)
    per_category: dict[str, int] = {}
    for p in found:
        per_category[str(p.x)] = per_category.get(str(p.x), 0) + 1
    grouped = bool(color) and max(per_category.values(), default=0) > 1
    if color:
        if grouped:
            encoding["yOffset"] = {"field": "series", "sort": color["scale"]["domain"]}
        encoding["color"] = color
    x: dict[str, Any] = {"field": "value", "type": "quantitative", "title": value_title,
                         "axis": {"format": value_format},
         "scale": {"domainMin": 0}}
    tooltip = [{"field": "x", "title": category_title}, {"field": "value", "title": value_title,
                                                         "format": value_format}]
    if color:
        tooltip.insert(1, {"field": "series", "title": "group"})
    layers: list[dict[str, Any]] = [
        {"transform": [{"filter": "datum.value != null"}], "mark": {"type": "bar"},
         "encoding": {"x": x, "tooltip": tooltip}},
        {"transform": [{"filter": "datum.value == null"}], "mark": {"type": "bar", "color": PALE},
         "encoding": {"x": {"datum": 0, "type": "quantitative"}, "x2": {"datum": top},
                      "color": {"value": PALE}}},
        {"transform": [{"filter": "datum.value == null"}],
         "mark": {"type": "text", "align": "left", "dx": 4, "fontStyle": "italic", "fontSize": 10, "color": INK},
         "encoding": {"x": {"datum": 0, "type": "quantitative"}, "text": {"value": WITHHELD},
                      "color": {"value": INK}}},
    ]
    if not numbers:
        x = {**x, "scale": {"domain": [0, 1]}, "axis": None}
        layers[0]["encoding"]["x"] = x
    step = 12 if grouped else 20
    return {"width": WIDTH - 180, "height": {"step": step}, "data": {"values": values}, "encoding": encoding,
            "layer": layers, "config": CONFIG}


CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal", "titleColor": INK},
    "legend": {"labelFontSize": 11, "title": None},
    "range": {"category": ["#1f5f99", "#d9822b", "#3c8d5a", "#a23b72", "#6c5b7b", "#8c6d31", "#2a9d8f",
                           "#b5651d", "#4a4e69", "#c44536", "#577590", "#90be6d", "#f9844a"]},
}
