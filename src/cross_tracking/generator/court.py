"""Court dockets and charges: those behind custody plus arrests that never led to custody."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import config as C
from .custody import K_DOC_SEN, K_HOC_SEN, K_PV
from .util import OPEN, interp_year, jan1, pick, stream, year_of

N_AG = len(C.AGENCIES)
SEVERITY_F = np.array([s.severity == "F" for s in C.STATUTES])
W_HOC = np.array([s.hoc for s in C.STATUTES])
W_DOC = np.array([s.doc for s in C.STATUTES]) * SEVERITY_F  # state prison needs a felony
COMMUNITY = np.array([t in (C.R_EXPIRATION, C.R_PAROLE, C.R_PROBATION, C.R_COURT_ORDER, C.R_BAIL)
                      for t in range(len(C.RELEASE_TYPES))])


def _statute(rng: np.random.Generator, w: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(len(w), size=n, p=w / w.sum()).astype(np.int16)


def _district(rng: np.random.Generator, home: np.ndarray) -> np.ndarray:
    """A district court code (as int) in the person's home county."""
    out = np.zeros(len(home), np.int16)
    for a, code in enumerate(C.AGENCIES):
        if a == C.DOC:
            continue
        m = np.flatnonzero(home == a)
        opts = np.array([int(c) for c in C.DISTRICT_COURTS[code]])
        # the first court of a county is its busiest
        w = np.linspace(2.0, 1.0, len(opts))
        out[m] = opts[rng.choice(len(opts), size=len(m), p=w / w.sum())]
    return out


