"""Shared fixtures: one publish of the sample into a temporary folder, reused by
every test of the published database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "build" / "sample"
DUCKDB = ROOT / "build" / "cross_tracking.duckdb"
MANIFEST = ROOT / "target" / "manifest.json"


@dataclass
class Published:
    db: Path
    metadata_path: Path
    raw: Path
    duckdb_path: Path

    @property
    def metadata(self) -> dict:
        return yaml.safe_load(self.metadata_path.read_text())


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """Publish the last dbt build (the one `make test` runs before pytest) into
    a temporary folder: export, Great Expectations gate, metadata, swap."""
    missing = [path for path in (DUCKDB, MANIFEST, SAMPLE / "manifest.json") if not path.exists()]
    if missing:
        pytest.skip(f"no dbt build to publish ({', '.join(str(p.relative_to(ROOT)) for p in missing)} "
                    "missing): run `make test` (or `make dbt-build`) first")
    from cross_tracking.publish.__main__ import publish

    folder = tmp_path_factory.mktemp("published")
    db = folder / "cross_tracking.db"
    code = publish(raw=SAMPLE, db=db, duckdb_path=DUCKDB, build=False)
    assert code == 0, f"publishing the sample failed; see {folder / 'great_expectations' / 'summary.md'}"
    return Published(db=db, metadata_path=folder / "metadata.yml", raw=SAMPLE, duckdb_path=DUCKDB)
