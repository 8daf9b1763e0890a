"""Bad input, injected on purpose so the pipeline's cleaning rules are exercised.

Every kind the contract allows is injected at the requested rate, shared
between the kinds of each file. Files of a few hundred rows or more get at
least one row of every kind, so small test extracts still contain each kind.
With rate 0 nothing is touched.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MIN_ROWS_FOR_EVERY_KIND = 400

Mutator = Callable[[pa.Table, np.ndarray, np.random.Generator], pa.Table]


def counts(rng: np.random.Generator, n_rows: int, rate: float, n_kinds: int) -> np.ndarray:
    """Rows per kind: the rate split between kinds, stochastic rounding."""
    if rate <= 0 or n_rows == 0 or n_kinds == 0:
        return np.zeros(n_kinds, np.int64)
    c = np.floor(rate * n_rows / n_kinds + rng.random(n_kinds)).astype(np.int64)
    if n_rows >= MIN_ROWS_FOR_EVERY_KIND:
        c = np.maximum(c, 1)
    return c


def choose_rows(rng: np.random.Generator, n_rows: int, per_kind: np.ndarray) -> list[np.ndarray]:
    """Disjoint sorted row sets, one per kind."""
    total = int(min(per_kind.sum(), n_rows))
    rows = rng.choice(n_rows, size=total, replace=False) if total else np.zeros(0, np.int64)
    out, at = [], 0
    for k in per_kind:
        out.append(np.sort(rows[at:at + int(k)]))
        at += int(k)
    return out


def set_values(table: pa.Table, col: str, rows: np.ndarray, values: pa.Array | list[str | None]) -> pa.Table:
    if len(rows) == 0:
        return table
    mask = np.zeros(table.num_rows, bool)
    mask[rows] = True
    arr = table[col].combine_chunks()
    new = pc.replace_with_mask(arr, pa.array(mask), pa.array(values, pa.string()))
    return table.set_column(table.schema.get_field_index(col), col, new)


def values_at(table: pa.Table, col: str, rows: np.ndarray) -> pa.Array:
    return table[col].combine_chunks().take(pa.array(rows, pa.int64()))


def apply(table: pa.Table, rng: np.random.Generator, rate: float, kinds: list[Mutator]) -> pa.Table:
    """Apply each mutator to its own rows. Mutators that append rows
    (duplicates) must come last, as row numbers are drawn up front."""
    per = counts(rng, table.num_rows, rate, len(kinds))
    for fn, rows in zip(kinds, choose_rows(rng, table.num_rows, per), strict=True):
        table = fn(table, rows, rng)
    return table


# ----- generic mutators --------------------------------------------------------
def blank(col: str) -> Mutator:
    return lambda t, r, g: set_values(t, col, r, [None] * len(r))


def replace_with(col: str, options: list[str]) -> Mutator:
    return lambda t, r, g: set_values(t, col, r, [options[i] for i in g.integers(0, len(options), len(r))])


def sloppy(col: str) -> Mutator:
    """Lower case and/or stray spaces around a value (fixable)."""
    def fn(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        v = values_at(t, col, r)
        low = pc.utf8_lower(v)
        pad = pc.binary_join_element_wise(pa.scalar(" "), v, pa.scalar("  "), pa.scalar(""))
        both = pc.binary_join_element_wise(pa.scalar(" "), low, pa.scalar(""))
        pick = g.integers(0, 3, len(r))
        out = pc.if_else(pa.array(pick == 0), low, pc.if_else(pa.array(pick == 1), pad, both))
        return set_values(t, col, r, out)
    return fn


def padded(col: str) -> Mutator:
    def fn(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        v = values_at(t, col, r)
        return set_values(t, col, r, pc.binary_join_element_wise(pa.scalar("  "), v, pa.scalar(" "),
                                                                 pa.scalar("")))
    return fn


def duplicate(change: str | None = None) -> Mutator:
    """Append copies of rows (a repeated key); optionally alter one column of the copy."""
    def fn(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        if len(r) == 0:
            return t
        dup = t.take(pa.array(r, pa.int64()))
        if change is not None:
            v = dup[change].combine_chunks()
            dup = dup.set_column(dup.schema.get_field_index(change), change,
                                 pc.binary_join_element_wise(v, pa.scalar("X"), pa.scalar("")))
        return pa.concat_tables([t, dup])
    return fn


def orphan(col: str, prefix: str) -> Mutator:
    return lambda t, r, g: set_values(t, col, r, [f"{prefix}{9_000_000 + int(x)}" for x in r])


# ----- specific kinds ----------------------------------------------------------
def sid_kinds() -> list[Mutator]:
    def bad_check(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        v = values_at(t, "sid", r).to_pylist()
        out = [None if s is None else s[:9] + str((int(s[9]) + 1 + int(x)) % 10) for s, x in
               zip(v, g.integers(0, 9, len(r)), strict=True)]
        return set_values(t, "sid", r, out)

    def wrong_len(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        v = values_at(t, "sid", r).to_pylist()
        return set_values(t, "sid", r, [None if s is None else (s[:-1] if i % 2 else s + "7")
                                        for i, s in enumerate(v)])

    def lower(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        return set_values(t, "sid", r, pc.utf8_lower(values_at(t, "sid", r)))

    return [blank("sid"), bad_check, wrong_len,
            replace_with("sid", ["UNKNOWN", "N/A", "MA12AB3456", "000000000", "SID PENDING", "MA"]),
            lower, padded("sid")]


def docket_variants() -> list[Mutator]:
    """The forms systems write docket numbers in, besides the canonical one."""
    def parts(t: pa.Table, r: np.ndarray) -> tuple[pa.Array, pa.Array, pa.Array]:
        v = values_at(t, "docket_number", r)
        return (pc.utf8_slice_codeunits(v, 0, 2), pc.utf8_slice_codeunits(v, 2, 4),
                pc.utf8_slice_codeunits(v, 6, 20))

    def dashes(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        y, c, s = parts(t, r)
        return set_values(t, "docket_number", r,
                          pc.binary_join_element_wise(y, c, pa.scalar("-CR-"), s, pa.scalar("")))

    def spaced(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        y, c, s = parts(t, r)
        s = pc.utf8_ltrim(s, characters="0")
        return set_values(t, "docket_number", r,
                          pc.binary_join_element_wise(y, pa.scalar(" "), c, pa.scalar(" CR "), s,
                                                      pa.scalar("")))

    def lower(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        return set_values(t, "docket_number", r, pc.utf8_lower(values_at(t, "docket_number", r)))

    def unpadded(t: pa.Table, r: np.ndarray, g: np.random.Generator) -> pa.Table:
        y, c, s = parts(t, r)
        return set_values(t, "docket_number", r,
                          pc.binary_join_element_wise(y, c, pa.scalar("CR"), pc.utf8_ltrim(s, characters="0"),
                                                      pa.scalar("")))

    return [dashes, spaced, lower, unpadded, padded("docket_number")]


BAD_DATES = ["00/00/0000", "2019-13-45", "UNKNOWN", "19852301", "31/02/2019", "N/A", "2015-02-30", "??"]
UNKNOWN_CODES = {
    "sex_code": ["X", "Z", "7", "N"],
    "gender_identity_code": ["QQ", "OTHER", "77", "TRANS?"],
    "race_code": ["Z", "MIXED", "8", "MULTI"],
    "ethnicity_code": ["X", "LATINO?", "5", "Q"],
    "custody_status_code": ["99", "XX", "HOLD", "DETAINER"],
}
