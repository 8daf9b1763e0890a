"""The disclosure audit: the attack (attack.py) run on the tables exactly as
they are published, one group of linked tables at a time, and its verdict
against the protection standard (docs/disclosure.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from cross_tracking.disclosure import registry
from cross_tracking.disclosure.attack import attack, propagation_only
from cross_tracking.disclosure.system import (
    ALL,
    SMALL_HIGH,
    SMALL_LOW,
    LinearSystem,
    TableSpec,
    build_system,
    is_small,
    rows_violated_by_truth,
)

COLUMNS = ["table_name", "withheld_values", "pinned_values", "primary_rows", "primary_counts_pinned",
           "primary_values_short", "left_out_small_pinned", "narrowest_primary_interval", "attack_seconds"]


def attacker_view(spec: TableSpec, published: pd.DataFrame, private: pd.DataFrame,
                  max_breakdowns: int | None = None) -> pd.DataFrame:
    """The published rows with what the owner knows beside them: the true
    figures (`_true_<measure>`, to tell a small row from a complementary one)
    and the rows left out under a withheld row (`omitted`), which the attacker
    knows exist only as unknowns of at least 0. Their true values stay out of
    the equations. The attacker cannot tell an empty left-out row from one
    with people in it, so with `max_breakdowns` the empty ones are listed too
    (every row the published cube would hold under a withheld row); without
    it the audit's attacker also knows which left-out rows are empty."""
    measures = [m.column for m in spec.measures if m.column in private.columns]
    if max_breakdowns is not None:
        zeros = left_out_empty_rows(spec, published, private, max_breakdowns)
        private = pd.concat([private, zeros.assign(**{m: 0 for m in measures})], ignore_index=True)
    truth = private[spec.dimensions + measures].rename(columns={m: f"_true_{m}" for m in measures})
    view = truth.merge(published[spec.dimensions + [m for m in measures if m in published.columns] + ["suppressed"]],
                       on=spec.dimensions, how="left", indicator=True)
    view["omitted"] = view["_merge"] == "left_only"
    view["suppressed"] = view["suppressed"].fillna(1).astype(int)
    return view.drop(columns="_merge")


def left_out_small(system: LinearSystem, spec: TableSpec, view: pd.DataFrame) -> np.ndarray:
    """Over the system's unknowns, the counts of `spec`'s small rows that are
    left out rather than withheld. They are hidden too, so the standard asks
    that none of them can be worked out either (docs/disclosure.md)."""
    mine = (system.names["table"] == spec.name).to_numpy()
    positions = system.names["row"].to_numpy(dtype=np.int64)[mine]
    true_count = view[f"_true_{spec.count}"].to_numpy(dtype=float)[positions]
    found = np.zeros(len(mine), dtype=bool)
    found[mine] = ((system.names["measure"].to_numpy()[mine] == spec.count)
                   & view["omitted"].to_numpy(dtype=bool)[positions]
                   & is_small(true_count))
    return found


