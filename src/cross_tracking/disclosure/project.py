"""The vars of dbt_project.yml, where the rules' constants live once (the
small-count threshold, the cube's depth, the published-table registry)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_FILE = Path(__file__).resolve().parents[3] / "dbt_project.yml"


@cache
def project_vars(project_file: Path = PROJECT_FILE) -> dict[str, Any]:
    return dict(yaml.safe_load(project_file.read_text())["vars"])
