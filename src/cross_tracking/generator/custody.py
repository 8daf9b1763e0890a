"""Custody flows: admissions per year x length of stay, chained into placements.

The population on each January 1 is never drawn directly. Each kind of custody
episode (a DOC commitment, a house-of-correction sentence, a pretrial hold...)
gets a yearly admission rate solved by least squares so that the expected
January-1 stock (rate x survival of the length-of-stay distribution) matches the
calibration target, after subtracting the stock that earlier-simulated kinds
already put there (e.g. the county pretrial time of people bound for DOC).
Episodes are then drawn as flows and cut into placements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import config as C
from .util import OPEN, interp_year, jan1, pick, sample_los, stream, uniform_int

# Episode kinds
K_DOC_SEN, K_HOC_SEN, K_PTD, K_DOC_PTD, K_PV, K_HOLD = range(6)
N_AG = len(C.AGENCIES)
APR1_2020 = jan1(2020) + 91
DEC31_2020 = jan1(2021) - 1


@dataclass
class Segments:
    """Column store of placements while they are being built."""
    cols: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, ep: np.ndarray, agency: np.ndarray | int, adm: np.ndarray, rel: np.ndarray,
            status: np.ndarray | int, adm_type: np.ndarray | int, rel_type: np.ndarray | int) -> None:
        n = len(ep)
        if n == 0:
            return
        for name, val, dtype in (("ep", ep, np.int64), ("agency", agency, np.int8), ("adm", adm, np.int32),
                                 ("rel", rel, np.int32), ("status", status, np.int8),
                                 ("adm_type", adm_type, np.int8), ("rel_type", rel_type, np.int8)):
            self.cols.setdefault(name, []).append(np.broadcast_to(np.asarray(val, dtype=dtype), (n,)).copy())

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate(v) for k, v in self.cols.items()}


@dataclass
class Episodes:
    """One row per custody episode (a continuous spell, possibly over agencies)."""
    kind: list[np.ndarray] = field(default_factory=list)
    home: list[np.ndarray] = field(default_factory=list)      # county agency index (court venue)
    start: list[np.ndarray] = field(default_factory=list)
    end: list[np.ndarray] = field(default_factory=list)
    end_type: list[np.ndarray] = field(default_factory=list)
    sent_day: list[np.ndarray] = field(default_factory=list)  # sentencing day, -1 if none
    pred: list[np.ndarray] = field(default_factory=list)      # forced predecessor (parole violations)
    count: int = 0

    def new(self, kind: int, home: np.ndarray, start: np.ndarray, end: np.ndarray, end_type: np.ndarray,
            sent_day: np.ndarray, pred: np.ndarray | None = None) -> np.ndarray:
        n = len(start)
        ids = np.arange(self.count, self.count + n, dtype=np.int64)
        self.count += n
        self.kind.append(np.full(n, kind, np.int8))
        self.home.append(np.asarray(home, np.int8))
        self.start.append(np.asarray(start, np.int32))
        self.end.append(np.asarray(end, np.int32))
        self.end_type.append(np.asarray(end_type, np.int8))
        self.sent_day.append(np.asarray(sent_day, np.int32))
        self.pred.append(np.full(n, -1, np.int64) if pred is None else np.asarray(pred, np.int64))
        return ids

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate(getattr(self, k)) for k in
                ("kind", "home", "start", "end", "end_type", "sent_day", "pred")}


class Flow:
    """Runs the staged simulation and keeps every placement and episode."""

    def __init__(self, seed: int, scale: float, as_of: dt.date) -> None:
        self.seed, self.scale = seed, scale
        self.as_of = (as_of - dt.date(1970, 1, 1)).days
        self.last_year = as_of.year
        self.years = np.arange(C.HISTORY_START_YEAR, self.last_year + 1)
        self.snap_days = np.array([jan1(int(y)) for y in self.years], dtype=np.int64)
        self.seg = Segments()
        self.ep = Episodes()
        self._kernels: dict[tuple[int, str], np.ndarray] = {}

    # ----- targets -----------------------------------------------------------
    def targets(self) -> dict[tuple[int, int], np.ndarray]:
        """Expected Jan-1 stock per (agency, status) and year, at this scale."""
        y = self.years
        out: dict[tuple[int, int], np.ndarray] = {}
        doc = interp_year(C.DOC_TOTAL, y)
        cohort = doc * C.DOC_COHORT_SHARE
        out[(C.DOC, C.PTD)] = cohort * C.DOC_PRETRIAL_SHARE
        out[(C.DOC, C.SEN)] = cohort * (1 - C.DOC_PRETRIAL_SHARE)
        out[(C.DOC, C.CIV)] = doc * C.DOC_CIVIL_SHARE
        out[(C.DOC, C.ISC)] = doc * C.ISC_SHARE
        state = interp_year(C.COUNTY_TOTAL, y)
        total_2018 = sum(v[0] for v in C.COUNTY_2018.values())
        shift = interp_year(C.PRETRIAL_SHIFT, y)
        for a, code in enumerate(C.AGENCIES):
            if a == C.DOC:
                continue
            tot, _hoc, jail = C.COUNTY_2018[code]
            total = state * tot / total_2018
            fed = np.zeros(len(y))
            if code in C.FEDERAL:
                fed = np.minimum(interp_year(C.FEDERAL[code], y), 0.6 * total)
            rest = total - fed - total * (C.ISC_SHARE + C.SK_SHARE + C.COUNTY_CIVIL_SHARE)
            fed18 = float(interp_year(C.FEDERAL.get(code, {2018: 0.0}), np.array([2018]))[0])
            base = C.DUKES_PRETRIAL_SHARE if jail == 0 else (jail - fed18) / (tot - fed18)
            ps = np.clip(base + shift, 0.05, 0.85)
            out[(a, C.PTD)] = rest * ps
            out[(a, C.SEN)] = rest * (1 - ps)
            out[(a, C.FED)] = fed
            out[(a, C.ISC)] = total * C.ISC_SHARE
            out[(a, C.SK)] = total * C.SK_SHARE
            out[(a, C.CIV)] = total * C.COUNTY_CIVIL_SHARE
        return {k: v * self.scale for k, v in out.items()}

    # ----- stock accounting -------------------------------------------------
    def stock(self) -> np.ndarray:
        """Jan-1 counts [year, agency, status] of the placements built so far."""
        out = np.zeros((len(self.years), N_AG, len(C.STATUSES)))
        if not self.seg.cols:
            return out
        s = self.seg.arrays()
        key = s["agency"].astype(np.int64) * len(C.STATUSES) + s["status"]
        for i, d in enumerate(self.snap_days):
            m = (s["adm"] <= d) & (s["rel"] >= d)
            out[i] = np.bincount(key[m], minlength=N_AG * len(C.STATUSES)).reshape(N_AG, -1)
        return out

    # ----- rate solving -----------------------------------------------------
    def _kernel(self, mix: C.LosMix, covid: float) -> np.ndarray:
        """K[Y, y]: expected Jan-1 stock in snapshot year Y per unit daily admission rate in year y."""
        key = (id(mix), f"{covid}")
        if key in self._kernels:
            return self._kernels[key]
        rng = stream(self.seed, f"kernel{C.LosMix.__name__}")
        los = np.sort(sample_los(rng, mix, 200_000))
        horizon = int(self.snap_days[-1] - self.snap_days[0] + 800)
        u = np.arange(horizon)
        surv = 1.0 - np.searchsorted(los, u, side="right") / len(los)  # P(in custody u days after admission)
        cs = np.concatenate([[0.0], np.cumsum(surv)])

        def block(d: int, lo_day: int, hi_day: int) -> float:  # admissions on days [lo_day, hi_day]
            hi_day = min(hi_day, d)
            if hi_day < lo_day:
                return 0.0
            return float(cs[d - lo_day + 1] - cs[d - hi_day])

        n = len(self.years)
        k = np.zeros((n, n))
        for i, d in enumerate(self.snap_days):
            for j in range(i):
                a, b = int(self.snap_days[j]), int(self.snap_days[j + 1] - 1)
                if d >= jan1(2021) and covid > 0 and a < APR1_2020:
                    pre = block(int(d), a, min(b, APR1_2020 - 1))
                    post = block(int(d), max(a, APR1_2020), b) if b >= APR1_2020 else 0.0
                    k[i, j] = (1 - covid) * pre + post
                else:
                    k[i, j] = block(int(d), a, b)
        self._kernels[key] = k
        return k

    def solve(self, target: np.ndarray, mix: C.LosMix, covid: float) -> np.ndarray:
        """Daily admission rate per year that best reproduces the Jan-1 target."""
        k = self._kernel(mix, covid)
        n = len(self.years)
        mean_los = max(float(np.mean(sample_los(stream(self.seed, "meanlos"), mix, 50_000))), 1.0)
        ref = max(float(np.mean(target)), 1e-6) / mean_los
        rows, rhs = [], []
        tscale = max(float(np.mean(target)), 1e-6)
        for i in range(1, n):
            w = 1.0 if self.years[i] >= 2008 else 0.25
            rows.append(w * k[i, : n - 1] * ref / tscale)
            rhs.append(w * target[i] / tscale)
        lam = 0.15
        for j in range(n - 2):
            if self.years[j + 1] in (2020, 2021):
                continue  # allow the admission drop of the pandemic
            r = np.zeros(n - 1)
            r[j], r[j + 1] = -lam, lam
            rows.append(r)
            rhs.append(0.0)
        x = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)[0]
        x = np.clip(x, 0.03, None)
        rate = np.append(x, x[-1]) * ref  # the last year's admissions only matter after the last snapshot
        return rate

    def draw_days(self, rng: np.random.Generator, rate: np.ndarray) -> np.ndarray:
        """Admission days from yearly daily rates (Poisson counts, uniform days)."""
        out = []
        for i, y in enumerate(self.years):
            a = int(self.snap_days[i])
            b = min(jan1(int(y) + 1) - 1, self.as_of)
            if b < a:
                continue
            n = rng.poisson(max(rate[i], 0.0) * (b - a + 1))
            out.append(rng.integers(a, b + 1, size=n))
        return np.sort(np.concatenate(out)).astype(np.int64) if out else np.zeros(0, np.int64)

    def covid(self, rng: np.random.Generator, adm: np.ndarray, rel: np.ndarray, r: float) -> np.ndarray:
        """Early releases of spring 2020; returns a mask of people released early (rel modified)."""
        m = (adm < APR1_2020) & (rel >= APR1_2020) & (rng.random(len(adm)) < r)
        rel[m] = uniform_int(rng, np.full(m.sum(), APR1_2020), np.minimum(rel[m], DEC31_2020))
        return m

    # ----- episode kinds ----------------------------------------------------
    def county_weights(self) -> np.ndarray:
        w = np.array([0.0] + [C.COUNTY_2018[c][0] for c in C.COUNTIES])
        return w / w.sum()

    def doc_sentences(self, target: np.ndarray) -> None:
        rng = stream(self.seed, "doc_sen")
        T = self.draw_days(rng, self.solve(target, C.LOS_DOC_SEN, C.COVID_RELEASE["DOC_SEN"]))
        n = len(T)
        L = sample_los(rng, C.LOS_DOC_SEN, n)
        R = T + L - 1
        rtype = pick(rng, *C.REL_DOC_SEN, n)
        early = self.covid(rng, T, R, C.COVID_RELEASE["DOC_SEN"])
        rtype[early] = pick(rng, (C.R_PAROLE, C.R_COURT_ORDER), (0.6, 0.4), int(early.sum()))
        home = rng.choice(N_AG, size=n, p=self.county_weights())
        path = rng.choice(3, size=n, p=C.DOC_PATH_P)
        P = sample_los(rng, C.LOS_PTD_TO_DOC, n)
        s = rng.integers(0, 11, size=n)
        start = np.where(path == 0, T - s - P, np.where(path == 1, T - P, T))
        sent = np.where(path == 0, T - s, T)
        ep = self.ep.new(K_DOC_SEN, home, start, R, rtype, sent)
        m0, m1 = path == 0, path == 1
        self.seg.add(ep[m0], home[m0], (T - s - P)[m0], (T - s)[m0], C.PTD, C.A_NEW, C.R_STATUS_CHANGE)
        self.seg.add(ep[m0], home[m0], (T - s)[m0], T[m0], C.SEN, C.A_STATUS_CHANGE, C.R_TRANSFER_OUT)
        self.seg.add(ep[m1], home[m1], (T - P)[m1], T[m1], C.PTD, C.A_NEW, C.R_TRANSFER_OUT)
        first_type = np.where(path == 2, C.A_NEW, C.A_TRANSFER_IN)
        self._doc_stay(rng, ep, home, T, R, rtype, first_type, C.SEN)

    def _doc_stay(self, rng: np.random.Generator, ep: np.ndarray, home: np.ndarray, T: np.ndarray,
                  R: np.ndarray, rtype: np.ndarray, first_type: np.ndarray, status: int) -> None:
        """The DOC part of a sentence, with occasional boarding at a county HOC
        and occasional escape/court-return interruptions."""
        n = len(T)
        L = R - T + 1
        board = (rng.random(n) < C.BOARD_AT_COUNTY_P) & (L > 150)
        ret = ~board & (rng.random(n) < C.RETURN_P) & (L > 60)
        plain = ~board & ~ret
        self.seg.add(ep[plain], C.DOC, T[plain], R[plain], status, first_type[plain], rtype[plain])
        # boarded at a county house of correction, usually back to DOC later
        b = uniform_int(rng, T + 30, R - 60)
        d = rng.integers(60, 420, size=n)
        board_county = np.where(rng.random(n) < 0.5, home, rng.choice(N_AG, size=n, p=self.county_weights()))
        back = board & (b + d < R - 1)
        stay = board & ~back
        self.seg.add(ep[board], C.DOC, T[board], b[board], status, first_type[board], C.R_TRANSFER_OUT)
        self.seg.add(ep[back], board_county[back], b[back], (b + d)[back], C.SEN, C.A_TRANSFER_IN,
                     C.R_TRANSFER_OUT)
        self.seg.add(ep[back], C.DOC, (b + d)[back], R[back], status, C.A_TRANSFER_IN, rtype[back])
        self.seg.add(ep[stay], board_county[stay], b[stay], R[stay], C.SEN, C.A_TRANSFER_IN, rtype[stay])
        # escape or court return: out for a few days, then a RETURN placement
        e = uniform_int(rng, T + 10, R - 30)
        g = rng.integers(1, 46, size=n)
        self.seg.add(ep[ret], C.DOC, T[ret], e[ret], status, first_type[ret], C.R_OTHER)
        self.seg.add(ep[ret], C.DOC, (e + g)[ret], (R + g)[ret], status, C.A_RETURN, rtype[ret])

    def hoc_sentences(self, agency: int, target: np.ndarray) -> None:
        rng = stream(self.seed, f"hoc_sen{agency}")
        T = self.draw_days(rng, self.solve(target, C.LOS_HOC_SEN, C.COVID_RELEASE["HOC_SEN"]))
        n = len(T)
        R = T + sample_los(rng, C.LOS_HOC_SEN, n) - 1
        rtype = pick(rng, *C.REL_HOC_SEN, n)
        early = self.covid(rng, T, R, C.COVID_RELEASE["HOC_SEN"])
        rtype[early] = pick(rng, (C.R_PAROLE, C.R_COURT_ORDER, C.R_PROBATION), (0.4, 0.4, 0.2), int(early.sum()))
        via = rng.random(n) < C.HOC_VIA_PRETRIAL_P
        P = sample_los(rng, C.LOS_PTD, n)
        start = np.where(via, T - P, T)
        home = np.full(n, agency, np.int8)
        ep = self.ep.new(K_HOC_SEN, home, start, R, rtype, T)
        self.seg.add(ep[via], agency, (T - P)[via], T[via], C.PTD, C.A_NEW, C.R_STATUS_CHANGE)
        ret = (rng.random(n) < C.RETURN_P) & (R - T > 60)
        e = uniform_int(rng, T + 5, R - 20)
        g = rng.integers(1, 31, size=n)
        first = np.where(via, C.A_STATUS_CHANGE, C.A_NEW)
        self.seg.add(ep[~ret], agency, T[~ret], R[~ret], C.SEN, first[~ret], rtype[~ret])
        self.seg.add(ep[ret], agency, T[ret], e[ret], C.SEN, first[ret], C.R_OTHER)
        self.seg.add(ep[ret], agency, (e + g)[ret], (R + g)[ret], C.SEN, C.A_RETURN, rtype[ret])

    def parole_violations(self) -> None:
        """Some people released on parole come back as parole violators."""
        e = self.ep.arrays()
        rng = stream(self.seed, "pv")
        is_doc = e["kind"] == K_DOC_SEN
        p = np.where(is_doc, C.PAROLE_VIOLATION_P["DOC"], C.PAROLE_VIOLATION_P["HOC"])
        cand = ((e["kind"] == K_DOC_SEN) | (e["kind"] == K_HOC_SEN)) & (e["end_type"] == C.R_PAROLE) \
            & (e["end"] < self.as_of) & (rng.random(len(p)) < p)
        idx = np.flatnonzero(cand)
        T = e["end"][idx].astype(np.int64) + 30 + rng.exponential(300, len(idx)).astype(np.int64)
        keep = T <= self.as_of
        idx, T = idx[keep], T[keep]
        n = len(idx)
        home = e["home"][idx]
        agency = np.where(is_doc[idx] & (rng.random(n) >= C.PV_AT_COUNTY_P), C.DOC, home).astype(np.int8)
        R = T + sample_los(rng, C.LOS_PV, n) - 1
        rtype = pick(rng, *C.REL_PV, n)
        ep = self.ep.new(K_PV, home, T, R, rtype, np.full(n, -1), pred=idx)
        self.seg.add(ep, agency, T, R, C.PV, C.A_PV, rtype)

    def short_stays(self, kind: int, agency: int, status: int, target: np.ndarray, mix: C.LosMix,
                    rel: tuple[tuple[int, ...], tuple[float, ...]], covid: float) -> None:
        """Single-placement episodes: pretrial holds, civil, federal, ISC, safe keep."""
        rng = stream(self.seed, f"short{kind}-{agency}-{status}")
        T = self.draw_days(rng, self.solve(target, mix, covid))
        n = len(T)
        R = T + sample_los(rng, mix, n) - 1
        rtype = pick(rng, *rel, n)
        early = self.covid(rng, T, R, covid)
        rtype[early] = C.R_COURT_ORDER
        home = np.full(n, agency, np.int8) if agency != C.DOC else \
            rng.choice(N_AG, size=n, p=self.county_weights()).astype(np.int8)
        ep = self.ep.new(kind, home, T, R, rtype, np.full(n, -1))
        self.seg.add(ep, agency, T, R, status, C.A_NEW, rtype)

    # ----- orchestration ----------------------------------------------------
    def run(self, progress: Callable[[str], None]) -> None:
        tg = self.targets()
        self.doc_sentences(tg[(C.DOC, C.SEN)])
        progress(f"  DOC commitments: {self.ep.count:,} episodes")
        st = self.stock()
        for a in range(1, N_AG):
            have = st[:, a, C.SEN] + st[:, a, C.PV]
            self.hoc_sentences(a, np.clip(tg[(a, C.SEN)] * 0.97 - have, 0.05 * tg[(a, C.SEN)], None))
        self.parole_violations()
        progress(f"  house-of-correction sentences and parole violations: {self.ep.count:,} episodes")
        st = self.stock()
        for a in range(N_AG):
            have = st[:, a, C.PTD]
            kind = K_DOC_PTD if a == C.DOC else K_PTD
            self.short_stays(kind, a, C.PTD, np.clip(tg[(a, C.PTD)] - have, 0.05 * tg[(a, C.PTD)], None),
                             C.LOS_PTD, C.REL_PTD, C.COVID_RELEASE["PTD"])
        for (a, status), t in sorted(tg.items()):
            if status in (C.CIV, C.FED, C.ISC, C.SK) and t.max() > 0:
                mix = C.LOS_CIV_DOC if (a == C.DOC and status == C.CIV) else C.LOS_SHORT_HOLD
                self.short_stays(K_HOLD, a, status, t, mix, C.REL_HOLD, 0.0)
        progress(f"  pretrial and other holds: {self.ep.count:,} episodes")

    def placements(self) -> dict[str, np.ndarray]:
        """Final placements: nothing after as_of; stays running past as_of are open."""
        s = self.seg.arrays()
        keep = s["adm"] <= self.as_of
        s = {k: v[keep] for k, v in s.items()}
        open_ = s["rel"] > self.as_of
        s["rel"] = np.where(open_, OPEN, s["rel"]).astype(np.int32)
        s["rel_type"] = np.where(open_, C.R_NONE, s["rel_type"]).astype(np.int8)
        order = np.lexsort((s["adm"], s["ep"]))
        return {k: v[order] for k, v in s.items()}

    def episodes(self) -> dict[str, np.ndarray]:
        e = self.ep.arrays()
        open_ = e["end"] > self.as_of
        e["end"] = np.where(open_, OPEN, e["end"]).astype(np.int32)
        e["end_type"] = np.where(open_, C.R_NONE, e["end_type"]).astype(np.int8)
        e["sent_day"] = np.where(e["sent_day"] > self.as_of, -1, e["sent_day"]).astype(np.int32)
        return e
