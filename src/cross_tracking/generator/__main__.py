"""CLI: python -m cross_tracking.generator --out DIR --scale S --seed N --as-of YYYY-MM-DD [--bad-rate R]"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import config as C
from .build import generate
from .util import Progress


def _date(text: str) -> dt.date:
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: give it as YYYY-MM-DD, e.g. 2024-12-31") from None
    if not C.FIRST_SNAPSHOT_YEAR <= d.year <= 2035:
        raise argparse.ArgumentTypeError(f"as-of {text} is out of range: use a date from "
                                         f"{C.FIRST_SNAPSHOT_YEAR}-01-01 to 2035-12-31")
    return d


def _scale(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number: give a scale such as 1 or 0.05") from None
    if not 0.001 <= v <= 20:
        raise argparse.ArgumentTypeError(f"scale {v} is out of range: use 0.001 to 20 (1 = the real state size)")
    return v


def _rate(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number: give a rate such as 0.005 (0 = clean files)") from None
    if not 0 <= v <= 0.2:
        raise argparse.ArgumentTypeError(f"bad-rate {v} is out of range: use 0 (clean) to 0.2")
    return v


def _seed(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an integer seed: give e.g. --seed 42") from None
    if v < 0:
        raise argparse.ArgumentTypeError("the seed must be 0 or a positive integer")
    return v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cross_tracking.generator",
                                 description="Write a synthetic source extract that follows the source contract.")
    ap.add_argument("--out", required=True, type=Path, help="output folder (replaced if it exists)")
    ap.add_argument("--scale", type=_scale, default=1.0, help="1 = state size (default 1)")
    ap.add_argument("--seed", type=_seed, default=42, help="random seed (default 42)")
    ap.add_argument("--as-of", type=_date, default=dt.date(2024, 12, 31), help="last day covered (default 2024-12-31)")
    ap.add_argument("--bad-rate", type=_rate, default=0.005, help="share of bad rows per file (default 0.005)")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    args = ap.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        ap.error(f"--out {args.out} exists and is not a folder: choose a folder path")
    progress = Progress(args.quiet)
    rows = generate(args.out, args.scale, args.seed, args.as_of, args.bad_rate, progress)
    custody = sum(v for k, v in rows.items() if k.startswith("custody/"))
    progress(f"done: {custody:,} custody rows, {sum(rows.values()) - custody:,} court rows in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
