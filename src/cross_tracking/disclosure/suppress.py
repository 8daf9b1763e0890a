"""Disclosure control (R9) of the published tables, as the dbt Python models
`int_<table>_suppressed` run it: the cells of a table (every row of the v2
cube, with its true figures) in, the same cells out with

* `is_withheld`: published as a withheld row (suppressed = 1);
* `is_omitted`: left out, because a row it breaks down is withheld;
* `suppression`: 'primary' (a count of 1 to 4), 'complementary' or null.

The cubes are chosen by protect.py; then the attack (attack.py) is run on the
result as an outside analyst would run it, and any small row it can still
narrow is covered again from a coarser row, until the attack finds nothing
(at most ROUNDS times; what is left shows in disclosure_audit and stops the
publication). What each table is comes from the registry (`published_tables`
in dbt_project.yml).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from cross_tracking.disclosure import registry
from cross_tracking.disclosure.attack import propagation_only
from cross_tracking.disclosure.audit import attacker_view, left_out_small
from cross_tracking.disclosure.protect import Lattice, protect
from cross_tracking.disclosure.system import ALL, SMALL_HIGH, SMALL_LOW, TableSpec, build_system, is_small

# audit-and-cover rounds before the result is left to the gate
ROUNDS = 6


def _say(message: str) -> None:
    print(f"[suppress] {message}", flush=True)


def published_cube(spec: TableSpec, cells: pd.DataFrame) -> pd.DataFrame:
    """The rows and figures of the published cube (contract v2): rows with
    at most max_breakdowns breakdowns, none crossing two dimensions that
    nearly determine each other (not_crossed), and each figure only on the
    rows its registry entry allows."""
    limit = registry.max_breakdowns()
    depth = (cells[spec.breakdowns] != ALL).to_numpy().sum(axis=1)
    keep = depth <= limit
    for first, second in registry.not_crossed():
        if first in cells and second in cells:
            keep &= ~((cells[first] != ALL) & (cells[second] != ALL)).to_numpy()
    cube = cells[keep].reset_index(drop=True)
    depth = depth[keep]
    for measure in spec.measures:
        if measure.max_breakdowns is not None and measure.column in cube:
            cube[measure.column] = cube[measure.column].astype("Int64").where(depth <= measure.max_breakdowns)
    return cube


def _published(spec: TableSpec, cells: pd.DataFrame, withheld: np.ndarray, omitted: np.ndarray,
               figure_hidden: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """What the analyst sees: the rows not left out, figures null where withheld."""
    out = cells.copy()
    for measure in spec.measures:
        if measure.column in out:
            hidden = withheld | (figure_hidden or {}).get(measure.column, np.zeros(len(out), dtype=bool))
            out[measure.column] = out[measure.column].astype("float").where(~hidden)
    out["suppressed"] = withheld.astype(int)
    return out[~omitted].reset_index(drop=True)


def _exposed(specs: list[TableSpec], private: dict[str, pd.DataFrame], published: dict[str, pd.DataFrame]
             ) -> dict[str, np.ndarray]:
    """Per table, the rows (positions in `private`) of small rows the
    analyst can narrow: a withheld small row whose count interval does not
    cover 1 to 4 or whose figure is pinned, or a small row left out whose
    count is pinned."""
    names = [spec.name for spec in specs]
    views = [(spec, attacker_view(spec, published[spec.name], private[spec.name], registry.max_breakdowns()))
             for spec in specs]
    system = build_system(views, registry.links_for(names) if len(names) > 1 else [])
    result = propagation_only(system)
    found: dict[str, np.ndarray] = {}
    for spec, view in views:
        mine = np.flatnonzero((system.names["table"] == spec.name).to_numpy())
        rows = system.names["row"].to_numpy(dtype=np.int64)[mine]
        bad = (result.failing | (left_out_small(system, spec, view) & result.pinned))[mine]
        keys = view.iloc[rows[bad]][spec.dimensions]
        position = pd.MultiIndex.from_frame(private[spec.name][spec.dimensions].astype(str)).get_indexer(
            pd.MultiIndex.from_frame(keys.astype(str)))
        found[spec.name] = np.unique(position[position >= 0])
    return found


class Cover:
    """What the rounds have asked for so far: rows covered like small ones
    (forced), how far each must move (up, down), and small rows left out
    that get cubes of their own (hidden). It only grows, so rounds do not
    undo one another."""

    def __init__(self, value: np.ndarray) -> None:
        small = is_small(value)
        self.value = value
        self.forced = small.copy()
        self.up = np.where(small, SMALL_HIGH - value, 0).clip(0)
        self.down = np.where(small, value - SMALL_LOW, 0).clip(0)
        self.hidden = np.zeros(len(value), dtype=bool)
        # totals withheld as the last resort, whole subtrees with them: said in the progress line
        self.totals: set[int] = set()

    def add(self, lattice: Lattice, exposed: np.ndarray, left_out: np.ndarray) -> None:
        """A small row left out gets cubes of its own at its level (it stays
        left out); a withheld one (or a left-out one that is still exposed)
        is covered from a row above it, which is withheld with cubes that
        move it as far as the small row must."""
        for row in exposed:
            if left_out[row] and not self.hidden[row]:
                self.hidden[row] = self.forced[row] = True
                continue
            # a withheld row, or a left-out one its own cubes did not cover:
            # cover it from a row above it that is still published, one that
            # cubes can move; failing that, the last resort is a total no
            # relation adds up to (a year's unknown codes of one field, every
            # agency's count small), which takes its breakdowns with it
            published = [int(parent[0]) for parent in lattice.parents(np.array([row]))
                         if parent[0] >= 0 and not left_out[parent[0]]]
            movable = [parent for parent in published if lattice.cube_dimensions(parent)]
            above = movable or published
            # a row above not yet covered first (so a row exposed again is covered from another side)
            fresh = [parent for parent in above if not self.forced[parent]]
            for parent in (fresh or above)[:1]:
                if not movable:
                    self.totals.add(parent)
                self.forced[parent] = True
                self.up[parent] = max(self.up[parent], self.up[row], 1)
                self.down[parent] = max(self.down[parent], self.down[row], 1)

    def run(self, lattice: Lattice, figures: list[np.ndarray], withheld: np.ndarray | None,
            fresh: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Protection; after the first round only the rows added since are
        covered, on top of what is already withheld."""
        primary = self.forced if fresh is None else fresh
        result = protect(lattice, self.value, primary=primary, withheld=withheld, targets=(self.up, self.down),
                         figures=figures, cover_hidden=self.hidden & primary)
        return result.withheld, result.omitted


