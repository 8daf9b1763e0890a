"""The disclosure audit: the attack (attack.py) run on the tables exactly as
they are published, one group of linked tables at a time, and its verdict
against the protection standard (docs/disclosure.md)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from cross_tracking.disclosure import registry
from cross_tracking.disclosure.attack import attack, propagation_only
from cross_tracking.disclosure.system import (
    SMALL_HIGH,
    SMALL_LOW,
    TableSpec,
    build_system,
    rows_violated_by_truth,
)

COLUMNS = ["table_name", "withheld_values", "pinned_values", "primary_rows", "primary_counts_pinned",
           "primary_values_short", "narrowest_primary_interval", "attack_seconds"]


def attacker_view(spec: TableSpec, published: pd.DataFrame, private: pd.DataFrame) -> pd.DataFrame:
    """The published rows with what the owner knows beside them: the true
    figures (`_true_<measure>`, to tell a small row from a complementary one)
    and the rows left out under a withheld row (`omitted`), which the attacker
    knows exist only as unknowns of at least 0. Their true values stay out of
    the equations; listing only the non-empty ones tells the audit's attacker
    more than a real one knows, never less."""
    measures = [m.column for m in spec.measures if m.column in private.columns]
    truth = private[spec.dimensions + measures].rename(columns={m: f"_true_{m}" for m in measures})
    view = truth.merge(published[spec.dimensions + [m for m in measures if m in published.columns] + ["suppressed"]],
                       on=spec.dimensions, how="left", indicator=True)
    view["omitted"] = view["_merge"] == "left_only"
    view["suppressed"] = view["suppressed"].fillna(1).astype(int)
    return view.drop(columns="_merge")


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
        tables = [(specs[name], attacker_view(specs[name], published[name], private[name])) for name in members]
        system = build_system(tables, registry.links_for(members))
        broken = rows_violated_by_truth(system)
        if broken:
            raise RuntimeError(f"the audit's equations do not hold for the true values ({broken}): the registry "
                               "in dbt_project.yml (published_tables) states a relation these tables do not have")
        result = attack(system, exact=True, progress=say) if lp else propagation_only(system)
        say(f"{'+'.join(members)}: {system.size:,} withheld values, {int(result.pinned.sum()):,} pinned, "
            f"{int(result.failing.sum()):,} short of the standard ({result.seconds:.1f} s)")
        names = system.names
        for name in members:
            mine = (names["table"] == name).to_numpy()
            counts = mine & names["is_primary"].to_numpy(dtype=bool)
            rows.append({
                "table_name": name,
                "withheld_values": int(mine.sum()),
                "pinned_values": int((result.pinned & mine).sum()),
                "primary_rows": int(counts.sum()),
                "primary_counts_pinned": int((result.pinned & counts).sum()),
                "primary_values_short": int((result.failing & mine).sum()),
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