def left_out_empty_rows(spec: TableSpec, published: pd.DataFrame, private: pd.DataFrame,
                        max_breakdowns: int) -> pd.DataFrame:
    """The rows of the published cube under a withheld row that hold nobody
    (their dimensions only): to the analyst they are left-out rows like the
    others.

    Walked down level by level from the withheld rows, on integer codes per
    dimension (All = 0, a varying dimension's values by their sorted text,
    a fixed one's by first appearance), in the order the row-by-row frames
    would list the rows: each row of the frontier, per dimension it does not
    break down, followed by its breakdowns along it in the order of the
    values (a sub-type's siblings in the order they first appear)."""
    varying = [d for d in spec.dimensions if d not in spec.fixed]
    child_of = {parent: child for parent, child in spec.hierarchies}
    parent_of = {child: parent for parent, child in spec.hierarchies}
    text = {d: private[d].astype(str) for d in varying}
    domain = {d: sorted(set(text[d].unique()) - {ALL}) for d in varying}
    withheld = published.loc[published["suppressed"] == 1, spec.dimensions]
    if len(withheld) == 0:
        return private.iloc[:0][spec.dimensions]
    column = {d: i for i, d in enumerate(spec.dimensions)}
    withheld_text = {d: withheld[d].astype(str) for d in varying}
    # a value's position is its code; a withheld row's value the private rows
    # lack (never so when published is drawn from private) is carried along
    # after the domain, never used to break a row down
    values_of = {d: [ALL] + domain[d] + sorted(set(withheld_text[d].unique()) - set(domain[d]) - {ALL})
                 for d in varying}
    lookup = {d: pd.Index(values_of[d]) for d in varying}

    def encode(frame: pd.DataFrame, texts: dict[str, pd.Series]) -> np.ndarray:
        codes = np.zeros((len(frame), len(spec.dimensions)), dtype=np.int64)
        for d in varying:
            codes[:, column[d]] = lookup[d].get_indexer(texts[d])
        for d in spec.fixed:
            codes[:, column[d]] = fixed_codes[d].get_indexer(frame[d])
        return codes

    fixed_codes = {d: pd.Index(pd.unique(pd.concat([withheld[d], private[d]], ignore_index=True)))
                   for d in spec.fixed}
    frontier = encode(withheld, withheld_text)
    present = encode(private, text)
    siblings = {}
    for child, parent in parent_of.items():
        pairs = pd.DataFrame({"p": present[:, column[parent]], "c": present[:, column[child]]})
        pairs = pairs[pairs["c"] != 0].drop_duplicates()
        order = np.argsort(pairs["p"].to_numpy(), kind="stable")
        siblings[child] = (pairs["p"].to_numpy()[order], pairs["c"].to_numpy()[order])
    breakdowns = [column[d] for d in spec.breakdowns]
    crossed = [(column[first], column[second]) for first, second in registry.not_crossed()
               if first in column and second in column]
    found = []
    while len(frontier):
        grown = []
        depth = (frontier[:, breakdowns] != 0).sum(axis=1)
        for d in varying:
            at = column[d]
            # a row whose breakdowns along d would all fall outside the cube
            # (too deep, or crossing two dimensions not crossed) is dropped
            # before they are made: the check below would drop them all
            keep = (frontier[:, at] == 0) & (depth + (at in breakdowns) <= max_breakdowns)
            for first, second in crossed:
                if at in (first, second):
                    keep &= frontier[:, second if at == first else first] == 0
            rows = frontier[keep]
            if d in parent_of:
                rows = rows[rows[:, column[parent_of[d]]] != 0]
                keys, children = siblings[d]
                start = np.searchsorted(keys, rows[:, column[parent_of[d]]], side="left")
                stop = np.searchsorted(keys, rows[:, column[parent_of[d]]], side="right")
                count = stop - start
                expanded = np.repeat(rows, count, axis=0)
                offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
                expanded[:, at] = children[np.repeat(start, count) + offset]
                grown.append(expanded)
                continue
            if d in child_of:
                rows = rows[rows[:, column[child_of[d]]] == 0]
            values = np.arange(1, len(domain[d]) + 1, dtype=np.int64)
            expanded = np.repeat(rows, len(values), axis=0)
            expanded[:, at] = np.tile(values, len(rows))
            grown.append(expanded)
        frontier = np.concatenate(grown)
        inside = (frontier[:, breakdowns] != 0).sum(axis=1) <= max_breakdowns
        for first, second in crossed:
            inside &= (frontier[:, first] == 0) | (frontier[:, second] == 0)
        frontier = frontier[inside]
        frontier = frontier[~pd.DataFrame(frontier).duplicated().to_numpy()]
        found.append(frontier)
    below = np.concatenate(found)
    below = below[~pd.DataFrame(below).duplicated().to_numpy()]
    both = pd.DataFrame(np.concatenate([present, below]))
    below = below[~both.duplicated().to_numpy()[len(present):]]
    empty = pd.DataFrame(index=pd.RangeIndex(len(below)))
    for d in spec.dimensions:
        if d in varying:
            names = np.array(values_of[d], dtype=object)
            empty[d] = pd.Series(names[below[:, column[d]]], dtype=text[d].dtype)
        else:
            empty[d] = pd.Series(fixed_codes[d].take(below[:, column[d]]), dtype=private[d].dtype)
    return empty


