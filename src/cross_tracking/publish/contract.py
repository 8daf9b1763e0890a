"""What the dbt project says each published table may hold, read once for
the Great Expectations suites (suites.py), so that no label is restated:

* the allowed values of a column: the accepted_values and values_in_seed
  tests on the marts in target/manifest.json, a values_in_seed test read from
  its seed's CSV file;
* a table's dimensions, those never `All`, its hierarchies, the column that
  counts the row and how its measures bound each other: the
  `published_tables` registry of dbt_project.yml;
* where each dimension's labels come from (seed columns and the labels the
  models write): the `dimension_labels` var, which the marts' own
  dimension_labels test reads too;
* R9's threshold: the `small_count_max` var.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from ..disclosure import registry
from ..disclosure.project import project_vars
from ..disclosure.system import TableSpec
from .dbt_manifest import ColumnTest, column_tests, load_manifest, seed_files

ALL = "All"
DEMOGRAPHIC_FIELDS = ["assigned_sex", "gender_identity", "race", "ethnicity"]


@dataclass(frozen=True)
class SeedColumn:
    """The arguments of a values_in_seed test."""

    seed: str
    column: str
    where: str | None = None


def dimension_labels(project_file: Path = registry.PROJECT_FILE) -> dict[str, tuple[list[SeedColumn], list[str]]]:
    """The `dimension_labels` var of dbt_project.yml: per dimension, the seed
    columns its labels come from and the labels the models write themselves
    (an offense no statute classifies, the court as a source). The marts'
    dimension_labels test reads the same var."""
    entries = project_vars(project_file)["dimension_labels"]
    return {name: ([SeedColumn(seed["seed"], seed["column"], seed.get("where")) for seed in entry["seeds"]],
                   list(entry.get("written", [])))
            for name, entry in entries.items()}


VALUE_TESTS = {"accepted_values", "values_in_seed"}
SMALL_TEST = "not_small_count"  # R9 on a column outside the registry


@dataclass(frozen=True)
class Labels:
    """A value set a column keeps to, and the test or seed it comes from."""

    values: tuple[Any, ...]
    source: str
    # an accepted_values test over every row: `All` is in the list where allowed
    whole: bool = False

    def with_all(self, allowed: bool) -> Labels:
        if self.whole or not allowed or ALL in self.values:
            return replace(self, whole=True)
        return replace(self, values=(*self.values, ALL), whole=True)


@dataclass
class Contract:
    small_count_max: int
    registry: dict[str, TableSpec]
    tested: dict[tuple[str, str], list[Labels]]  # (table, column): the mart's own tests
    shared: dict[str, Labels]  # column: the labels every mart that tests it agrees on, without All
    seeded: dict[str, Labels]  # column: labels from the dimension_labels var
    pairs: dict[tuple[str, str], list[tuple[str, str]]]  # (parent, child): every pair a hierarchy may hold
    bounded: dict[str, set[str]]  # table: columns a test keeps above small_count_max (R9)

    def may_be_all(self, table: str, column: str) -> bool:
        """Only the registry's cubes carry totals, on their dimensions that are not fixed."""
        spec = self.registry.get(table)
        return spec is not None and column in spec.dimensions and column not in spec.fixed

    def allowed(self, table: str, column: str, dimension: bool) -> list[Labels]:
        """The value sets of a column, with `All` where a total is allowed. A
        dimension no test of its own table lists takes the labels other marts'
        tests agree on, else the seeds'."""
        total = self.may_be_all(table, column)
        own = self.tested.get((table, column), [])
        if own or not dimension:
            return [labels if labels.whole else labels.with_all(total) for labels in own]
        borrowed = self.labels(column)
        return [borrowed.with_all(total)] if borrowed else []

    def labels(self, column: str) -> Labels | None:
        """A dimension's labels without `All`, whichever table it is in."""
        return self.shared.get(column) or self.seeded.get(column)

    def dimensions(self, table: str) -> list[str] | None:
        spec = self.registry.get(table)
        return list(spec.dimensions) if spec else None

    def never_all(self, table: str, dimensions: list[str]) -> set[str]:
        return {column for column in dimensions if not self.may_be_all(table, column)}

    def hierarchies(self, table: str) -> list[tuple[str, str]]:
        spec = self.registry.get(table)
        return [(parent, child) for parent, child in spec.hierarchies] if spec else []

    def people_counts(self, table: str, numeric: list[str]) -> set[str]:
        """Columns R9 withholds at 1 to small_count_max: a published value is above it."""
        spec = self.registry.get(table)
        if spec is not None:
            return {spec.count}
        # the registry's count columns count the rows of tables outside it too
        # (rejected_records withholds its record_count the same way)
        counts = {other.count for other in self.registry.values()}
        return (counts & set(numeric)) | self.bounded.get(table, set())

    def ordered_pairs(self, table: str) -> list[tuple[str, str]]:
        """(larger, smaller): a measure at most another, or a part of a sum."""
        spec = self.registry.get(table)
        if spec is None:
            return []
        return [(larger, measure.column) for measure in spec.measures for larger in measure.at_most] + \
            [(measure.column, part) for measure in spec.measures for part in measure.sum_of]

    def withheld_alone(self, table: str) -> list[tuple[str, list[str]]]:
        """Measures withheld on their own (null, the row's flag unset) with the
        measures bounding them: R9 holds for the measure and for each difference."""
        spec = self.registry.get(table)
        return [(m.column, list(m.at_most)) for m in spec.measures if m.withheld_when == "null"] if spec else []


