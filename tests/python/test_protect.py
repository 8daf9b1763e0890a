"""Disclosure control by cubes (cross_tracking.disclosure.protect), on
worked examples: the cells chosen, what is left out, and the attack's
verdict on the result."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cross_tracking.disclosure.attack import attack
from cross_tracking.disclosure.audit import attacker_view
from cross_tracking.disclosure.protect import Lattice, protect
from cross_tracking.disclosure.system import Measure, TableSpec, build_system

SPEC = TableSpec(name="t", dimensions=["year", "agency", "race"], fixed=["year"], count="record_count",
                 measures=[Measure("record_count", lower=1)])


def table(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    """The cells of a year: every (agency, race) count given, with the
    agency and race totals and the grand total added up from them."""
    rows = dict(counts)
    for (agency, race), n in counts.items():
        for key in ((agency, "All"), ("All", race), ("All", "All")):
            rows[key] = rows.get(key, 0) + n if key not in counts else rows[key]
    frame = pd.DataFrame([(a, r, n) for (a, r), n in rows.items()], columns=["agency", "race", "record_count"])
    return frame.assign(year="2017")[["year", "agency", "race", "record_count"]]


def published(cells: pd.DataFrame, withheld: np.ndarray, omitted: np.ndarray) -> pd.DataFrame:
    out = cells.assign(suppressed=withheld.astype(int))
    out["record_count"] = out["record_count"].where(~withheld)
    return out[~omitted].reset_index(drop=True)


def verdict(cells: pd.DataFrame, withheld: np.ndarray, omitted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact attack (LP) on what is published: failing and pinned."""
    view = attacker_view(SPEC, published(cells, withheld, omitted), cells, max_breakdowns=2)
    result = attack(build_system([(SPEC, view)]))
    return result.failing, result.pinned


GRID = {("A", "Black"): 30, ("A", "White"): 40, ("A", "Asian"): 2,
        ("B", "Black"): 25, ("B", "White"): 35, ("B", "Asian"): 9,
        ("C", "Black"): 20, ("C", "White"): 30, ("C", "Asian"): 8}


def test_a_small_cell_gets_a_rectangle_that_can_hold_one_to_four() -> None:
    """Agency A has 2 Asian people. Its rectangle: A Asian, another
    agency's Asian row and both agencies' rows of another race, chosen so
    that the rows that give way hold enough people (2 could be 4: the
    other agency's Asian row must give 2 and stay at 1 or more)."""
    cells = table(GRID)
    lattice = Lattice(cells, SPEC.dimensions, SPEC.fixed, [])
    result = protect(lattice, cells["record_count"].to_numpy())
    withheld = cells[result.withheld]
    assert len(withheld) == 4
    assert set(withheld["agency"]) == {"A", withheld["agency"].drop_duplicates().iloc[-1]}
    assert ("A", "Asian") in set(zip(withheld["agency"], withheld["race"], strict=True))
    assert (withheld.groupby("agency").size() == 2).all() and (withheld.groupby("race").size() == 2).all()
    assert withheld.loc[(withheld["agency"] != "A") & (withheld["race"] == "Asian"), "record_count"].iloc[0] >= 3
    failing, pinned = verdict(cells, result.withheld, result.omitted)
    assert not failing.any() and not pinned.any()


def test_nineteen_minus_fifteen_is_protected() -> None:
    """The pattern that v1 published: 19 Black people statewide, 10 and 5
    in A and B, and one each in C, D, E and F. Withholding only the four
    ones pins each at 1; the cubes give each a partner that can give
    three people, and the attack then finds nothing."""
    counts = {("A", "Black"): 10, ("B", "Black"): 5, ("C", "Black"): 1, ("D", "Black"): 1,
              ("E", "Black"): 1, ("F", "Black"): 1}
    counts |= {(agency, "White"): n for agency, n in zip("ABCDEF", [50, 40, 9, 8, 7, 12], strict=True)}
    cells = table(counts)
    only_small = cells["record_count"].between(1, 4).to_numpy()
    failing, pinned = verdict(cells, only_small, np.zeros(len(cells), dtype=bool))
    assert pinned.sum() == 4 and failing.sum() == 4
    lattice = Lattice(cells, SPEC.dimensions, SPEC.fixed, [])
    result = protect(lattice, cells["record_count"].to_numpy())
    failing, pinned = verdict(cells, result.withheld, result.omitted)
    assert not failing.any() and not pinned.any()


def test_the_breakdowns_of_a_withheld_row_are_left_out() -> None:
    """A row withheld (agency D holds 3 people) is not broken down: its
    race rows are left out of the publication, not published as withheld
    rows (each would say 'at least 1', and three of them 'at least 3')."""
    counts = dict(GRID) | {("D", "Black"): 1, ("D", "White"): 1, ("D", "Asian"): 1}
    cells = table(counts)
    lattice = Lattice(cells, SPEC.dimensions, SPEC.fixed, [])
    result = protect(lattice, cells["record_count"].to_numpy())
    d_total = ((cells["agency"] == "D") & (cells["race"] == "All")).to_numpy()
    d_rows = ((cells["agency"] == "D") & (cells["race"] != "All")).to_numpy()
    assert result.withheld[d_total].all()
    assert result.omitted[d_rows].all() and not result.withheld[d_rows].any()
    failing, pinned = verdict(cells, result.withheld, result.omitted)
    assert not failing.any()


def test_a_total_made_only_of_small_rows_is_withheld_with_them() -> None:
    """A year's unknown codes of one field: six agencies with one record
    each, 6 in all. No cube can move them (every row under the total is
    small and nothing else adds up to it), so published as they stand each
    withheld row would be 6 / 6 = 1. The total is withheld too, which
    leaves its breakdowns out, and the attack can then narrow nothing."""
    from cross_tracking.disclosure import registry
    from cross_tracking.disclosure.suppress import _exposed, _published, suppress

    sources = [f"Agency {letter}" for letter in "ABCDEF"]
    cells = pd.DataFrame({"year": 2010, "field": "gender_identity", "source": ["All", *sources],
                          "record_count": [6, 1, 1, 1, 1, 1, 1]})
    out = suppress("unknown_codes", cells)
    total = out["source"] == "All"
    assert out.loc[total, "is_withheld"].all()
    assert out.loc[~total, "is_omitted"].all()
    spec = registry.table_specs()["unknown_codes"]
    private = out.drop(columns=["is_withheld", "is_omitted", "suppression"])
    shown = _published(spec, private, out["is_withheld"].to_numpy(), out["is_omitted"].to_numpy())
    assert len(_exposed([spec], {spec.name: private}, {spec.name: shown})[spec.name]) == 0