def audit(published: dict[str, pd.DataFrame], private: dict[str, pd.DataFrame], lp: bool = True,
          progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """One row per table (COLUMNS). `published`: each table as published;
    `private`: its cells before withholding (true values). With `lp`, the
    exact attack (HiGHS on every component that holds a value of a small
    row); without it, bound propagation alone, which finds what an attacker
    can certainly work out (every value it pins is disclosed) in seconds, but
    not everything: its counts are a floor."""
    specs = registry.table_specs()
    say = progress or (lambda message: None)
    rows = []
    for members in registry.groups(specs):
        members = [name for name in members if name in published]
        if not members:
            continue
        tables = [(specs[name], attacker_view(specs[name], published[name], private[name], registry.max_breakdowns()))
                  for name in members]
        system = build_system(tables, registry.links_for(members))
        broken = rows_violated_by_truth(system)
        if broken:
            raise RuntimeError(f"the audit's equations do not hold for the true values ({broken}): the registry "
                               "in dbt_project.yml (published_tables) states a relation these tables do not have")
        result = attack(system, exact=True, progress=say) if lp else propagation_only(system)
        say(f"{'+'.join(members)}: {system.size:,} withheld values, {int(result.pinned.sum()):,} pinned, "
            f"{int(result.failing.sum()):,} short of the standard ({result.seconds:.1f} s)")
        names = system.names
        for (spec, view), name in zip(tables, members, strict=True):
            mine = (names["table"] == name).to_numpy()
            counts = mine & names["is_primary"].to_numpy(dtype=bool)
            small_left_out = left_out_small(system, spec, view)
            rows.append({
                "table_name": name,
                "withheld_values": int(mine.sum()),
                "pinned_values": int((result.pinned & mine).sum()),
                "primary_rows": int(counts.sum()),
                "primary_counts_pinned": int((result.pinned & counts).sum()),
                "primary_values_short": int((result.failing & mine).sum()),
                "left_out_small_pinned": int((result.pinned & small_left_out).sum()),
                "narrowest_primary_interval": _narrowest(result.lo[counts], result.hi[counts],
                                                         result.failing[counts]),
                "attack_seconds": round(result.seconds, 1),
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def _narrowest(lo: np.ndarray, hi: np.ndarray, failing: np.ndarray) -> str | None:
    """The attacker's narrowest interval for the count of a small row, as
    text: exact where it falls short of 1 to 4; where every count passes, the
    attack only shows that each interval reaches both ends."""
    if len(lo) == 0:
        return None
    if failing.any():
        width = np.where(failing, hi - lo, np.inf)
        worst = int(np.argmin(width))
        if not np.isfinite(hi[worst]) or hi[worst] >= 1e15:
            return f"{int(lo[worst])} or more"
        return f"{int(lo[worst])} to {int(hi[worst])}"
    return f"{SMALL_LOW} to {SMALL_HIGH} or wider"


def audit_file(sqlite_path: Path, duckdb_path: Path) -> pd.DataFrame:
    """The attack on a release file as it will be served: the tables are read
    back from the SQLite file, the true values of their rows (and of the
    rows left out) from the private build, int_<table>_suppressed."""
    import sqlite3

    import duckdb

    specs = registry.table_specs()
    published, private = {}, {}
    with sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True) as served:
        present = {row[0] for row in served.execute("select name from sqlite_master where type = 'table'")}
        for name in specs:
            if name in present:
                published[name] = pd.read_sql_query(f'select * from "{name}"', served)
    build = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        for name in published:
            frame = build.sql(f'select * from intermediate."int_{name}_suppressed"').df()
            if name in {"custody_population", "custody_offenses"} and "table_name" in frame:
                frame = frame[frame["table_name"] == name]
            private[name] = frame
    finally:
        build.close()
    for name, frame in published.items():  # SQLite keeps dates and years as text or integers alike
        for dimension in specs[name].dimensions:
            frame[dimension] = frame[dimension].astype(private[name][dimension].dtype)
    return audit(published, private, lp=False)


def standard_failures(result: pd.DataFrame) -> list[str]:
    """The tables of an audit that fall short of the protection standard."""
    short = result[(result["primary_values_short"] > 0) | (result["left_out_small_pinned"] > 0)]
    return [f"{row.table_name} ({row.primary_values_short} values of small rows short, "
            f"{row.left_out_small_pinned} left-out small rows pinned)" for row in short.itertuples()]
