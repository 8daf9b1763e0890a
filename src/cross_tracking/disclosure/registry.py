"""The published-table registry (`published_tables` in dbt_project.yml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from cross_tracking.disclosure.system import TableSpec

PROJECT_FILE = Path(__file__).resolve().parents[3] / "dbt_project.yml"

# custody_offenses' all-offenses cells are custody_population's gender-identity-All
# cells (macros/disclosure/custody_shared_cells.sql says why)
CUSTODY_LINK: dict[str, Any] = {
    "a": "custody_population",
    "b": "custody_offenses",
    "b_filter": "offense_type == 'All' and offense_subtype == 'All' and offense_severity == 'All'",
    "a_defaults": {"gender_identity": "All"},
}
# tables protected and attacked together
GROUPS: dict[str, list[str]] = {"custody": ["custody_population", "custody_offenses"]}


@cache
def project_vars(project_file: Path = PROJECT_FILE) -> dict[str, Any]:
    return dict(yaml.safe_load(project_file.read_text())["vars"])


def table_specs(project_file: Path = PROJECT_FILE) -> dict[str, TableSpec]:
    entries = project_vars(project_file)["published_tables"]
    return {name: TableSpec.from_registry(name, entry) for name, entry in entries.items()}


def small_count_max(project_file: Path = PROJECT_FILE) -> int:
    return int(project_vars(project_file)["small_count_max"])


def groups(specs: dict[str, TableSpec]) -> list[list[str]]:
    """Each table alone, except those protected together."""
    grouped = {name for members in GROUPS.values() for name in members}
    return list(GROUPS.values()) + [[name] for name in specs if name not in grouped]


def links_for(members: list[str]) -> list[dict[str, Any]]:
    return [CUSTODY_LINK] if set(members) == set(GROUPS["custody"]) else []