class Court:
    """Accumulates dockets and charges, then numbers the dockets."""

    def __init__(self, seed: int, as_of: int) -> None:
        self.seed, self.as_of = seed, as_of
        self.d: dict[str, list[np.ndarray]] = {}
        self.c: dict[str, list[np.ndarray]] = {}
        self.n_dockets = 0

    def _add(self, store: dict[str, list[np.ndarray]], **cols: np.ndarray) -> None:
        for k, v in cols.items():
            store.setdefault(k, []).append(np.asarray(v))

    def custody_dockets(self, ep: dict[str, np.ndarray], person: np.ndarray) -> dict[str, np.ndarray]:
        """Dockets and custody charges of every episode (parole violators reuse
        the dockets of the sentence they violated). Returns the per-episode
        CSR index of custody charges: start, count, and per charge its docket
        index, charge number, statute and whether it is the lead charge."""
        rng = stream(self.seed, "court_custody")
        n = len(ep["kind"])
        own = ep["kind"] != K_PV
        idx = np.flatnonzero(own)
        m = len(idx)
        k = rng.choice(5, size=m, p=(0.04, 0.08, 0.15, 0.28, 0.45)) + 1  # custody charges per episode
        nd = np.minimum(pick(rng, (1, 2, 3), (0.68, 0.26, 0.06), m), k)
        # dockets of the episodes
        d_ep = np.repeat(idx, nd)
        d_first = np.repeat(np.cumsum(nd) - nd, nd)
        d_pos = np.arange(len(d_ep)) - d_first
        d_home = ep["home"][d_ep]
        court = _district(rng, d_home)
        superior = (ep["kind"][d_ep] == K_DOC_SEN) & (d_pos == 0)
        sup_code = np.array([0] + [int(C.SUPERIOR_COURT[c]) for c in C.COUNTIES])[d_home]
        sup_code = np.where((d_home == C.AGENCIES.index("BAR")) & (rng.random(len(d_ep)) < 0.08),
                            int(C.NANTUCKET_SUPERIOR), sup_code)
        court = np.where(superior, sup_code, court).astype(np.int16)
        filing = ep["start"][d_ep].astype(np.int64) - rng.integers(0, 3, len(d_ep)) * (d_pos == 0) \
            - rng.integers(0, 40, len(d_ep)) * (d_pos > 0)
        d_id = self.n_dockets + np.arange(len(d_ep))
        self.n_dockets += len(d_ep)
        self._add(self.d, did=d_id, court=court, filing=filing, person=person[d_ep])
        # custody charges: charge j of an episode goes on docket j mod nd
        c_ep_local = np.repeat(np.arange(m), k)
        j = np.arange(len(c_ep_local)) - np.repeat(np.cumsum(k) - k, k)
        c_dpos = j % nd[c_ep_local]
        c_num = j // nd[c_ep_local] + 1
        c_did = (d_id[0] + np.repeat(np.cumsum(nd) - nd, k) + c_dpos)
        kind = ep["kind"][idx][c_ep_local]
        lead = j == 0
        stat = np.where(lead & (kind == K_DOC_SEN), _statute(rng, W_DOC, len(j)), _statute(rng, W_HOC, len(j)))
        # outcomes consistent with custody
        sent_day = ep["sent_day"][idx][c_ep_local].astype(np.int64)
        sentenced = ((kind == K_DOC_SEN) | (kind == K_HOC_SEN)) & (sent_day >= 0)
        concurrent = lead | (rng.random(len(j)) < 0.55)
        disp = np.full(len(j), C.D_PENDING, np.int8)
        sent = np.full(len(j), C.S_NONE, np.int8)
        ddate = np.full(len(j), -1, np.int64)
        conv = sentenced & concurrent
        disp[conv] = np.where(rng.random(conv.sum()) < 0.82, C.D_PLEA, C.D_GUILTY)
        sent[conv] = np.where(kind[conv] == K_DOC_SEN, C.S_DOC, C.S_HOC)
        drop = sentenced & ~concurrent
        disp[drop] = pick(rng, (C.D_DISMISSED, C.D_NOLLE), (0.65, 0.35), int(drop.sum()))
        ddate[sentenced] = sent_day[sentenced]
        # charges of people never sentenced in this episode: decided after release, if at all
        other = ~sentenced
        end = ep["end"][idx][c_ep_local].astype(np.int64)
        decided = other & (end != OPEN) & (rng.random(len(j)) < 0.93)
        dd = end + rng.integers(0, 240, len(j))
        decided &= dd <= self.as_of
        self._nonincarcerating(rng, decided, disp, sent)
        ddate[decided] = dd[decided]
        filing_of = self.d["filing"][-1]
        c_file = filing_of[c_did - d_id[0]]
        self._charges(rng, c_did, c_num, stat, disp, sent, ddate, c_file)
        # extra charges filed on the same dockets that never held anyone
        extra = rng.poisson(0.55, len(d_ep))
        e_did = np.repeat(d_id, extra)
        e_local = e_did - d_id[0]
        n_cust = np.bincount(c_did - d_id[0], minlength=len(d_ep))
        e_num = n_cust[e_local] + 1 + (np.arange(len(e_did)) - np.repeat(np.cumsum(extra) - extra, extra))
        e_stat = _statute(rng, W_HOC, len(e_did))
        e_disp = pick(rng, (C.D_DISMISSED, C.D_NOLLE, C.D_CWOF, C.D_PLEA), (0.45, 0.2, 0.15, 0.2), len(e_did))
        e_sent = np.where(e_disp == C.D_PLEA, pick(rng, (C.S_FINE, C.S_PROBATION, C.S_SUSPENDED), (.4, .4, .2),
                                                    len(e_did)), C.S_NONE)
        e_date = filing_of[e_local] + rng.integers(20, 400, len(e_did))
        pend = e_date > self.as_of
        e_disp[pend], e_sent[pend], e_date[pend] = C.D_PENDING, C.S_NONE, -1
        self._charges(rng, e_did, e_num, e_stat, e_disp, e_sent, e_date, filing_of[e_local])
        # CSR map episode -> custody charges (PV episodes point at their predecessor's)
        ch_start = np.zeros(n, np.int64)
        ch_count = np.zeros(n, np.int64)
        ch_start[idx] = np.cumsum(k) - k
        ch_count[idx] = k
        pv = np.flatnonzero(~own)
        ch_start[pv] = ch_start[ep["pred"][pv]]
        ch_count[pv] = ch_count[ep["pred"][pv]]
        return {"start": ch_start, "count": ch_count, "did": c_did, "num": c_num, "stat": stat,
                "lead": lead, "incarc": conv}

    def _nonincarcerating(self, rng: np.random.Generator, m: np.ndarray, disp: np.ndarray,
                          sent: np.ndarray) -> None:
        cnt = int(m.sum())
        disp[m] = pick(rng, (C.D_DISMISSED, C.D_NOLLE, C.D_CWOF, C.D_PLEA, C.D_GUILTY, C.D_NOT_GUILTY),
                       (0.32, 0.12, 0.18, 0.28, 0.04, 0.06), cnt)
        guilty = m & ((disp == C.D_PLEA) | (disp == C.D_GUILTY))
        sent[guilty] = pick(rng, (C.S_PROBATION, C.S_FINE, C.S_SUSPENDED), (0.55, 0.25, 0.2), int(guilty.sum()))

    def _charges(self, rng: np.random.Generator, did: np.ndarray, num: np.ndarray, stat: np.ndarray,
                 disp: np.ndarray, sent: np.ndarray, ddate: np.ndarray, filing: np.ndarray) -> None:
        n = len(did)
        offense = filing - np.where(rng.random(n) < 0.7, rng.integers(0, 2, n), rng.integers(2, 120, n))
        arraign = filing + (rng.random(n) < 0.15)
        self._add(self.c, did=did, num=num, stat=stat, offense=offense, arraign=arraign, disp=disp,
                  sent=sent, ddate=ddate)

    def court_only(self, ep: dict[str, np.ndarray], person: np.ndarray, n_people: int, scale: float,
                   first_year: int, last_year: int) -> int:
        """Arrests without custody: re-arrests of released people and people never held.
        Returns the number of extra (court-only) people created."""
        rng = stream(self.seed, "court_only")
        rel = np.flatnonzero((ep["end"] != OPEN) & COMMUNITY[ep["end_type"]]
                             & (rng.random(len(ep["end"])) < C.REARREST_P))
        day = ep["end"][rel].astype(np.int64) + 1 + rng.exponential(C.REARREST_TAU_DAYS, len(rel)).astype(np.int64)
        keep = day <= self.as_of
        rel, day = rel[keep], day[keep]
        # people never in custody
        lo, hi = jan1(max(first_year, C.COURT_ONLY_START_YEAR)), self.as_of
        n_new = int(rng.poisson(C.COURT_ONLY_PER_YEAR * scale * max(hi - lo + 1, 0) / 365.25))
        new_day = rng.integers(lo, hi + 1, n_new)
        new_person = n_people + np.arange(n_new)
        p = np.concatenate([person[rel], new_person])
        f = np.concatenate([day, new_day])
        home = np.concatenate([ep["home"][rel], rng.choice(np.arange(1, N_AG), size=n_new)]).astype(np.int8)
        m = len(p)
        did = self.n_dockets + np.arange(m)
        self.n_dockets += m
        self._add(self.d, did=did, court=_district(rng, home), filing=f, person=p)
        k = pick(rng, (1, 2, 3, 4), (0.45, 0.3, 0.17, 0.08), m)
        c_did = np.repeat(did, k)
        c_num = np.arange(len(c_did)) - np.repeat(np.cumsum(k) - k, k) + 1
        disp = np.zeros(len(c_did), np.int8)
        sent = np.zeros(len(c_did), np.int8)
        self._nonincarcerating(rng, np.ones(len(c_did), bool), disp, sent)
        ddate = np.repeat(f, k) + rng.integers(15, 420, len(c_did))
        pend = ddate > self.as_of
        disp[pend], sent[pend], ddate[pend] = C.D_PENDING, C.S_NONE, -1
        self._charges(rng, c_did, c_num, _statute(rng, W_HOC, len(c_did)), disp, sent, ddate, np.repeat(f, k))
        return n_new

    def finish(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], pa.Array]:
        """Number the dockets: per (year, court), in filing order. Returns docket
        and charge columns and the canonical docket string of every docket id."""
        rng = stream(self.seed, "court_numbers")
        d = {k: np.concatenate(v) for k, v in self.d.items()}
        c = {k: np.concatenate(v) for k, v in self.c.items()}
        yy = year_of(d["filing"]) % 100
        group = yy * 100 + d["court"]
        order = np.lexsort((d["did"], d["filing"], group))
        g_sorted = group[order]
        first = np.r_[True, g_sorted[1:] != g_sorted[:-1]]
        grp_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
        rank = np.arange(len(order)) - grp_start
        offset = rng.integers(1, 40, len(order))[grp_start]  # courts do not start at 1 every year
        superior = (d["court"] >= 72) & (d["court"] <= 85)
        seq = np.zeros(len(order), np.int64)
        seq[order] = rank + offset
        width = np.where(superior, 5, 6)
        seq = np.minimum(seq, np.where(superior, 99999, 999999))
        docket = _format_docket(yy, d["court"], seq, width)
        ids = np.argsort(d["did"])
        d = {k: v[ids] for k, v in d.items()}
        docket = docket.take(pa.array(ids))
        sid_p = interp_year(C.COURT_SID_BY_YEAR, year_of(d["filing"]))
        d["has_sid"] = rng.random(len(ids)) < sid_p
        return d, c, docket


def _format_docket(yy: np.ndarray, court: np.ndarray, seq: np.ndarray, width: np.ndarray) -> pa.Array:
    y = pc.utf8_lpad(pa.array(yy).cast(pa.string()), 2, "0")
    ct = pc.utf8_lpad(pa.array(court.astype(np.int64)).cast(pa.string()), 2, "0")
    s6 = pc.utf8_lpad(pa.array(seq).cast(pa.string()), 6, "0")
    s5 = pc.utf8_lpad(pa.array(seq).cast(pa.string()), 5, "0")
    s = pc.if_else(pa.array(width == 5), s5, s6)
    return pc.binary_join_element_wise(y, ct, pa.scalar("CR"), s, pa.scalar(""))
