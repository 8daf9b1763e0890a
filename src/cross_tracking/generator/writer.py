"""Vectorised formatting of columns and CSV writing (DuckDB COPY from Arrow)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from .util import OPEN, day

_LO = day(dt.date(1870, 1, 1))
_HI = day(dt.date(2060, 12, 31))
_LOOKUP: dict[str, pa.Array] = {}


def dates(days: np.ndarray, fmt: str) -> pa.Array:
    """Dates as text in a system's format; -1 and OPEN become empty. Uses a
    lookup of every day in range, so formatting is a single take()."""
    if fmt not in _LOOKUP:
        ts = pa.array(np.arange(_LO, _HI + 1, dtype="int64").astype("datetime64[D]").astype("datetime64[s]"))
        _LOOKUP[fmt] = pc.strftime(ts, format=fmt)
    d = np.asarray(days, dtype=np.int64)
    null = (d < _LO) | (d > _HI) | (d == OPEN) | (d == -1)
    idx = pa.array(np.where(null, 0, d - _LO), mask=null)
    return _LOOKUP[fmt].take(idx)


def codes(idx: np.ndarray, table: Sequence[str]) -> pa.Array:
    """Code text from an index into a code table; negative = empty."""
    i = np.asarray(idx, dtype=np.int64)
    vals = pa.array([v if v != "" else None for v in table], pa.string())
    return vals.take(pa.array(np.where(i < 0, 0, i), mask=i < 0))


def ids(prefix: str, seq: np.ndarray, width: int) -> pa.Array:
    s = pc.utf8_lpad(pa.array(np.asarray(seq, dtype=np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), s, pa.scalar("")) if prefix else s


def text(values: Sequence[str], idx: np.ndarray) -> pa.Array:
    return pa.array(list(values), pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def write_csv(table: pa.Table, path: Path, append: bool = False) -> None:
    """Header row, \\n line ends, empty = not recorded. Fields are quoted only
    when some text value of the file may need it (RFC 4180); pyarrow then
    quotes every text field, which is equally valid."""
    path.parent.mkdir(parents=True, exist_ok=True)
    special = any(pc.any(pc.match_substring_regex(table[c], r'[,"\r\n]')).as_py()
                  for c in table.column_names if pa.types.is_string(table.schema.field(c).type))
    with path.open("ab" if append else "wb") as f:
        if not append:
            f.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pcsv.write_csv(table, f, pcsv.WriteOptions(include_header=False,
                                                   quoting_style="needed" if special else "none"))


def write_manifest(root: Path, manifest: dict[str, object]) -> None:
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def staging_dir(out: Path) -> Path:
    """A fresh folder next to the target, so the final swap is a rename on one filesystem."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    return tmp


def publish(tmp: Path, out: Path) -> None:
    """Swap the finished extract into place; an interrupted run leaves the old one intact."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    os.rename(tmp, out)
    if old.exists():
        shutil.rmtree(old)
