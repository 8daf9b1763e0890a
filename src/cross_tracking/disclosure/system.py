"""The equations and inequalities an outside analyst can write down from the
published tables (R9's attacker).

Every withheld value is an unknown. Every published relation (a row with a
dimension at `All` equals the sum of the rows that break it down; a type row
equals the sum of its sub-types; a shared custody cell is one value in two
tables) becomes a row `lower <= sum(coefficient * unknown) <= upper`, with the
published values moved to the bounds. The side facts the publication states
become bounds or rows too: a withheld row holds at least one person, an absent
row holds nobody, counts are whole numbers, people <= charges, recidivated <=
released, a longer follow-up window holds at least the people of a shorter one.

The spec of each table (dimensions, fixed dimensions, hierarchies, measures and
what bounds them) is the `published_tables` var of dbt_project.yml, the one
registry the SQL and the Python read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from cross_tracking.disclosure.project import project_vars

ALL = "All"
# R9's small counts: 1 to the `small_count_max` var of dbt_project.yml
SMALL_LOW, SMALL_HIGH = 1, int(project_vars()["small_count_max"])


def is_small(count: np.ndarray | pd.Series | int) -> Any:
    """R9's small count on numbers or arrays (the is_small_count macro's twin):
    a boolean array, Series or bool of the same shape."""
    return (count >= SMALL_LOW) & (count <= SMALL_HIGH)


@dataclass
class Measure:
    """One published figure of a table, as the attacker sees it."""

    column: str
    lower: int = 0  # a withheld value is at least this (1 for the row's count)
    withheld_when: str = "suppressed"  # 'suppressed' or 'null' (withheld alone, e.g. recidivated)
    # dimensions along which it does not add up (people with enrollments in
    # two areas are counted in both), so only parent <= sum and part <= parent
    non_additive: list[str] = field(default_factory=list)
    # dimensions whose value does not change it (released is the same for
    # every follow-up window and measure): one unknown for all of them
    same_across: list[str] = field(default_factory=list)
    # bounded above by these measures of the same row (people <= charges)
    at_most: list[str] = field(default_factory=list)
    # never smaller on a later value of this dimension (follow-up windows)
    nondecreasing_along: str | None = None
    # equal to the sum of these measures of the same row (total = areas)
    sum_of: list[str] = field(default_factory=list)
    # published only on rows with at most this many breakdowns
    max_breakdowns: int | None = None


@dataclass
class TableSpec:
    name: str
    dimensions: list[str]
    fixed: list[str]
    count: str
    hierarchies: list[list[str]] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    # dimensions a row may break down beyond max_breakdowns (the agency)
    optional: list[str] = field(default_factory=lambda: ["agency"])

    @property
    def breakdowns(self) -> list[str]:
        """The dimensions that count towards a row's breakdowns (a
        hierarchy counts once, by its top)."""
        children = {child for _, child in self.hierarchies}
        return [d for d in self.dimensions if d not in self.fixed and d not in self.optional and d not in children]

    @classmethod
    def from_registry(cls, name: str, entry: dict[str, Any]) -> TableSpec:
        measures = [Measure(column=column, **(options or {})) for column, options in entry["measures"].items()]
        return cls(name=name, dimensions=list(entry["dimensions"]), fixed=list(entry.get("fixed", [])),
                   count=entry["count"], hierarchies=[list(h) for h in entry.get("hierarchies", [])],
                   measures=measures)


@dataclass
class LinearSystem:
    """lower <= A x <= upper, lo <= x <= hi, x integer. Unknown j is
    `names[j]` = (table, measure, row key); `truth` is its real value when the
    system is built by the owner of the data (None for a pure outsider)."""

    matrix: sparse.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    row_kind: np.ndarray  # which relation or fact each row states
    lo: np.ndarray
    hi: np.ndarray
    names: pd.DataFrame  # columns: table, measure, key, is_primary, row (position in its table frame)
    truth: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.lo)


class _Rows:
    """Accumulates rows `lower <= sum(coef * x[var]) <= upper`."""

    def __init__(self) -> None:
        self.i: list[np.ndarray] = []
        self.j: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []
        self.kinds: list[np.ndarray] = []
        self.count = 0

    def add(self, kind: str, terms: list[tuple[np.ndarray, np.ndarray, float]], known: np.ndarray,
            lower: np.ndarray, upper: np.ndarray) -> None:
        """`terms`: (local row of each entry, unknown of each entry or -1 when
        the value is published, coefficient). `known`: the published part of
        each row's sum, moved to the bounds."""
        k = len(known)
        if k == 0:
            return
        for local, var, coef in terms:
            has = var >= 0
            self.i.append(local[has] + self.count)
            self.j.append(var[has])
            self.v.append(np.full(int(has.sum()), coef))
        self.lower.append(lower - known)
        self.upper.append(upper - known)
        self.kinds.append(np.full(k, kind, dtype=object))
        self.count += k


