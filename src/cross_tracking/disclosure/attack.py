"""What an outside analyst can work out from the published tables: the
feasibility interval of every withheld value (the method of tau-ARGUS's audit
and sdcTable's attack()).

1. Bound propagation: every row `lower <= sum(+-x) <= upper` bounds each of
   its unknowns by the bounds of the others; repeat, rounding to whole
   numbers, until nothing moves. Cheap, and every bound it finds is one the
   attacker has (so a value it pins is disclosed).
2. Linear programs (HiGHS) on each connected component of the system give
   the exact interval. To keep that affordable, the protection standard is
   checked by certificates first: one LP that pushes every primary count up to
   4 at once (and one that pulls them all down to 1) shows for most values at
   once that the attacker cannot rule those out; only what is left is solved
   one value at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from cross_tracking.disclosure.system import SMALL_HIGH, SMALL_LOW, LinearSystem

EPS = 1e-6


def _gather(indptr: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the entries of rows (or columns) `which` in a compressed
    matrix, and for each the position of its row in `which`."""
    starts = indptr[which]
    lengths = indptr[which + 1] - starts
    local = np.repeat(np.arange(len(which)), lengths)
    offsets = np.repeat(starts - np.cumsum(np.r_[0, lengths[:-1]]), lengths) + np.arange(int(lengths.sum()))
    return offsets, local


