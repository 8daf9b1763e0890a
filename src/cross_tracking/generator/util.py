"""Small vectorised helpers: random streams, day arithmetic, sampling."""

from __future__ import annotations

import datetime as dt
import resource
import sys
import time
from collections.abc import Sequence

import numpy as np

from .config import LosMix

EPOCH = dt.date(1970, 1, 1)
OPEN = np.int32(2**31 - 1)  # release date of a placement still open on as_of


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent PCG64 stream per named stage, so adding a draw in one
    stage never shifts the numbers of another."""
    key = [int.from_bytes(name.encode(), "little") % (2**63)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *key])))


def day(d: dt.date) -> int:
    return (d - EPOCH).days


def jan1(year: int) -> int:
    return day(dt.date(year, 1, 1))


def interp_year(table: dict[int, float], years: np.ndarray) -> np.ndarray:
    """Linear interpolation of an anchor table, held flat outside its range."""
    keys = np.array(sorted(table), dtype=float)
    vals = np.array([table[int(k)] for k in keys], dtype=float)
    return np.interp(np.asarray(years, dtype=float), keys, vals)


def year_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def sample_los(rng: np.random.Generator, mix: LosMix, n: int) -> np.ndarray:
    """Length of stay in days (>= 1) from a log-normal mixture."""
    w = np.array([p[0] for p in mix.parts])
    comp = rng.choice(len(w), size=n, p=w / w.sum())
    med = np.array([p[1] for p in mix.parts])[comp]
    sig = np.array([p[2] for p in mix.parts])[comp]
    los = np.exp(np.log(med) + sig * rng.standard_normal(n))
    return np.clip(np.rint(los), 1, mix.max_days).astype(np.int32)


def pick(rng: np.random.Generator, options: Sequence[int], probs: Sequence[float], n: int) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    return np.asarray(options)[rng.choice(len(options), size=n, p=p / p.sum())]


def uniform_int(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Uniform integers in [low, high] elementwise (high >= low)."""
    low = np.asarray(low, dtype=np.int64)
    span = np.asarray(high, dtype=np.int64) - low + 1
    return low + np.floor(rng.random(np.broadcast(low, span).shape) * span).astype(np.int64)


class Progress:
    """Stage lines on stderr with elapsed seconds."""

    def __init__(self, quiet: bool = False) -> None:
        self.t0 = time.perf_counter()
        self.quiet = quiet

    def __call__(self, msg: str) -> None:
        if not self.quiet:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"[generator {time.perf_counter() - self.t0:6.1f}s {rss:6.0f} MB] {msg}", file=sys.stderr, flush=True)
