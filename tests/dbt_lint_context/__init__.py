"""dbt's `var()` for sqlfluff's jinja templater (`library_path` in .sqlfluff).

sqlfluff's dbt builtins make `var()` return its name as text, so a model
that iterates over a structured var (the `published_tables` registry, the
`not_crossed` pairs) cannot render. This returns the real values from
dbt_project.yml instead, so lint renders each model as dbt does and the
registry is never restated in the lint settings.
"""

from pathlib import Path
from typing import Any

import yaml

_PROJECT_VARS: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "dbt_project.yml").read_text())["vars"]


def var(name: str, default: Any = None) -> Any:
    return _PROJECT_VARS.get(name, default)
