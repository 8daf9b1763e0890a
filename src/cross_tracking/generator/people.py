"""True identities, recidivism links between episodes, and agency person records."""

from __future__ import annotations

import numpy as np

from . import config as C
from .custody import K_DOC_PTD, K_DOC_SEN, K_HOC_SEN, K_HOLD, K_PV
from .util import OPEN, interp_year, pick, stream, year_of

N_AG = len(C.AGENCIES)


def link_episodes(seed: int, ep: dict[str, np.ndarray]) -> np.ndarray:
    """Person index of every episode.

    A share of episodes belongs to someone released earlier in the same county.
    Predecessors are drawn quarter by quarter without replacement, weighted
    towards recent releases (Gumbel top-k), so returns cluster in the first
    years after release as observed recidivism does. Returns that end in a
    sentence draw first, and favour people whose earlier custody also ended a
    sentence (C.SENTENCED_RETURN_AFFINITY): a criminal record makes a new
    sentence likelier, and the people released from a sentence come back to
    one about as often as the DOC reports (domain facts, section 4). Only who
    returns changes, not the episodes, so the January-1 stocks stay put.
    """
    rng = stream(seed, "link")
    n = len(ep["kind"])
    pred = ep["pred"].copy()
    p_rep = np.where((ep["kind"] == K_DOC_SEN) | (ep["kind"] == K_DOC_PTD), C.REPEAT_P_DOC, C.REPEAT_P_COUNTY)
    p_rep = np.where(ep["kind"] == K_HOLD, 0.15, p_rep)
    wants = (pred < 0) & (rng.random(n) < p_rep)
    usable = (ep["end"] != OPEN) & (ep["end_type"] != C.R_DEATH)
    usable[pred[pred >= 0]] = False  # already continued by a parole violation
    sentence_kinds = [K_DOC_SEN, K_HOC_SEN, K_PV]
    ends_sentence = np.isin(ep["kind"], sentence_kinds)
    is_sentence_return = np.isin(ep["kind"], [K_DOC_SEN, K_HOC_SEN])
    affinity = np.log(C.SENTENCED_RETURN_AFFINITY)
    quarter = 91
    day0 = int(ep["start"].min())
    for county in range(1, N_AG):
        pool = np.flatnonzero(usable & (ep["home"] == county))
        pool = pool[np.argsort(ep["end"][pool], kind="stable")]
        pool_end = ep["end"][pool].astype(np.int64)
        avail = np.ones(len(pool), bool)
        succ = np.flatnonzero(wants & (ep["home"] == county))
        succ = succ[np.argsort(ep["start"][succ], kind="stable")]
        block = (ep["start"][succ].astype(np.int64) - day0) // quarter
        bounds = np.flatnonzero(np.diff(block)) + 1
        for grp in np.split(np.arange(len(succ)), bounds):
            if len(grp) == 0:
                continue
            b_start = day0 + int(block[grp[0]]) * quarter
            lo = np.searchsorted(pool_end, b_start - 8 * 365)
            hi = np.searchsorted(pool_end, b_start)  # released before the quarter begins
            # sentence returns first, with their preference; then the others
            grp_succ = succ[grp]
            for first in (True, False):
                group = grp_succ[is_sentence_return[grp_succ] == first]
                cand = lo + np.flatnonzero(avail[lo:hi])
                if len(group) == 0 or len(cand) == 0:
                    continue
                key = -(b_start - pool_end[cand]) / C.RETURN_TAU_DAYS + rng.gumbel(size=len(cand))
                if first:
                    key = key + affinity * ends_sentence[pool[cand]]
                k = min(len(group), len(cand))
                top = cand[np.argpartition(-key, k - 1)[:k]] if k < len(cand) else cand
                top = top[rng.permutation(len(top))]
                pred[group[:k]] = pool[top]
                avail[top] = False
    # resolve chains to their first episode by pointer jumping
    root = np.where(pred >= 0, pred, np.arange(n))
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    _, person = np.unique(root, return_inverse=True)
    return person.astype(np.int64)


def make_identities(seed: int, first_kind: np.ndarray, first_day: np.ndarray) -> dict[str, np.ndarray]:
    """Identity and demographics of each person, from their first episode."""
    rng = stream(seed, "identity")
    n = len(first_kind)
    doc = (first_kind == K_DOC_SEN) | (first_kind == K_DOC_PTD)
    year = year_of(first_day)
    # age at first custody: the DOC draws older, a small tail of much older people
    age = np.where(doc, 18 + rng.gamma(2.2, 6.0, n), 18 + rng.gamma(2.0, 6.6, n))
    older = rng.random(n) < np.where(doc, 0.07, 0.05)
    age = np.where(older, 38 + rng.gamma(2.0, 6.0, n), age)
    juvenile = ~doc & (rng.random(n) < 0.004)
    age = np.where(juvenile, 16 + rng.random(n) * 2, age)
    dob = (first_day - np.rint(age * 365.25)).astype(np.int64)
    female_p = np.where(doc, interp_year(C.FEMALE_P_DOC, year), C.FEMALE_P_COUNTY)
    sex = (rng.random(n) < female_p).astype(np.int8)
    sex[rng.random(n) < C.SEX_UNKNOWN_P] = 2
    race_p = np.where(doc[:, None], np.array(C.TRUE_RACE_P_DOC), np.array(C.TRUE_RACE_P_COUNTY))
    race = (rng.random(n)[:, None] > np.cumsum(race_p, axis=1)).sum(axis=1).clip(0, 5).astype(np.int8)
    hisp = rng.random(n) < np.where(doc, C.HISPANIC_P_DOC, C.HISPANIC_P_COUNTY)
    # Hispanic people are mostly recorded white or as "other" when race is asked separately
    race = np.where(hisp, pick(rng, (0, 1, 5), (0.7, 0.12, 0.18), n), race).astype(np.int8)
    # synthetic SIDs: a scrambled permutation of 7-digit bodies, so all distinct
    mult = 7_654_321 + 2 * int(rng.integers(0, 1000))  # odd and not a multiple of 5: coprime with 10**7
    body = (np.arange(n, dtype=np.int64) * mult + int(rng.integers(0, 10**7))) % 10**7
    first = rng.random(n)  # position in the given-name list of the person's sex
    return {"dob": dob, "sex": sex, "race": race, "hisp": hisp, "sid_body": body,
            "last": rng.integers(0, len(C.LAST_NAMES), n), "first": first,
            "gender_u": rng.random(n), "rare_gender": pick(rng, range(13), C.RARE_GENDER_WEIGHTS, n)}