def _share_published_counts(a: TableSpec, b: TableSpec, frames: dict[str, pd.DataFrame],
                             link: dict[str, Any]) -> None:
    """A shared row's count published by either table is known in both,
    whatever the other withholds (the attacker reads both tables)."""
    shared = frames[link["b"]].query(link["b_filter"]).assign(**link["a_defaults"])
    columns = a.dimensions
    a_frame, b_frame = frames[link["a"]], frames[link["b"]]
    b_values = shared.set_index(columns)[[b.count, "suppressed"]]
    a_values = a_frame.set_index(columns)[[a.count, "suppressed"]]
    joined = a_values.merge(b_values, left_index=True, right_index=True, suffixes=("", "_b"))
    a_known = joined[(joined["suppressed"] == 1) & (joined["suppressed_b"] == 0)]
    b_known = joined[(joined["suppressed"] == 0) & (joined["suppressed_b"] == 1)]
    if len(a_known):
        position = pd.Index(a_values.index).get_indexer(a_known.index)
        a_frame.loc[position, a.count] = a_known[f"{b.count}_b"].to_numpy()
        a_frame[f"_shown_{a.count}"] = a_frame.index.isin(position)
    if len(b_known):
        keys = shared.set_index(columns).index
        position = shared.index[keys.get_indexer(b_known.index)]
        b_frame.loc[position, b.count] = b_known[a.count].to_numpy()
        b_frame[f"_shown_{b.count}"] = b_frame.index.isin(position)