def propagate(system: LinearSystem, max_rounds: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Integer bounds implied by the rows (an outer bound of the LP interval).
    Each round looks only at the rows holding an unknown whose bounds moved
    in the round before."""
    lo, hi = system.lo.copy(), system.hi.copy()
    if system.size == 0 or system.matrix.shape[0] == 0:
        return lo, hi
    by_row = system.matrix.tocsr()
    by_column = system.matrix.tocsc()
    active = np.arange(by_row.shape[0])
    for _ in range(max_rounds):
        offsets, local = _gather(by_row.indptr, active)
        c, a = by_row.indices[offsets], by_row.data[offsets]
        n_rows = len(active)
        # each entry's smallest and largest contribution a * x
        low_term = np.where(a > 0, a * lo[c], a * hi[c])
        high_term = np.where(a > 0, a * hi[c], a * lo[c])
        low_inf = np.isinf(low_term)
        high_inf = np.isinf(high_term)
        low_sum = np.bincount(local, np.where(low_inf, 0.0, low_term), n_rows)
        high_sum = np.bincount(local, np.where(high_inf, 0.0, high_term), n_rows)
        low_count = np.bincount(local, low_inf, n_rows)
        high_count = np.bincount(local, high_inf, n_rows)
        # the others' range, for each entry
        others_low = np.where((low_count[local] - low_inf) > 0, -np.inf,
                              low_sum[local] - np.where(low_inf, 0.0, low_term))
        others_high = np.where((high_count[local] - high_inf) > 0, np.inf,
                               high_sum[local] - np.where(high_inf, 0.0, high_term))
        # lower <= a x + others <= upper
        with np.errstate(invalid="ignore"):
            term_high = system.row_upper[active][local] - others_low
            term_low = system.row_lower[active][local] - others_high
        new_hi_entry = np.nan_to_num(np.where(a > 0, term_high / a, term_low / a), nan=np.inf)
        new_lo_entry = np.nan_to_num(np.where(a > 0, term_low / a, term_high / a), nan=-np.inf)
        # per unknown: the tightest of its entries (reduceat over sorted runs)
        order = np.argsort(c, kind="stable")
        sorted_columns = c[order]
        starts = np.flatnonzero(np.r_[True, sorted_columns[1:] != sorted_columns[:-1]])
        columns = sorted_columns[starts]
        cand_hi = np.floor(np.minimum.reduceat(new_hi_entry[order], starts) + EPS)
        cand_lo = np.ceil(np.maximum.reduceat(new_lo_entry[order], starts) - EPS)
        tighter_hi = cand_hi < hi[columns] - 0.5
        tighter_lo = cand_lo > lo[columns] + 0.5
        hi[columns[tighter_hi]] = cand_hi[tighter_hi]
        lo[columns[tighter_lo]] = cand_lo[tighter_lo]
        moved = columns[tighter_hi | tighter_lo]
        if len(moved) == 0:
            break
        positions, _ = _gather(by_column.indptr, moved)
        # the rows holding them, each once, in order (as np.unique, without a sort)
        touched = np.zeros(by_row.shape[0], dtype=bool)
        touched[by_column.indices[positions]] = True
        active = np.flatnonzero(touched)
    return lo, hi


def components(system: LinearSystem) -> tuple[int, np.ndarray]:
    """Connected components of the unknowns (two unknowns meet in a row)."""
    m = system.matrix
    if system.size == 0:
        return 0, np.zeros(0, dtype=np.int64)
    incidence = sparse.csr_matrix((np.ones(m.nnz), m.indices, m.indptr), shape=m.shape)
    adjacency = (incidence.T @ incidence).tocsr()
    count, labels = csgraph.connected_components(adjacency, directed=False)
    return int(count), labels


class ComponentLP:
    """One connected component as a HiGHS model, re-solved with new objectives
    and column bounds (the basis of the last solve is reused)."""

    def __init__(self, system: LinearSystem, columns: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        self.columns = columns
        rows_in = np.unique(system.matrix[:, columns].tocoo().row) if len(columns) else np.zeros(0, int)
        sub = system.matrix[rows_in][:, columns].tocsc()
        self.lo, self.hi = lo[columns].copy(), hi[columns].copy()
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("threads", 1)
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_ = len(columns)
        lp.num_row_ = len(rows_in)
        lp.col_cost_ = np.zeros(len(columns))
        lp.col_lower_ = self.lo
        lp.col_upper_ = np.where(np.isinf(self.hi), inf, self.hi)
        lp.row_lower_ = np.where(np.isinf(system.row_lower[rows_in]), -inf, system.row_lower[rows_in])
        lp.row_upper_ = np.where(np.isinf(system.row_upper[rows_in]), inf, system.row_upper[rows_in])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = sub.indptr
        lp.a_matrix_.index_ = sub.indices
        lp.a_matrix_.value_ = sub.data
        self.h.passModel(lp)

    def solve(self, cost: np.ndarray, sense_max: bool) -> np.ndarray | None:
        n = len(self.columns)
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize if sense_max else highspy.ObjSense.kMinimize)
        self.h.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        return np.array(self.h.getSolution().col_value)

    def set_bounds(self, local: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        if len(local):
            inf = highspy.kHighsInf
            self.h.changeColsBounds(len(local), local.astype(np.int32), lower, np.where(np.isinf(upper), inf, upper))

    def extreme(self, local: int | np.integer[Any], sense_max: bool) -> float:
        cost = np.zeros(len(self.columns))
        cost[local] = 1.0
        solution = self.solve(cost, sense_max)
        # unbounded, or HiGHS's own infinity
        if solution is None or abs(solution[local]) >= highspy.kHighsInf:
            return np.inf if sense_max else -np.inf
        return float(solution[local])


@dataclass
class AttackResult:
    lo: np.ndarray  # attacker's lower bound of each unknown
    hi: np.ndarray  # upper bound (for primary counts: at least what the certificates showed)
    pinned: np.ndarray  # the attacker can name the value
    failing: np.ndarray  # primary counts (and metrics of primary rows) short of the standard
    seconds: float


def propagation_only(system: LinearSystem) -> AttackResult:
    """What bound propagation alone shows (see attack(): its first step)."""
    started = time.perf_counter()
    lo, hi = propagate(system)
    is_count_primary = system.names["is_primary"].to_numpy(dtype=bool)
    of_primary_row = system.names["of_primary_row"].to_numpy(dtype=bool)
    pinned = hi - lo < 0.5
    # a pinned value is disclosed; a small count bounded inside 1..4 fails
    failing = (of_primary_row & pinned) | (is_count_primary & ((hi < SMALL_HIGH - EPS) | (lo > SMALL_LOW + EPS)))
    return AttackResult(lo=lo, hi=hi, pinned=pinned, failing=failing, seconds=time.perf_counter() - started)


def attack(system: LinearSystem, exact: bool = True, progress: Callable[[str], None] | None = None,
           seed: int = 0) -> AttackResult:
    """Intervals of every withheld value, and the standard's verdict.

    The standard: the count of a row of 1 to 4 people keeps an interval that
    covers 1 to 4, and no withheld value of such a row can be pinned.
    Certificates settle most values at once: one LP pushes every small count
    up to 4 (another pulls them to 1), and LPs with random objectives find
    points where the row's other figures differ from their true values by a
    whole unit or more (the true values are a feasible point too). With
    `exact`, each value left over gets its own two LPs; without it (inside the
    protection loop) what is left over counts as short of the standard.
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    # propagation settles what it can; the LPs look at the rest
    first = propagation_only(system)
    lo, hi, pinned, failing = first.lo, first.hi, first.pinned, first.failing
    is_count_primary = system.names["is_primary"].to_numpy(dtype=bool)
    of_primary_row = system.names["of_primary_row"].to_numpy(dtype=bool)
    count, labels = components(system)
    wanted = of_primary_row & ~failing
    todo = np.unique(labels[wanted]) if wanted.any() else np.zeros(0, int)
    say(f"{system.size:,} unknowns, {system.matrix.shape[0]:,} rows, {count:,} components; "
        f"propagation pins {int(pinned.sum()):,}; LP on {len(todo):,} components")
    truth = system.truth if system.truth is not None else np.full(system.size, np.nan)
    generator = np.random.default_rng(seed)
    for number, component in enumerate(todo):
        columns = np.flatnonzero(labels == component)
        model = ComponentLP(system, columns, lo, hi)
        counts = np.flatnonzero(is_count_primary[columns] & wanted[columns])
        metrics = np.flatnonzero(~is_count_primary[columns] & wanted[columns])
        up_ok = _certify(model, counts, SMALL_HIGH, True)
        down_ok = _certify(model, counts, SMALL_LOW, False)
        moved = np.zeros(len(columns), dtype=bool)
        reference = truth[columns]
        for _ in range(3 if len(metrics) else 0):
            open_metrics = metrics[~moved[metrics]]
            if len(open_metrics) == 0:
                break
            cost = np.zeros(len(columns))
            cost[open_metrics] = generator.normal(size=len(open_metrics))
            for sense in (True, False):
                solution = model.solve(cost, sense)
                if solution is not None:
                    moved |= np.abs(solution - reference) >= 1 - EPS
        for local in counts:
            index = columns[local]
            if up_ok[local] and down_ok[local]:
                continue
            if exact:
                lo[index] = SMALL_LOW if down_ok[local] else np.ceil(model.extreme(local, False) - EPS)
                hi[index] = hi[index] if up_ok[local] else np.floor(model.extreme(local, True) + EPS)
                pinned[index] = hi[index] - lo[index] < 0.5
                failing[index] = lo[index] > SMALL_LOW or hi[index] < SMALL_HIGH
            else:
                failing[index] = True
        for local in metrics:
            index = columns[local]
            if moved[local]:
                continue
            if exact:
                lo[index] = np.ceil(model.extreme(local, False) - EPS)
                hi[index] = np.floor(model.extreme(local, True) + EPS)
                pinned[index] = hi[index] - lo[index] < 0.5
                failing[index] = bool(pinned[index])
            else:
                failing[index] = True
        if len(columns) > 5000 or number % 100 == 0:
            say(f"  component {number + 1:,}/{len(todo):,}: {len(columns):,} unknowns "
                f"({time.perf_counter() - started:.1f} s)")
    return AttackResult(lo=lo, hi=hi, pinned=pinned, failing=failing, seconds=time.perf_counter() - started)


def _certify(model: ComponentLP, local: np.ndarray, target: float, up: bool, rounds: int = 3) -> np.ndarray:
    """Which of `local` can reach `target`: an LP pushes every open value
    towards it at once, with the target as a temporary bound so that no value
    takes more than it needs; a value that reaches it is shown feasible.
    Repeated for the values left (a few rounds)."""
    n = len(model.columns)
    reached = np.zeros(n, dtype=bool)
    open_ = local[(target <= model.hi[local] + EPS) & (target >= model.lo[local] - EPS)]
    for _ in range(rounds):
        if len(open_) == 0:
            break
        cost = np.zeros(n)
        cost[open_] = 1.0
        goal = np.full(len(open_), float(target))
        if up:
            model.set_bounds(open_, model.lo[open_], goal)
        else:
            model.set_bounds(open_, goal, model.hi[open_])
        solution = model.solve(cost, up)
        model.set_bounds(open_, model.lo[open_], model.hi[open_])
        if solution is None:
            break
        hit = open_[np.abs(solution[open_] - target) < EPS]
        if len(hit) == 0:
            break
        reached[hit] = True
        open_ = np.setdiff1d(open_, hit)
    return reached