def sid_strings(body: np.ndarray) -> np.ndarray:
    """Contract SIDs: MA + 7 digits + check digit (weights 7..1, mod 10)."""
    digits = (body[:, None] // 10 ** np.arange(6, -1, -1)) % 10
    check = (digits * np.arange(7, 0, -1)).sum(axis=1) % 10
    full = body * 10 + check
    return np.char.add("MA", np.char.zfill(full.astype(str), 8))


def agency_records(seed: int, pl_person: np.ndarray, pl_agency: np.ndarray, pl_adm: np.ndarray,
                   ident: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One record per (person, agency): own id, SID as recorded, demographic codes
    (index into the standard tables, -1 = left empty)."""
    rng = stream(seed, "records")
    key = pl_person * N_AG + pl_agency
    order = np.lexsort((pl_adm, key))
    k_sorted = key[order]
    first = np.r_[True, k_sorted[1:] != k_sorted[:-1]]
    rec_key = k_sorted[first]
    rec_first_day = pl_adm[order][first]
    person = rec_key // N_AG
    agency = (rec_key % N_AG).astype(np.int8)
    n = len(rec_key)
    # the agency numbers people in the order it first booked them
    seq = np.zeros(n, np.int64)
    for a in range(N_AG):
        m = np.flatnonzero(agency == a)
        o = m[np.lexsort((person[m], rec_first_day[m]))]
        seq[o] = np.arange(1, len(o) + 1)
    ident_sex = ident["sex"][person]
    year = year_of(rec_first_day)
    sid_state = np.zeros(n, np.int8)  # 0 valid, 1 missing, 2 legacy typo
    sid_state[rng.random(n) < interp_year(C.SID_MISSING_BY_YEAR, year)] = 1
    sid_state[(sid_state == 0) & (year < 2005) & (rng.random(n) < C.SID_LEGACY_INVALID_P)] = 2
    # gender identity
    u = ident["gender_u"][person]
    gender = np.where(ident_sex == 2, 12, ident_sex).astype(np.int8)
    gender = np.where(u < C.GENDER_RARE_P, ident["rare_gender"][person], gender)
    gender = np.where((u >= C.GENDER_RARE_P) & (u < C.GENDER_RARE_P + C.GENDER_UNKNOWN_P), 12, gender)
    gender = np.where((u >= C.GENDER_RARE_P + C.GENDER_UNKNOWN_P)
                      & (u < C.GENDER_RARE_P + C.GENDER_UNKNOWN_P + C.GENDER_EMPTY_P), -1, gender)
    # race as written: Hispanic people often get the Hispanic race code; a few unknown/empty
    hisp = ident["hisp"][person]
    race = np.where(hisp & (rng.random(n) < 0.45), 7, ident["race"][person]).astype(np.int8)
    r = rng.random(n)
    race = np.where(r < 0.02, 6, np.where(r < 0.03, -1, race)).astype(np.int8)
    e = rng.random(n)
    eth = np.where(hisp, np.where(e < 0.88, 0, np.where(e < 0.96, 2, -1)),
                   np.where(e < 0.85, 1, np.where(e < 0.95, 2, -1))).astype(np.int8)
    # a minority of agencies record the same person differently
    drift = rng.random(n) < C.DEMOGRAPHIC_DRIFT_P
    race = np.where(drift & (rng.random(n) < 0.5), pick(rng, (0, 1, 5, 6, 7), (0.3, 0.2, 0.2, 0.2, 0.1), n), race)
    eth = np.where(drift & (rng.random(n) < 0.5), pick(rng, (0, 1, 2), (0.3, 0.4, 0.3), n), eth)
    gender = np.where(drift & (rng.random(n) < 0.2), 12, gender)
    sex = np.where(rng.random(n) < 0.01, -1, ident_sex).astype(np.int8)  # sex left empty
    dob = ident["dob"][person] + np.where(drift & (rng.random(n) < 0.15), rng.integers(-40, 41, n), 0)
    return {"key": rec_key, "person": person, "agency": agency, "seq": seq, "sid_state": sid_state,
            "sex": sex, "gender": gender.astype(np.int8), "race": race.astype(np.int8), "eth": eth,
            "dob": dob, "first_day": rec_first_day}
