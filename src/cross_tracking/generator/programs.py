"""Program enrollments during custody stays."""

from __future__ import annotations

import numpy as np

from . import config as C
from .util import OPEN, stream

PSI_WEIGHTS = np.array([0.30, 0.24, 0.10, 0.22, 0.05, 0.09])


def catalog(seed: int) -> list[list[tuple[str, str, int]]]:
    """Programs offered by each agency: DOC its own list, each county a fixed
    subset of the county list (every area kept), so names differ by agency."""
    rng = stream(seed, "catalog")
    out: list[list[tuple[str, str, int]]] = [list(C.DOC_PROGRAMS)]
    for code in C.COUNTIES:
        keep = [p for p in C.COUNTY_PROGRAMS if rng.random() < 0.75]
        for area in C.PSI_AREAS:  # never leave an area empty
            if not any(p[0] == area for p in keep):
                keep.append(next(p for p in C.COUNTY_PROGRAMS if p[0] == area))
        # a few counties brand a program with their own name
        keep.append(("SUP", f"{code} Reentry Center Support", 90))
        out.append(sorted(keep, key=lambda p: (C.PSI_AREAS.index(p[0]), p[1])))
    return out


def enrollments(seed: int, pl: dict[str, np.ndarray], as_of: int,
                cat: list[list[tuple[str, str, int]]]) -> dict[str, np.ndarray]:
    """Enrollments per placement: more and more often for sentenced stays,
    started inside the stay, ended by completion, another exit, or the stay's end."""
    rng = stream(seed, "programs")
    rel = np.where(pl["rel"] == OPEN, as_of, pl["rel"]).astype(np.int64)
    los = rel - pl["adm"] + 1
    status = pl["status"]
    p = np.where(status == C.PTD, C.PROGRAM_P["PTD"],
                 np.where((status == C.SEN) | (status == C.PV), C.PROGRAM_P["SEN"], C.PROGRAM_P["OTHER"]))
    any_ = (los >= 7) & (rng.random(len(los)) < p)
    n = np.where(any_, 1 + rng.poisson(C.PROGRAM_RATE_PER_YEAR * np.minimum(los, 3650) / 365.0), 0)
    n = np.minimum(n, 14)
    pi = np.repeat(np.arange(len(los)), n)
    j = np.arange(len(pi)) - np.repeat(np.cumsum(n) - n, n)
    adm, span = pl["adm"][pi].astype(np.int64), los[pi]
    # the first program starts in the first weeks; later ones anywhere in the stay
    first_window = np.minimum(span, 45)
    start = adm + np.where(j == 0, (rng.random(len(pi)) * first_window).astype(np.int64),
                           (rng.random(len(pi)) * span).astype(np.int64))
    start = np.minimum(start, rel[pi])
    agency = pl["agency"][pi]
    prog = np.zeros(len(pi), np.int16)
    length = np.zeros(len(pi), np.int64)
    for a in range(len(C.AGENCIES)):
        m = np.flatnonzero(agency == a)
        progs = cat[a]
        area = np.array([C.PSI_AREAS.index(x[0]) for x in progs])
        w = PSI_WEIGHTS[area] / np.bincount(area, minlength=6)[area]
        choice = rng.choice(len(progs), size=len(m), p=w / w.sum())
        prog[m] = choice
        length[m] = np.array([x[2] for x in progs])[choice]
    dur = np.maximum(1, (length * np.exp(0.45 * rng.standard_normal(len(pi)))).astype(np.int64))
    end = start + dur
    exit_ = C.EXIT_REASONS
    reason = rng.choice(len(exit_), size=len(pi), p=C.EXIT_P).astype(np.int8)
    # ended early by a withdrawal or removal: shorter
    early = (reason == exit_.index("WITHDREW")) | (reason == exit_.index("REMOVED"))
    end = np.where(early, start + np.maximum(1, dur // 3), end)
    stay_end = pl["rel"][pi]
    is_open = stay_end == OPEN
    cut = ~is_open & (end >= stay_end)
    rtype = pl["rel_type"][pi]
    reason = np.where(cut, np.where(rtype == C.R_TRANSFER_OUT, exit_.index("TRANSFERRED"),
                                    np.where(rtype == C.R_STATUS_CHANGE, exit_.index("OTHER"),
                                             exit_.index("RELEASED"))), reason)
    end = np.where(cut, stay_end, end)
    ongoing = end > as_of
    reason = np.where(ongoing, 0, reason).astype(np.int8)
    end = np.where(ongoing, -1, end)
    order = np.lexsort((prog, start, pi))
    return {"pl": pi[order], "agency": agency[order], "prog": prog[order], "start": start[order],
            "end": end[order], "exit": reason[order]}
