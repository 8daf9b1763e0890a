"""The published-table registry (`published_tables` in dbt_project.yml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cross_tracking.disclosure.project import PROJECT_FILE, project_vars
from cross_tracking.disclosure.system import TableSpec

__all__ = ["PROJECT_FILE", "project_vars"]


def table_specs(project_file: Path = PROJECT_FILE) -> dict[str, TableSpec]:
    entries = project_vars(project_file)["published_tables"]
    return {name: TableSpec.from_registry(name, entry) for name, entry in entries.items()}


def small_count_max(project_file: Path = PROJECT_FILE) -> int:
    return int(project_vars(project_file)["small_count_max"])


def max_breakdowns(project_file: Path = PROJECT_FILE) -> int:
    return int(project_vars(project_file)["max_breakdowns"])


def not_crossed(project_file: Path = PROJECT_FILE) -> list[list[str]]:
    return [list(pair) for pair in project_vars(project_file).get("not_crossed", [])]


def linked_tables(project_file: Path = PROJECT_FILE) -> dict[str, dict[str, Any]]:
    return dict(project_vars(project_file).get("linked_tables", {}))


def groups(specs: dict[str, TableSpec]) -> list[list[str]]:
    """Each table alone, except those withheld and audited together."""
    linked = [list(entry["tables"]) for entry in linked_tables().values()]
    grouped = {name for members in linked for name in members}
    return linked + [[name] for name in specs if name not in grouped]


def links_for(members: list[str]) -> list[dict[str, Any]]:
    """The shared rows of a group, for build_system: rows of table `b`
    matching `b_filter` are rows of table `a` with `a_defaults` set."""
    links = []
    for entry in linked_tables().values():
        if set(entry["tables"]) == set(members):
            condition = " and ".join(f"{column} == {value!r}" for column, value in entry["shared_where"].items())
            links.append({"a": entry["shared_into"], "b": entry["shared_from"], "b_filter": condition,
                          "a_defaults": dict(entry["shared_as"])})
    return links
