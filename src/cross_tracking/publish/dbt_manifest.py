"""What the publish step needs from dbt's manifest: which models are public,
their descriptions, their primary keys, the data tests on their columns and
where the seeds are. The dbt docs are the single source of every table and
column description, and the dbt tests of every allowed value.

Tests are found by the model they attach to and by their test_metadata,
never by the YAML file that declares them: the YAML may be reorganised."""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass, field
from pathlib import Path

from cross_tracking.disclosure import registry


@dataclass
class PublicTable:
    name: str
    description: str
    columns: dict[str, str]
    primary_key: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ColumnTest:
    """A generic data test on one column of a public table."""

    table: str
    column: str
    name: str  # the generic test: accepted_values, values_in_seed, ...
    kwargs: dict[str, typing.Any]
    where: str | None = None  # the test's `where` config: the rows it leaves alone


def load_manifest(manifest_path: Path) -> dict[str, typing.Any]:
    if not manifest_path.exists():
        raise FileNotFoundError(f"no dbt manifest at {manifest_path}: run `make build` (dbt build) first, "
                                "the publish step reads the public tables and their tests from it")
    manifest: dict[str, typing.Any] = json.loads(manifest_path.read_text())
    return manifest


def _public_models(nodes: dict[str, typing.Any]) -> dict[str, typing.Any]:
    """Models under models/marts, by unique id."""
    return {node_id: node for node_id, node in nodes.items()
            if node["resource_type"] == "model" and node["fqn"][1] == "marts"}


def _tested_model(test: dict[str, typing.Any], models: dict[str, typing.Any]) -> str | None:
    """The public model a test is attached to (`depends_on` for manifests
    without `attached_node`; a test of a model against a seed depends on both)."""
    if test.get("attached_node"):
        return str(test["attached_node"]) if test["attached_node"] in models else None
    return next((node for node in test.get("depends_on", {}).get("nodes", []) if node in models), None)


def public_tables(manifest_path: Path) -> list[PublicTable]:
    """Models under models/marts, in a stable order, with their keys."""
    manifest = json.loads(manifest_path.read_text())
    nodes = manifest["nodes"]
    tables: dict[str, PublicTable] = {}
    for node in nodes.values():
        if node["resource_type"] == "model" and node["fqn"][1] == "marts":
            tables[node["unique_id"]] = PublicTable(
                name=node["name"],
                description=node["description"].strip(),
                columns={name: col["description"].strip() for name, col in node["columns"].items()},
            )
    for node in nodes.values():
        if node["resource_type"] != "test" or node.get("attached_node") not in tables:
            continue
        test = node.get("test_metadata") or {}
        table = tables[node["attached_node"]]
        if test.get("name") == "unique_combination":
            # without columns, the test takes the table's dimensions from the registry
            table.primary_key = list(test["kwargs"].get("columns")
                                     or registry.table_specs()[table.name].dimensions)
        elif test.get("name") == "unique" and not table.primary_key:
            table.primary_key = [test["kwargs"]["column_name"]]
    return sorted(tables.values(), key=lambda table: table.name)


def column_tests(manifest: dict[str, typing.Any], names: set[str]) -> list[ColumnTest]:
    """The generic tests called `names` on a column of a public table, in a stable order."""
    nodes = manifest["nodes"]
    models = _public_models(nodes)
    found = []
    for node in nodes.values():
        test = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or test.get("name") not in names:
            continue
        model = _tested_model(node, models)
        column = node.get("column_name") or test.get("kwargs", {}).get("column_name")
        if model is not None and column:
            kwargs = {key: value for key, value in test["kwargs"].items() if key != "model"}
            found.append(ColumnTest(models[model]["name"], str(column), str(test["name"]), kwargs,
                                    (node.get("config") or {}).get("where")))
    return sorted(found, key=lambda test: (test.table, test.column, test.name, json.dumps(test.kwargs)))


def seed_files(manifest: dict[str, typing.Any]) -> dict[str, Path]:
    """Each seed's CSV file, by seed name."""
    return {node["name"]: Path(node["root_path"]) / node["original_file_path"]
            for node in manifest["nodes"].values() if node["resource_type"] == "seed"}
