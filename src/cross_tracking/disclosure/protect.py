"""Complementary suppression by hypercubes, and the rows left out (R9,
contract v2; docs/disclosure.md).

For each small row P (a count of 1 to 4) at its own level (the dimensions it
breaks down), pick one other value for each of those dimensions; the 2^k rows
that mix P's values and the chosen ones are the corners of a cube. Moving
people around the cube (+d on the corners an even number of steps from P, -d
on the others) changes no total that adds up any of those dimensions, so an
analyst who sees every other row cannot tell P's count from P's count +- d.
The corners are withheld, and every row that breaks down a withheld row is
left out of the publication (its figures are unknowns of at least 0 to the
analyst). The cube is chosen so that the corners that must give way hold
enough people: P's count can then be 4 (d = 4 - count) and can be 1
(d = count - 1). Of the candidate cubes the cheapest is taken: the fewest
people in corners not already withheld or left out.

The attack (attack.py) then checks the result as the analyst would; the
construction is how the cells are chosen, the attack is the proof.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cross_tracking.disclosure.system import ALL, SMALL_HIGH, SMALL_LOW, dimension_codes, is_small

# candidate values kept per dimension of a cube, by the number of dimensions
# (the combinations grow as the product)
CANDIDATES = {1: 12, 2: 6, 3: 4}
CANDIDATES_DEEPER = 3
CANDIDATES_WIDE = {1: 1000, 2: 40, 3: 12}
NEVER = np.iinfo(np.int64).max  # the score of a cube that does not help
# at most this many cubes to cover one row
MAX_CUBES = 4


@dataclass
class Protection:
    withheld: np.ndarray  # the row is published as withheld
    omitted: np.ndarray  # the row breaks down a withheld row and is left out
    primary: np.ndarray  # withheld for its own small count
    unprotected: np.ndarray  # small rows for which no cube could be built


class Lattice:
    """The rows of a table (or of linked tables) as cells of one lattice:
    integer codes per dimension (`All` = 0), a key per cell, and for each
    cell its parents (the rows it breaks down)."""

    def __init__(self, cells: pd.DataFrame, dimensions: list[str], fixed: list[str],
                 hierarchies: list[list[str]]) -> None:
        self.dimensions = dimensions
        self.codes, self.radix = dimension_codes(cells, dimensions)
        self.keys = self.codes @ self.radix
        self.order = np.argsort(self.keys, kind="stable")
        self.sorted_keys = self.keys[self.order]
        if len(self.keys) and (np.diff(self.sorted_keys) == 0).any():
            raise ValueError("the cells of a lattice must be unique by their dimensions")
        self.varying = [d for d in range(len(dimensions)) if dimensions[d] not in fixed]
        # hierarchy: the child varies among the siblings under its parent
        self.parent_of_child = {dimensions.index(child): dimensions.index(parent) for parent, child in hierarchies}
        self.children = {dimensions.index(parent): dimensions.index(child) for parent, child in hierarchies}
        self.siblings: dict[tuple[int, int], np.ndarray] = {}
        for child, parent in self.parent_of_child.items():
            pairs = np.unique(self.codes[self.codes[:, child] != 0][:, [parent, child]], axis=0)
            for parent_code in np.unique(pairs[:, 0]):
                self.siblings[(child, int(parent_code))] = pairs[pairs[:, 0] == parent_code, 1]
        self.values = [np.unique(self.codes[:, d][self.codes[:, d] != 0]) for d in range(len(dimensions))]
        broken = self.codes[:, self.varying] != 0
        self.level = broken.sum(axis=1)
        self.value = np.zeros(len(self.keys), dtype=np.int64)  # the figure protected, set by protect()
        self._extras: dict[tuple[int, tuple[int, ...]], list[tuple[tuple[int, ...], int | None]]] = {}
        # lookups that depend on the lattice alone, kept across rows and rounds
        # (a sentinel past the last key: a key not found lands on it, row -1)
        self._sorted_ext = np.append(self.sorted_keys, np.iinfo(np.int64).max)
        self._order_ext = np.append(self.order, -1).astype(np.int64)
        every = np.arange(len(self.keys))
        self._parent_matrix = (np.stack(self._parents(every), axis=1) if self.varying
                               else np.zeros((len(self.keys), 0), dtype=np.int64))
        self._parent_lists: list[list[int]] = self._parent_matrix.tolist()
        self._cube_dims: dict[int, list[int]] = {}
        self._edges: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._steps: dict[tuple[int, ...], np.ndarray] = {}
        self._has_under_cache: dict[tuple[int, ...], np.ndarray] = {}
        self._ancestry: tuple[np.ndarray, np.ndarray] | None = None

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The row of each key, -1 where the lattice has no such cell."""
        keys = np.asarray(keys)
        at = np.searchsorted(self._sorted_ext, keys)
        return np.where(self._sorted_ext[at] == keys, self._order_ext[at], -1)

    def hidden(self, row: int, withheld: np.ndarray, omitted: np.ndarray) -> bool:
        """Whether a row it breaks down is withheld or left out."""
        for parent in self._parent_lists[row]:
            if parent >= 0 and (withheld[parent] or omitted[parent]):
                return True
        return False

    def cube_dimensions(self, row: int) -> list[int]:
        """The dimensions a cube around this row varies: those it breaks
        down, a hierarchy by its finest level broken down."""
        cached = self._cube_dims.get(row)
        if cached is None:
            # a dimension the row breaks down (a sub-type rather than its
            # type), with a row that adds it up along it (not so for offense
            # rows by status: d need not vary): its parent along d
            cached = [d for d, parent in zip(self.varying, self._parent_lists[row], strict=True) if parent >= 0]
            self._cube_dims[row] = cached
        return list(cached)

    def edge(self, row: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The steps along d to the row's alternatives, the row each step
        reaches (-1 where none) and that row clipped to 0."""
        cached = self._edges.get((row, d))
        if cached is None:
            step = (self.alternatives(row, d) - self.codes[row, d]) * self.radix[d]
            edge = self.find(self.keys[row] + step)
            cached = (step, edge, np.maximum(edge, 0))
            self._edges[(row, d)] = cached
        return cached

    def alternatives(self, row: int, d: int) -> np.ndarray:
        own = self.codes[row, d]
        if d in self.parent_of_child:
            pool = self.siblings.get((d, int(self.codes[row, self.parent_of_child[d]])), np.zeros(0, np.int64))
        else:
            pool = self.values[d]
        return pool[pool != own]

    def extra_dimensions(self, row: int, dims: list[int]) -> list[tuple[tuple[int, ...], int | None]]:
        key = (row, tuple(dims))
        if key not in self._extras:
            self._extras[key] = self._extra_dimensions(row, dims)
        return self._extras[key]

    def _extra_dimensions(self, row: int, dims: list[int]) -> list[tuple[tuple[int, ...], int | None]]:
        """The ways the row is broken down further in the lattice (its
        breakdowns are left out with it): single dimensions, each with the
        dimension that groups its values (a sub-type's type) or None, and
        pairs of dimensions where rows break down both."""
        single: list[tuple[tuple[int, ...], int | None]] = []
        for d in self.varying:
            if self.codes[row, d] != 0:
                continue
            group = self.parent_of_child.get(d)
            if group is not None and self.codes[row, group] == 0:
                continue  # sub-types under no type: the type comes first
            if self._has_under((d,))[row]:
                single.append(((d,), group if group is not None and group in dims else None))
        pairs: list[tuple[tuple[int, ...], int | None]] = []
        plain = [ds[0] for ds, group in single if ds[0] not in self.parent_of_child and ds[0] not in self.children]
        for first, second in itertools.combinations(plain, 2):
            if self._has_under((first, second))[row]:
                pairs.append(((first, second), None))
        return single + pairs

    def _has_under(self, dims: tuple[int, ...]) -> np.ndarray:
        """Per row whose codes along `dims` are All: whether any row breaks
        it down along every one of `dims` (and matches it elsewhere), i.e.
        (self._under(row, dims) >= 0).any(), for every row at once: each row
        breaking down all of `dims` marks the row with those codes set to All."""
        found = self._has_under_cache.get(dims)
        if found is None:
            breaks = (self.codes[:, list(dims)] != 0).all(axis=1)
            above = self.keys[breaks] - self.codes[breaks][:, list(dims)] @ self.radix[list(dims)]
            hit = self.find(above)
            found = np.zeros(len(self.keys), dtype=bool)
            found[hit[hit >= 0]] = True
            self._has_under_cache[dims] = found
        return found

    def _under(self, rows: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
        """The rows under each of `rows` along `dims` (every value
        combination, last axis), -1 where there is none."""
        step = self._steps.get(dims)
        if step is None:
            step = np.zeros(1, dtype=np.int64)
            for d in dims:
                step = (step[:, None] + self.values[d][None, :] * self.radix[d]).ravel()
            self._steps[dims] = step
        return self.find(self.keys[rows][..., None] + step)

    def breakdowns(self, rows: np.ndarray, dims: tuple[int, ...], value: np.ndarray | None = None) -> np.ndarray:
        """The value of each row's breakdowns along dims (0 where none)."""
        found = self._under(rows, dims)
        value = self.value if value is None else value
        return np.where(found >= 0, value[np.maximum(found, 0)], 0)

    def under_mass(self, value: np.ndarray) -> np.ndarray:
        """Each row's value plus the values of every row under it: what
        withholding it costs, since the rows under it are left out."""
        size = len(self.keys)
        if self._ancestry is None:
            # (row, an ancestor of it) pairs, each as one int64 row * size +
            # ancestor (so sorted as the pairs would be)
            rows = np.arange(size, dtype=np.int64)
            frontier = rows * size + rows
            pairs = [frontier]
            while len(frontier):
                grown = []
                for parent in self.parents(frontier % size if size else frontier):
                    has = parent >= 0
                    grown.append(frontier[has] // size * size + parent[has])
                frontier = np.unique(np.concatenate(grown)) if grown else np.zeros(0, np.int64)
                pairs.append(frontier)
            every = np.unique(np.concatenate(pairs))
            self._ancestry = (every // size if size else every, every % size if size else every)
        descendant, ancestor = self._ancestry
        return np.bincount(ancestor, weights=value[descendant], minlength=size).astype(np.int64)

    def parents(self, rows: np.ndarray) -> list[np.ndarray]:
        """For each dimension, the parent of each row along it (-1 if none)."""
        return [self._parent_matrix[rows, i] for i in range(len(self.varying))]

    def _parents(self, rows: np.ndarray) -> list[np.ndarray]:
        found = []
        for d in self.varying:
            code = self.codes[rows, d]
            parent_key = self.keys[rows] - code * self.radix[d]
            has = code != 0
            if d in self.children:
                has &= self.codes[rows, self.children[d]] == 0
            parent = np.where(has, self.find(parent_key), -1)
            found.append(parent)
        return found

    def omitted_under(self, withheld: np.ndarray, up_to_level: int | None = None) -> np.ndarray:
        """Rows under a withheld row (at any depth)."""
        omitted = np.zeros(len(self.keys), dtype=bool)
        top = int(self.level.max(initial=0)) if up_to_level is None else up_to_level
        for level in range(1, top + 1):
            rows = np.flatnonzero(self.level == level)
            for parent in self.parents(rows):
                ok = parent >= 0
                hidden = np.zeros(len(rows), dtype=bool)
                hidden[ok] = withheld[parent[ok]] | omitted[parent[ok]]
                omitted[rows] |= hidden
        return omitted


def protect(lattice: Lattice, value: np.ndarray, primary: np.ndarray | None = None, lower: int = SMALL_LOW,
            withheld: np.ndarray | None = None, targets: tuple[np.ndarray, np.ndarray] | None = None,
            headroom: np.ndarray | None = None, figures: list[np.ndarray] | None = None,
            cover_hidden: np.ndarray | None = None, progress: Callable[[str], None] | None = None) -> Protection:
    """Withhold the small rows and the corners of cubes around each, and
    leave out every row under a withheld row.

    `value`: the figure protected (by default people in the row).
    `primary`: the rows withheld for their own sake (by default a value of
    1 to 4). `lower`: what a withheld value is known to be at least.
    `withheld`: rows already withheld by an earlier step, reused as corners
    at no cost. `targets`: how far each primary value must be able to move
    up and down (by default to 4 and to 1). `headroom`: how far a value can
    rise (recidivated up to released; by default without limit).
    `figures`: the other figures of a row (enrollments, charges...), each
    hidden with it; cubes that can move them too are preferred.
    `cover_hidden`: rows covered by cubes even when left out (a small row
    left out that the attack could still pin)."""
    say = progress or (lambda message: None)
    value = np.asarray(value, dtype=np.int64)
    lattice.value = value
    if primary is None:
        primary = is_small(value)
    if targets is None:
        targets = ((SMALL_HIGH - value).clip(0), (value - SMALL_LOW).clip(0))
    if headroom is None:
        headroom = np.full(len(value), np.iinfo(np.int32).max, dtype=np.int64)
    if cover_hidden is None:
        cover_hidden = np.zeros(len(value), dtype=bool)
    withheld = primary & ~cover_hidden if withheld is None else (withheld | (primary & ~cover_hidden))
    omitted = np.zeros(len(value), dtype=bool)
    unprotected = np.zeros(len(value), dtype=bool)
    plan = Plan(lattice, value, headroom, lower, cost=lattice.under_mass(value),
                figures=[np.asarray(f, dtype=np.int64) for f in (figures or [])])
    for level in range(1, int(lattice.level.max(initial=0)) + 1):
        # rows of this level are left out when a coarser row is withheld;
        # coarser rows are settled by now (a row withheld on the way only
        # hides rows of its own level and finer ones, checked one by one)
        omitted = lattice.omitted_under(withheld, up_to_level=level)
        todo = np.flatnonzero(primary & (lattice.level == level) & (~omitted | cover_hidden))
        todo = todo[np.lexsort((lattice.keys[todo], value[todo]))]
        for row in todo.tolist():
            if not cover_hidden[row] and lattice.hidden(row, withheld, omitted):
                continue
            up, down = int(targets[0][row]), int(targets[1][row])
            cubes = plan.cubes(row, withheld, omitted, up, down)
            if not cubes:
                # no cube at this level: withhold a row it breaks down
                # (it is then left out) and cover that row instead
                parent, cubes = plan.escalated(row, withheld, omitted, up, down)
                if not cubes:
                    unprotected[row] = True
                    continue
                withheld[parent] = True
            for rows, _ in cubes:
                withheld[rows] = True
        say(f"level {level}: {len(todo):,} small rows to cover, {int(withheld.sum()):,} withheld so far")
    omitted = lattice.omitted_under(withheld)
    withheld &= ~omitted
    return Protection(withheld=withheld, omitted=omitted, primary=primary & ~omitted, unprotected=unprotected)


Cube = tuple[np.ndarray, np.ndarray]  # the corner rows, and each corner's parity (1: odd distance from the row)


class Plan:
    """The cubes chosen for one row, and what its corners can still move."""

    def __init__(self, lattice: Lattice, value: np.ndarray, headroom: np.ndarray, lower: int,
                 cost: np.ndarray, figures: list[np.ndarray]) -> None:
        self.lattice, self.value, self.headroom, self.lower = lattice, value, headroom, lower
        self.figures = figures  # the row's other figures, which must not be pinned either
        self.cost = cost  # of withholding a row: its value and the values left out under it
        # what the rows give and take while one row is covered (see Moves)
        self._scratch = (np.zeros(len(value), dtype=np.int64), np.zeros(len(value), dtype=np.int64))

    def escalated(self, row: int, withheld: np.ndarray, omitted: np.ndarray, up: int,
                  down: int) -> tuple[int, list[Cube]]:
        """The cheapest row that `row` breaks down (one dimension set to
        All) with cubes that move as much as `row` needs."""
        best: tuple[int, int, list[Cube]] | None = None
        for parent in self.lattice.parents(np.array([row])):
            above = int(parent[0])
            if above < 0 or not self.lattice.cube_dimensions(above):
                continue
            cubes = self.cubes(above, withheld, omitted, up, down)
            if cubes:
                corners = np.unique(np.concatenate([rows for rows, _ in cubes] + [np.array([above])]))
                cost = int(np.where(withheld[corners] | omitted[corners], 0, self.cost[corners]).sum())
                if best is None or cost < best[1]:
                    best = (above, cost, cubes)
        return (best[0], best[2]) if best else (-1, [])

    def cubes(self, row: int, withheld: np.ndarray, omitted: np.ndarray, up: int, down: int) -> list[Cube]:
        """Cubes around `row` that together move it `up` and `down`: the
        cheapest single cube when one is enough, otherwise several, each
        moving part of the way (the analyst's equations allow any sum of
        such moves); the search looks wider before giving up. Empty when
        none are found."""
        return (self._cube_set(row, withheld, omitted, up, down, CANDIDATES)
                or self._cube_set(row, withheld, omitted, up, down, CANDIDATES_WIDE))

    def _cube_set(self, row: int, withheld: np.ndarray, omitted: np.ndarray, up: int, down: int,
                  candidates: dict[int, int]) -> list[Cube]:
        moves = Moves(self.value, self.headroom, omitted, self.lower, row, down, self._scratch)
        try:
            return self._cover(row, withheld, omitted, up, down, candidates, moves)
        finally:
            moves.clear()

    def _cover(self, row: int, withheld: np.ndarray, omitted: np.ndarray, up: int, down: int,
               candidates: dict[int, int], moves: Moves) -> list[Cube]:
        chosen: list[Cube] = []
        # a figure of the row is free when a cube moves it (or the row has no
        # such figure: -1)
        figures_free = np.array([figure[row] < 0 for figure in self.figures], dtype=bool)
        for _ in range(MAX_CUBES):
            cube = self._cheapest_cube(row, withheld, omitted, moves, up, down, candidates, figures_free)
            if cube is None:
                # the count is covered; a figure no cube frees stays as it is
                return chosen if chosen and up == 0 and down == 0 else []
            rows, parity, moved_up, moved_down, freed = cube
            figures_free |= freed
            chosen.append((rows, parity))
            odd = parity == 1
            moves.give(rows[odd], moved_up)
            moves.take(rows[~odd], moved_up)
            moves.give(rows[~odd], moved_down)
            moves.take(rows[odd], moved_down)
            up, down = up - moved_up, down - moved_down
            if up == 0 and down == 0 and figures_free.all():
                return chosen
        return chosen if up == 0 and down == 0 else []

    def _cheapest_cube(self, row: int, withheld: np.ndarray, omitted: np.ndarray, moves: Moves, up: int, down: int,
                       candidates: dict[int, int], figures_free: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, int, int, np.ndarray] | None:
        """The cube around `row` that moves the most (up to `up` and
        `down`), and of those the cheapest: the least value in corners not
        yet withheld."""
        lattice = self.lattice
        dims = lattice.cube_dimensions(row)
        if not dims:
            return None
        keep = candidates.get(len(dims), CANDIDATES_DEEPER)
        options = []
        for d in dims:
            step, edge, safe = lattice.edge(row, d)
            # the corner next to the row along d gives when the row goes up
            gives = np.where(edge >= 0, moves.room(safe), 0)
            usable = (edge >= 0) & ((gives >= 1) | (up == 0))
            if not usable.any():
                return None
            cost = np.where(withheld[safe] | omitted[safe], 0, self.cost[safe])
            ranked = np.flatnonzero(usable)[np.argsort(cost[usable], kind="stable")][:keep]
            options.append(step[ranked])
        masks, parity, odd = _corners(len(dims))  # corners x dims
        combos = np.array(list(itertools.product(*options)), dtype=np.int64)  # combos x dims
        rows = lattice.find(lattice.keys[row] + combos @ masks.T)  # combos x corners
        rows = rows[(rows >= 0).all(axis=1)]
        if len(rows) == 0:
            return None
        room, rise = moves.room(rows), moves.rise(rows)
        # going up, the odd corners give and the even ones take; going down, the reverse
        moved_up = np.maximum(np.minimum(np.minimum(room[:, odd].min(axis=1), rise[:, ~odd].min(axis=1)), up), 0)
        moved_down = np.maximum(np.minimum(np.minimum(room[:, ~odd].min(axis=1), rise[:, odd].min(axis=1)), down), 0)
        # the rows under the corners (left out) move with them: what moves
        # must have the same breakdown in every corner that gives it up
        extras = lattice.extra_dimensions(row, dims)
        # the rows under the corners along each extra (the same for every figure)
        found = {extra: lattice._under(rows, extra) for extra, _ in extras}
        for extra, group in extras:
            under = _values(found[extra], lattice.value)  # combos x corners x values
            for in_group in _groups(len(dims), dims.index(group) if group is not None else None):
                # (a group with no corner giving up is free to take any breakdown)
                if up and (odd & in_group).any():
                    moved_up = np.minimum(moved_up, under[:, odd & in_group, :].min(axis=1).sum(axis=1))
                if down and (~odd & in_group).any():
                    moved_down = np.minimum(moved_down, under[:, ~odd & in_group, :].min(axis=1).sum(axis=1))
        # a cube may serve one direction only; the set of cubes serves both
        useful = np.ones(len(rows), dtype=bool)
        # the row's other figures (enrollments, recidivated...) must not be
        # pinned either: a figure moves by one along the cube when every
        # corner that gives it up has one to give (so does what is under it)
        movable = np.zeros((len(self.figures), len(rows)), dtype=bool)
        for position in np.flatnonzero(~figures_free):
            figure = self.figures[position]
            figure_under = {extra: _values(found[extra], figure) for extra, _ in extras}
            for givers in (odd, ~odd):
                enough = figure[rows][:, givers].min(axis=1) >= 1
                for extra, group in extras:
                    under = figure_under[extra]
                    for in_group in _groups(len(dims), dims.index(group) if group is not None else None):
                        if (givers & in_group).any():
                            enough &= under[:, givers & in_group, :].min(axis=1).sum(axis=1) >= 1
                movable[position] |= enough
        freed = movable.sum(axis=0)
        useful &= (moved_up + moved_down + freed) > 0
        if not useful.any():
            return None
        # most movement first (one cube beats several), then most figures
        # freed, then the least newly withheld
        cost = np.where(withheld[rows] | omitted[rows], 0, self.cost[rows]).sum(axis=1)
        score = np.where(useful, -(moved_up + moved_down) * 10**12 - freed * 10**9 + cost, NEVER)
        best = int(np.argmin(score))
        return rows[best], parity, int(moved_up[best]), int(moved_down[best]), movable[:, best]


def _values(found: np.ndarray, value: np.ndarray) -> np.ndarray:
    """The value of each row found (0 where none), as Lattice.breakdowns."""
    return np.where(found >= 0, value[np.maximum(found, 0)], 0)


_CORNERS: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
_GROUPS: dict[tuple[int, int | None], list[np.ndarray]] = {}


def _corners(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The corners of a k-dimensional cube (corners x dims, 1: the other
    value), each corner's parity and whether it is odd."""
    if k not in _CORNERS:
        masks = np.array(list(itertools.product((0, 1), repeat=k)), dtype=np.int64)
        parity = masks.sum(axis=1) % 2
        _CORNERS[k] = (masks, parity, parity == 1)
    return _CORNERS[k]


def _groups(k: int, by: int | None) -> list[np.ndarray]:
    """The corners of a k-dimensional cube grouped by their value along
    dimension `by` (one group of all the corners when None), in the order of
    that value."""
    if (k, by) not in _GROUPS:
        masks = _corners(k)[0]
        grouping = masks[:, by] if by is not None else np.zeros(len(masks), np.int64)
        _GROUPS[(k, by)] = [grouping == code for code in np.unique(grouping)]
    return _GROUPS[(k, by)]


class Moves:
    """What each row can still give up (its value above what the analyst
    knows it holds at least) and take on (its headroom), given the cubes
    already planned for the row being covered."""

    def __init__(self, value: np.ndarray, headroom: np.ndarray, omitted: np.ndarray, lower: int, row: int,
                 down: int, scratch: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.value, self.headroom, self.omitted, self.lower = value, headroom, omitted, lower
        # what each row has given up and taken on so far: dense, indexed by
        # row, all zero when handed over (scratch of the plan, zeroed again by
        # clear() on the rows touched)
        self.given, self.taken = scratch if scratch is not None else (
            np.zeros(len(value), dtype=np.int64), np.zeros(len(value), dtype=np.int64))
        self.touched: list[np.ndarray] = [np.array([row])]
        # the row itself goes down by `down` at most
        self.given[row] = int(value[row]) - down - (0 if omitted[row] else lower)

    def clear(self) -> None:
        """Zero what was recorded (the arrays can serve the next row)."""
        for rows in self.touched:
            self.given[rows] = 0
            self.taken[rows] = 0

    def room(self, rows: np.ndarray) -> np.ndarray:
        return self.value[rows] - np.where(self.omitted[rows], 0, self.lower) - self.given[rows]

    def rise(self, rows: np.ndarray) -> np.ndarray:
        return self.headroom[rows] - self.taken[rows]

    def give(self, rows: np.ndarray, amount: int) -> None:
        self.touched.append(rows)
        np.add.at(self.given, rows, amount)

    def take(self, rows: np.ndarray, amount: int) -> None:
        self.touched.append(rows)
        np.add.at(self.taken, rows, amount)


__all__ = ["ALL", "Lattice", "Protection", "protect"]