def _seed_rows(path: Path, columns: list[str], where: str | None) -> list[tuple[str, ...]]:
    """Distinct values of seed columns, as text, under a values_in_seed test's
    filter (the other columns typed as dbt types them, so that the filter reads alike)."""
    selected = ", ".join(f'"{column}"' for column in columns)
    types = ", ".join(f"'{column}': 'VARCHAR'" for column in columns)
    source = f"read_csv('{str(path).replace(chr(39), chr(39) * 2)}', header = true, types = {{{types}}})"
    present = " and ".join(f'"{column}" is not null' for column in columns)
    engine = duckdb.connect()
    try:
        rows = engine.execute(f"select distinct {selected} from {source} where {present}"
                              f"{f' and ({where})' if where else ''} order by all").fetchall()
    finally:
        engine.close()
    return [tuple(row) for row in rows]


def _header(path: Path) -> list[str]:
    with path.open(newline="") as handle:
        return next(csv.reader(handle), [])


def _seed_file(seeds: dict[str, Path], name: str) -> Path:
    if name not in seeds:
        raise RuntimeError(f"seed {name!r} is not in the dbt manifest: add seeds/{name}.csv or correct the "
                           "test or dimension_labels entry that names it, then run `make build`")
    return seeds[name]


def _test_labels(test: ColumnTest, seeds: dict[str, Path]) -> Labels:
    where = f"{test.table}.{test.column}"
    if test.name == "accepted_values":
        return Labels(tuple(test.kwargs["values"]), f"accepted_values test on {where}", whole=test.where is None)
    seed = SeedColumn(test.kwargs["seed"], test.kwargs["seed_column"], test.kwargs.get("seed_where"))
    values = [row[0] for row in _seed_rows(_seed_file(seeds, seed.seed), [seed.column], seed.where)]
    return Labels(tuple(values), f"values_in_seed test on {where} (seed {seed.seed}.{seed.column})")


def _shared(tested: dict[tuple[str, str], list[Labels]]) -> dict[str, Labels]:
    by_column: dict[str, list[tuple[str, Labels]]] = {}
    for (table, column), own in tested.items():
        by_column.setdefault(column, []).extend((table, labels) for labels in own)
    shared = {}
    for column, found in by_column.items():
        sets = {frozenset(value for value in labels.values if value != ALL) for _, labels in found}
        if len(sets) == 1:  # the same column name means the same labels in every table that tests it
            tables = ", ".join(sorted({table for table, _ in found}))
            first = found[0][1].values
            shared[column] = Labels(tuple(value for value in first if value != ALL),
                                    f"tests of {column} on {tables}")
    return shared


def _seeded(seeds: dict[str, Path], labels: dict[str, tuple[list[SeedColumn], list[str]]]
            ) -> dict[str, Labels]:
    seeded = {}
    for column, (entries, written) in labels.items():
        values: list[str] = []
        for entry in entries:
            rows = _seed_rows(_seed_file(seeds, entry.seed), [entry.column], entry.where)
            values += [row[0] for row in rows if row[0] not in values]
        values += [value for value in written if value not in values]
        names = " and ".join(f"{entry.seed}.{entry.column}" for entry in entries)
        seeded[column] = Labels(tuple(values), f"seed {names} (the dimension_labels var)")
    return seeded


def _hierarchy_pairs(parent: str, child: str, seeds: dict[str, Path], written: dict[str, list[str]]
                     ) -> list[tuple[str, str]]:
    """The pairs the one seed holding both columns lists, the models' own
    labels at both levels, and a total under every parent."""
    holding = [path for path in seeds.values() if {parent, child} <= set(_header(path))]
    if len(holding) != 1:
        raise RuntimeError(f"the hierarchy {parent} > {child} of the registry needs exactly one seed with both "
                           f"columns, found {len(holding)}: add one, or the gate cannot check the pairs")
    pairs = {(str(a), str(b)) for a, b in _seed_rows(holding[0], [parent, child], None)}
    own = set(written.get(parent, [])) & set(written.get(child, []))
    pairs |= {(value, value) for value in own}
    pairs |= {(top, ALL) for top, _ in pairs} | {(ALL, ALL)}
    return sorted(pairs)


def load_contract(manifest_path: Path, project_file: Path = registry.PROJECT_FILE) -> Contract:
    manifest = load_manifest(manifest_path)
    seeds = seed_files(manifest)
    small = registry.small_count_max(project_file)
    tested: dict[tuple[str, str], list[Labels]] = {}
    bounded: dict[str, set[str]] = {}
    for test in column_tests(manifest, VALUE_TESTS | {SMALL_TEST}):
        if test.name in VALUE_TESTS:
            tested.setdefault((test.table, test.column), []).append(_test_labels(test, seeds))
        elif test.name == SMALL_TEST:
            bounded.setdefault(test.table, set()).add(test.column)
    specs = registry.table_specs(project_file)
    hierarchies = {(parent, child) for spec in specs.values() for parent, child in spec.hierarchies}
    labels = dimension_labels(project_file)
    written = {name: entry[1] for name, entry in labels.items()}
    return Contract(small_count_max=small, registry=specs, tested=tested, shared=_shared(tested),
                    seeded=_seeded(seeds, labels),
                    pairs={pair: _hierarchy_pairs(*pair, seeds, written) for pair in hierarchies},
                    bounded=bounded)