def dimension_codes(frame: pd.DataFrame, dimensions: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes per dimension with `All` coded 0, and each dimension's
    mixed-radix weight, so that a cell's key is one int64."""
    codes = np.zeros((len(frame), len(dimensions)), dtype=np.int64)
    radix = np.ones(len(dimensions), dtype=np.int64)
    weight = 1
    for position, dimension in enumerate(dimensions):
        values = frame[dimension].astype(str)
        uniques = sorted(set(values.unique()) - {ALL})
        # All is 0, the others 1, 2, ... in sorted order: a value's position here
        lookup = pd.Index([ALL] + uniques)
        codes[:, position] = lookup.get_indexer(values)
        radix[position] = weight
        weight *= len(uniques) + 1
    return codes, radix


@dataclass
class Space:
    """The cells one table's relations run over: its own rows plus the rows of
    another table that are the same cells (shared cells)."""

    spec: TableSpec
    cells: pd.DataFrame  # dimension columns, _table, _row, suppressed, measures (published), _true_<m>
    codes: np.ndarray
    radix: np.ndarray
    keys: np.ndarray


def _space(spec: TableSpec, frames: dict[str, pd.DataFrame], links: list[dict[str, Any]]) -> Space:
    parts = [frames[spec.name].assign(_table=spec.name, _row=np.arange(len(frames[spec.name])))]
    for link in links:
        if link["a"] != spec.name:
            continue
        selected = frames[link["b"]].query(link["b_filter"])
        selected = selected.assign(_table=link["b"], _row=selected.index.to_numpy(), **link["a_defaults"])
        parts.append(selected[[c for c in selected.columns if c in parts[0].columns]])
    cells = pd.concat(parts, ignore_index=True)
    codes, radix = dimension_codes(cells, spec.dimensions)
    keys = codes @ radix
    return Space(spec=spec, cells=cells, codes=codes, radix=radix, keys=keys)


def build_system(tables: list[tuple[TableSpec, pd.DataFrame]],
                 links: list[dict[str, Any]] | None = None) -> LinearSystem:
    """The attacker's system over one table or linked tables.

    Each frame holds the published rows of its table (metrics null where
    withheld, `suppressed` flag). When the owner builds the system, each frame
    also carries the real values as `_true_<measure>` columns (see
    `with_truth`); they are recorded for the protection step and tests, and
    never enter the equations.

    `links`: cells of table `b` (rows matching `b_filter`) that are cells of
    table `a` with the `a_defaults` dimension values (custody_shared_cells):
    such a cell is one unknown, and takes part in `a`'s relations too.
    """
    links = links or []
    frames = {spec.name: frame.reset_index(drop=True) for spec, frame in tables}
    specs_by_name = {spec.name: spec for spec, _ in tables}
    for link in links:
        _share_published_counts(specs_by_name[link["a"]], specs_by_name[link["b"]], frames, link)
    specs = {spec.name: spec for spec, _ in tables}
    # tables that others link into come first, so that their unknowns exist
    order = sorted(specs, key=lambda name: 0 if any(link["a"] == name for link in links) else 1)
    by_row: dict[tuple[str, str, int], int] = {}  # (table, measure, row) -> unknown
    names: list[tuple[str, str, int, bool, bool, float, float]] = []
    rows = _Rows()

    for name in order:
        spec = specs[name]
        space = _space(spec, frames, links)
        cells = space.cells
        first = ~pd.Series(space.keys).duplicated().to_numpy()
        var_of: dict[str, np.ndarray] = {}
        known_of: dict[str, np.ndarray] = {}
        present_of: dict[str, np.ndarray] = {}
        for measure in spec.measures:
            column = measure.column
            if column not in cells.columns:
                continue
            values = cells[column].to_numpy(dtype=float, na_value=np.nan)
            present = np.ones(len(cells), dtype=bool)
            # a row left out because a coarser row is withheld (the
            # breakdowns of a withheld row are not published) hides all of its
            # figures, and the attacker only knows they are not negative
            omitted = (cells["omitted"].to_numpy(dtype=bool) if "omitted" in cells.columns
                       else np.zeros(len(cells), dtype=bool))
            if measure.withheld_when == "suppressed":
                withheld = (cells["suppressed"].to_numpy(dtype=float, na_value=0) == 1) | omitted
            else:
                withheld = np.isnan(values) | omitted
            if f"_shown_{column}" in cells.columns:
                withheld &= ~cells[f"_shown_{column}"].fillna(False).to_numpy(dtype=bool)
            # a metric this table publishes that the linked rows do not carry
            # linked rows of another table share only the count
            if column != spec.count:
                present = (cells["_table"] == name).to_numpy().copy()
            if measure.max_breakdowns is not None:
                # a figure the table publishes only on coarser rows is no
                # part of the finer ones
                present &= (cells[spec.breakdowns] != ALL).to_numpy().sum(axis=1) <= measure.max_breakdowns
            var_key = space.keys.copy()
            for dimension in measure.same_across:
                position = spec.dimensions.index(dimension)
                var_key = var_key - space.codes[:, position] * space.radix[position]
            truth = (cells[f"_true_{column}"].to_numpy(dtype=float, na_value=np.nan)
                     if f"_true_{column}" in cells.columns else np.full(len(cells), np.nan))
            tables_col = cells["_table"].to_numpy().astype(str)
            rows_col = cells["_row"].to_numpy()
            row_count = (cells[f"_true_{spec.count}"].to_numpy(dtype=float, na_value=np.nan)
                         if f"_true_{spec.count}" in cells.columns else np.full(len(cells), np.nan))
            small_row = is_small(row_count) & ~omitted
            var = np.full(len(cells), -1, dtype=np.int64)
            positions = np.flatnonzero(withheld & present)
            # a row already given an unknown (a shared cell, seen in the other table's space)
            seen = np.array([by_row.get((tables_col[p], column, int(rows_col[p])), -1) for p in positions]
                            if by_row else np.full(len(positions), -1), dtype=np.int64)
            var[positions] = seen
            fresh = positions[seen < 0]
            # one unknown per variable key (same_across rows share one)
            keys_fresh = var_key[fresh]
            unique_keys, first_at, inverse = np.unique(keys_fresh, return_index=True, return_inverse=True)
            start = len(names)
            owners = fresh[first_at]
            is_count = np.array([column == specs[t].count for t in tables_col[owners]], dtype=bool)
            for owner, count_flag in zip(owners, is_count, strict=True):
                names.append((tables_col[owner], column, int(rows_col[owner]), bool(count_flag and small_row[owner]),
                              bool(small_row[owner]), 0.0 if omitted[owner] else float(measure.lower),
                              float(truth[owner])))
            var[fresh] = start + inverse
            # rows of another table seen here: that table's space will look them up
            for position in positions[tables_col[positions] != name]:
                by_row[(tables_col[position], column, int(rows_col[position]))] = int(var[position])
            del unique_keys
            var_of[column] = var
            known_of[column] = np.where(withheld, 0.0, np.nan_to_num(values))
            present_of[column] = present

        for measure in spec.measures:
            column = measure.column
            if column not in var_of:
                continue
            usable = first & present_of[column]
            _relations(rows, space, measure, usable, var_of[column], known_of[column])
            if measure.nondecreasing_along:
                _monotone(rows, space, measure.nondecreasing_along, usable, var_of[column], known_of[column])
            if measure.sum_of and all(part in var_of for part in measure.sum_of):
                for part in measure.sum_of:
                    usable = usable & present_of[part]
                local = np.arange(int(usable.sum()))
                terms = [(local, var_of[column][usable], 1.0)]
                terms += [(local, var_of[part][usable], -1.0) for part in measure.sum_of]
                known = known_of[column][usable] - sum(known_of[part][usable] for part in measure.sum_of)
                rows.add(f"{name}.{column} = sum of {'+'.join(measure.sum_of)}", terms, known,
                         np.zeros(len(local)), np.zeros(len(local)))
            for bigger in measure.at_most:
                if bigger in var_of:
                    both = usable & present_of[bigger]
                    local = np.arange(int(both.sum()))
                    small_var, big_var = var_of[column][both], var_of[bigger][both]
                    rows.add(f"{name}.{column} <= {bigger}", [(local, small_var, 1.0), (local, big_var, -1.0)],
                             known_of[column][both] - known_of[bigger][both],
                             np.full(len(local), -np.inf), np.zeros(len(local)))

    frame = pd.DataFrame(names, columns=["table", "measure", "row", "is_primary", "of_primary_row", "lo", "truth"])
    n = len(frame)
    if rows.count:
        matrix = sparse.csr_matrix((np.concatenate(rows.v), (np.concatenate(rows.i), np.concatenate(rows.j))),
                                   shape=(rows.count, n))
        lower, upper = np.concatenate(rows.lower), np.concatenate(rows.upper)
        kinds = np.concatenate(rows.kinds)
    else:
        matrix, lower, upper = sparse.csr_matrix((0, n)), np.zeros(0), np.zeros(0)
        kinds = np.zeros(0, dtype=object)
    # a row without unknowns tells the attacker nothing
    keep = np.diff(matrix.indptr) > 0
    return LinearSystem(matrix=matrix[keep], row_lower=lower[keep], row_upper=upper[keep], row_kind=kinds[keep],
                        lo=frame["lo"].to_numpy(dtype=float), hi=np.full(n, np.inf),
                        names=frame.drop(columns=["lo", "truth"]), truth=frame["truth"].to_numpy(dtype=float))


class _Lookup:
    """Position of the usable cell with a given key (-1 when there is none)."""

    def __init__(self, keys: np.ndarray, usable: np.ndarray) -> None:
        self.positions = np.flatnonzero(usable)
        self.index = pd.Index(keys[self.positions])

    def find(self, wanted: np.ndarray) -> np.ndarray:
        found = self.index.get_indexer(wanted)
        return np.where(found >= 0, self.positions[np.maximum(found, 0)], -1)


def _relation_sets(spec: TableSpec) -> list[tuple[str, str | None]]:
    """(dimension, required-All dimension): a part is a cell whose dimension
    is not All (and whose required dimension is All); its total is the same
    cell with the dimension at All. A hierarchy (type, sub-type) gives the
    types under the all-offenses cell (sub-type All) and the sub-types under
    their type."""
    in_hierarchy = {d for pair in spec.hierarchies for d in pair}
    relations: list[tuple[str, str | None]] = []
    for parent_dim, child_dim in spec.hierarchies:
        relations.append((parent_dim, child_dim))
        relations.append((child_dim, None))
    for dimension in spec.dimensions:
        if dimension not in in_hierarchy and dimension not in spec.fixed:
            relations.append((dimension, None))
    return relations


def _relations(rows: _Rows, space: Space, measure: Measure, usable: np.ndarray, var: np.ndarray,
               known: np.ndarray) -> None:
    spec, codes, radix, keys = space.spec, space.codes, space.radix, space.keys
    lookup = _Lookup(keys, usable)
    for dimension, must_be_all in _relation_sets(spec):
        position = spec.dimensions.index(dimension)
        is_part = usable & (codes[:, position] != 0)
        if must_be_all is not None:
            is_part &= codes[:, spec.dimensions.index(must_be_all)] == 0
        parts = np.flatnonzero(is_part)
        totals = lookup.find(keys[parts] - codes[parts, position] * radix[position])
        parts, totals = parts[totals >= 0], totals[totals >= 0]
        if len(parts) == 0:
            continue
        relation, local = np.unique(totals, return_inverse=True)
        k = len(relation)
        published = -known[relation]
        np.add.at(published, local, known[parts])
        # total - sum(parts) = 0, i.e. total_var - sum(part_vars) = sum(known parts) - known total
        terms = [(np.arange(k), var[relation], 1.0), (local, var[parts], -1.0)]
        if dimension in measure.non_additive:
            # people counted once per area: total <= sum(parts), and each part <= total
            label = f"{spec.name}.{measure.column} along {dimension}"
            rows.add(label + " (total <= parts)", terms, -published, np.full(k, -np.inf), np.zeros(k))
            each = np.arange(len(parts))
            rows.add(label + " (part <= total)", [(each, var[parts], 1.0), (each, var[relation][local], -1.0)],
                     known[parts] - known[relation][local], np.full(len(parts), -np.inf), np.zeros(len(parts)))
        else:
            rows.add(f"{spec.name}.{measure.column} along {dimension}", terms, -published, np.zeros(k), np.zeros(k))


def _monotone(rows: _Rows, space: Space, dimension: str, usable: np.ndarray, var: np.ndarray,
              known: np.ndarray) -> None:
    """The value for window w is at most the value for window w + 1."""
    position = space.spec.dimensions.index(dimension)
    later = _Lookup(space.keys, usable).find(space.keys + space.radix[position])
    earlier = np.flatnonzero(usable & (space.codes[:, position] != 0) & (later >= 0))
    following = later[earlier]
    local = np.arange(len(earlier))
    rows.add(f"{space.spec.name} along {dimension} (nondecreasing)",
             [(local, var[earlier], 1.0), (local, var[following], -1.0)], known[earlier] - known[following],
             np.full(len(local), -np.inf), np.zeros(len(local)))


def rows_violated_by_truth(system: LinearSystem) -> dict[str, int]:
    """Rows the real values break, by kind: always empty unless a relation
    in the registry is wrong (it would then mislead the audit)."""
    if system.truth is None or system.size == 0:
        return {}
    values = system.matrix @ np.nan_to_num(system.truth)
    bad = (values < system.row_lower - 1e-6) | (values > system.row_upper + 1e-6)
    kinds, counts = np.unique(system.row_kind[bad].astype(str), return_counts=True)
    return dict(zip(kinds.tolist(), counts.tolist(), strict=True))