def protect_group(specs: list[TableSpec], frames: dict[str, pd.DataFrame],
                  progress: Callable[[str], None] = _say,
                  figure_names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Disclosure control of one table, or of tables that share rows (their
    rows become one lattice). Returns each frame with is_withheld,
    is_omitted and suppression."""
    started = time.monotonic()
    cubes = {spec.name: published_cube(spec, frames[spec.name]) for spec in specs}
    if all(len(cube) == 0 for cube in cubes.values()):
        return {name: cube.assign(is_withheld=False, is_omitted=False, suppression=None)
                for name, cube in cubes.items()}
    dimensions: list[str] = []
    for spec in specs:
        dimensions += [d for d in spec.dimensions if d not in dimensions]
    fixed = sorted(set.intersection(*(set(spec.fixed) for spec in specs)), key=dimensions.index)
    hierarchies = [h for spec in specs for h in spec.hierarchies]
    count = specs[0].count
    figure_columns = figure_names if figure_names is not None else [
        m.column for spec in specs for m in spec.measures if m.column != spec.count]
    # one lattice: a dimension a table lacks reads All (a shared row is the same cell)
    parts = []
    for spec in specs:
        part = cubes[spec.name].assign(**{d: ALL for d in dimensions if d not in spec.dimensions})
        parts.append(part.assign(_table=spec.name, _row=np.arange(len(part))))
    everything = pd.concat(parts, ignore_index=True)
    cells = everything.drop_duplicates(dimensions).reset_index(drop=True)
    lattice = Lattice(cells, dimensions, fixed, hierarchies)
    value = cells[count].to_numpy(dtype=np.int64)
    figures = [cells[c].fillna(-1).to_numpy(dtype=np.int64) for c in dict.fromkeys(figure_columns) if c in cells]
    position = pd.MultiIndex.from_frame(cells[dimensions].astype(str)).get_indexer(
        pd.MultiIndex.from_frame(everything[dimensions].astype(str)))
    cover = Cover(value)
    withheld: np.ndarray | None = None
    fresh: np.ndarray | None = None
    for round_number in range(1, ROUNDS + 1):
        withheld, omitted = cover.run(lattice, figures, withheld, fresh)
        private, published = {}, {}
        for spec in specs:
            mine = (everything["_table"] == spec.name).to_numpy()
            at = position[mine]
            private[spec.name] = cubes[spec.name]
            published[spec.name] = _published(spec, cubes[spec.name], withheld[at], omitted[at])
        found = _exposed(specs, private, published)
        lattice_rows = []
        for spec in specs:
            mine = np.flatnonzero((everything["_table"] == spec.name).to_numpy())
            lattice_rows.append(position[mine][found[spec.name]])
        exposed = np.unique(np.concatenate(lattice_rows))
        before = cover.forced.copy()
        cover.add(lattice, exposed, omitted)
        fresh = (cover.forced & ~before) | cover.hidden
        progress(f"{'+'.join(s.name for s in specs)}: round {round_number}, {int(withheld.sum()):,} withheld, "
                 f"{int(omitted.sum()):,} left out, {len(exposed):,} small rows still exposed"
                 + (f", {len(cover.totals):,} totals withheld as the last resort" if cover.totals else "")
                 + f" ({time.monotonic() - started:.0f} s)")
        if len(exposed) == 0:
            break
    assert withheld is not None  # ROUNDS >= 1
    out = {}
    for spec in specs:
        mine = (everything["_table"] == spec.name).to_numpy()
        at = position[mine]
        frame = cubes[spec.name].copy()
        frame["is_withheld"] = withheld[at]
        frame["is_omitted"] = omitted[at]
        small = is_small(frame[spec.count])
        frame["suppression"] = pd.Series(np.where(frame["is_withheld"] & small, "primary", "complementary"),
                                         index=frame.index).where(frame["is_withheld"])
        out[spec.name] = frame
    return out


def suppress(name: str, cells: pd.DataFrame) -> pd.DataFrame:
    """One table that shares no rows with another."""
    spec = registry.table_specs()[name]
    return protect_group([spec], {name: cells})[name]


def _nearest_uncovered(lattice: Lattice, row: int, covered: np.ndarray) -> int:
    """The nearest row above `row` (breadth first) that is not covered yet."""
    frontier = [row]
    while frontier:
        above = [int(parent[0]) for item in frontier for parent in lattice.parents(np.array([item]))
                 if parent[0] >= 0]
        for candidate in above:
            if not covered[candidate] and lattice.cube_dimensions(candidate):
                return candidate
        frontier = list(dict.fromkeys(above))
    return -1


def suppress_custody(population: pd.DataFrame, offenses: pd.DataFrame) -> pd.DataFrame:
    """custody_population and custody_offenses as one problem: the
    all-offenses rows of custody_offenses are rows of custody_population
    (gender identity All), one cell published twice, withheld alike. One
    frame with both tables' rows, `table_name` saying which."""
    specs = registry.table_specs()
    names = registry.linked_tables()["custody"]["tables"]
    out = protect_group([specs[name] for name in names],
                        {"custody_population": population, "custody_offenses": offenses})
    return pd.concat([frame.assign(table_name=name) for name, frame in out.items()], ignore_index=True)


def suppress_recidivism(cells: pd.DataFrame) -> pd.DataFrame:
    """recidivism: released is the same for every follow-up window and
    measure, so the cohort rows are protected once (with each window's and
    measure's recidivated as figures that must not be pinned) and every
    window and measure gets the same withholding. Then the rate rule:
    recidivated (and the rate) is withheld where it, or released minus it,
    is 1 to 4, with cubes so that it cannot be worked out; where it is
    withheld the breakdowns of the row do not show it either
    (`is_outcome_withheld`)."""
    spec = registry.table_specs()["recidivism"]
    same = next(m.same_across for m in spec.measures if m.column == spec.count)
    cohort_dims = [d for d in spec.dimensions if d not in same]
    cube = published_cube(spec, cells)
    if len(cube) == 0:
        return cube.assign(is_withheld=False, is_omitted=False, suppression=None, is_outcome_withheld=False)
    slices = cube[same].drop_duplicates().sort_values(same).to_numpy().tolist()
    cohorts = cube[cohort_dims + [spec.count]].drop_duplicates(cohort_dims).reset_index(drop=True)
    figure_names = []
    for number, values in enumerate(slices):
        part = cube.loc[(cube[same] == values).all(axis=1), cohort_dims + ["recidivated"]]
        name = f"recidivated_{number}"
        cohorts = cohorts.merge(part.rename(columns={"recidivated": name}), on=cohort_dims, how="left")
        figure_names.append(name)
    cohort_spec = TableSpec(name=spec.name, dimensions=cohort_dims, fixed=[d for d in spec.fixed if d not in same],
                            count=spec.count,
                            measures=[replace(m, same_across=[]) for m in spec.measures if m.column == spec.count])
    protected = protect_group([cohort_spec], {spec.name: cohorts}, figure_names=figure_names)[spec.name]
    out = cube.merge(protected[cohort_dims + ["is_withheld", "is_omitted", "suppression"]], on=cohort_dims,
                     how="left", validate="many_to_one")
    # the rate rule, on the rows that are published
    lattice = Lattice(out, spec.dimensions, spec.fixed, spec.hierarchies)
    released = out[spec.count].to_numpy(dtype=np.int64)
    recidivated = out["recidivated"].to_numpy(dtype=np.int64)
    hidden = (out["is_withheld"] | out["is_omitted"]).to_numpy(dtype=bool)
    rest = released - recidivated
    small_rate = is_small(recidivated) | is_small(rest)
    # a small row withheld whole: its recidivated must not be worked out either
    small_row = out["is_withheld"].to_numpy(dtype=bool) & is_small(released)
    primary = (small_rate & ~hidden) | small_row
    # recidivated must be able to reach 1 and 4, and so must released minus
    # it; on a small row it must be able to move by one
    up = np.where(is_small(recidivated), SMALL_HIGH - recidivated,
                  np.where(is_small(rest), rest - SMALL_LOW, 0))
    down = np.where(is_small(recidivated), recidivated - SMALL_LOW,
                    np.where(is_small(rest), SMALL_HIGH - rest, 0))
    up = np.where(small_row, (recidivated == 0).astype(np.int64), up)
    down = np.where(small_row, (recidivated > 0).astype(np.int64), down)
    windows = [d for d in spec.dimensions if d != "followup_years"]
    private = out.drop(columns=["is_withheld", "is_omitted", "suppression"])
    up, down = up.clip(0), down.clip(0)
    for round_number in range(1, ROUNDS + 1):
        outcome = protect(lattice, recidivated, primary=primary, lower=0, withheld=hidden, targets=(up, down),
                          headroom=rest)
        # a person who returned within one year also did within two and
        # three: recidivated withheld for one window is withheld for all, so
        # that a move of one person along a cube moves every window alike
        # (the windows never fall as they grow, and the analyst knows it)
        withheld_outcome = pd.Series(hidden | outcome.withheld | outcome.omitted, index=out.index)
        out["is_outcome_withheld"] = withheld_outcome.groupby([out[d] for d in windows]).transform("max").astype(bool)
        published = _published(spec, private, out["is_withheld"].to_numpy(dtype=bool),
                               out["is_omitted"].to_numpy(dtype=bool),
                               {"recidivated": out["is_outcome_withheld"].to_numpy(dtype=bool)})
        exposed = _exposed([spec], {spec.name: private}, {spec.name: published})[spec.name]
        _say(f"recidivism outcomes: round {round_number}, {int(out['is_outcome_withheld'].sum()):,} withheld, "
             f"{len(exposed):,} values of small rows still exposed")
        if len(exposed) == 0:
            break
        for row in exposed.tolist():  # cover it from the nearest row above not yet covered, figure only
            above = _nearest_uncovered(lattice, row, primary)
            if above >= 0:
                primary[above] = True
                up[above], down[above] = max(up[above], 1), max(down[above], 1) if recidivated[above] else 0
    return out
