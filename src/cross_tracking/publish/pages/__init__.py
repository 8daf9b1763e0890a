"""The public pages on top of Datasette: the topic dashboards at /dashboards/
and the API query builder at /query-builder. A Datasette plugin (routes and
templates); its scripts, styles and chart libraries are in static/ and are
served by the site itself. `register()` plugs it in (serve.datasette_for)."""

from __future__ import annotations

import json
import sys
from typing import Any

from datasette import hookimpl
from datasette.app import Datasette
from datasette.plugins import pm
from datasette.utils.asgi import NotFound, Response

from . import builder, dashboards

PLUGIN = __name__
STATIC_PREFIX = "/-/static-plugins/" + PLUGIN + "/"


def register() -> None:
    """Add the pages to Datasette's plugins (once per process)."""
    module = sys.modules[__name__]
    if not pm.is_registered(module):
        pm.register(module, name="cross_tracking_pages")


def format_value(value: Any, number_format: str = ",d") -> str:
    """A figure as the pages print it; a missing figure is a withheld one."""
    if value is None:
        return "withheld"
    if not isinstance(value, (int, float)):
        return str(value)
    if number_format.endswith("%"):
        return f"{value:.0%}" if number_format == ".0%" else f"{value:.1%}"
    if number_format == ",d":
        return f"{round(value):,}"
    return f"{value:,.0f}"


def _common(datasette: Datasette) -> dict[str, Any]:
    return {"static": lambda path: datasette.urls.static_plugins(PLUGIN, path), "fmt": format_value,
            "dashboards": dashboards.DASHBOARDS, "tojson": lambda value: json.dumps(value).replace("</", "<\\/")}


async def dashboards_index(datasette: Datasette, request: Any) -> Response:
    from .cells import extract_as_of

    html = await datasette.render_template("pages_dashboards.html",
                                           {**_common(datasette), "as_of": extract_as_of(datasette)},
                                           request=request)
    return Response.html(html)


async def dashboard_page(datasette: Datasette, request: Any) -> Response:
    slug = request.url_vars["slug"]
    definition = dashboards.DASHBOARDS.get(slug)
    if definition is None:
        raise NotFound(f"No dashboard called {slug}: see /dashboards/")
    context = await dashboards.build(datasette, definition, request.args)
    html = await datasette.render_template("pages_dashboard.html", {**_common(datasette), **context},
                                           request=request)
    return Response.html(html)


async def query_builder(datasette: Datasette, request: Any) -> Response:
    context = await builder.build(datasette, request)
    html = await datasette.render_template("pages_query_builder.html", {**_common(datasette), **context},
                                           request=request)
    return Response.html(html)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/dashboards/?$", dashboards_index),
        (r"^/dashboards/(?P<slug>[a-z-]+)/?$", dashboard_page),
        (r"^/query-builder/?$", query_builder),
    ]


@hookimpl
def extra_template_vars(template: str, datasette: Datasette) -> dict[str, Any]:
    if template == "index.html":
        return {"pages_dashboards": dashboards.DASHBOARDS}
    return {}
