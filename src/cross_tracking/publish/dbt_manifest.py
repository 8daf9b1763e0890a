"""What the publish step needs from dbt's manifest: which models are public,
their descriptions and their primary keys. The dbt docs are the single
source of every table and column description."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cross_tracking.disclosure import registry


@dataclass
class PublicTable:
    name: str
    description: str
    columns: dict[str, str]
    primary_key: list[str] = field(default_factory=list)


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
