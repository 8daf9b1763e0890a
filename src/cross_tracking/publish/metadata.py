"""Datasette metadata: the fixed texts of publish/metadata_base.yml plus every
table and column description from the dbt docs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from .dbt_manifest import PublicTable

DATABASE = "cross_tracking"


def build_metadata(base_path: Path, tables: list[PublicTable], as_of: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = copy.deepcopy(yaml.safe_load(base_path.read_text()))
    if as_of:
        metadata["extract_as_of"] = as_of  # shown on the dashboards
    database = metadata.setdefault("databases", {}).setdefault(DATABASE, {})
    table_settings = database.setdefault("tables", {})
    for table in tables:
        settings = table_settings.setdefault(table.name, {})
        settings["description"] = table.description
        settings["columns"] = dict(table.columns)
    return metadata


def write_metadata(base_path: Path, tables: list[PublicTable], out_path: Path, as_of: str | None = None) -> None:
    out_path.write_text(yaml.safe_dump(build_metadata(base_path, tables, as_of), sort_keys=False, width=100))
