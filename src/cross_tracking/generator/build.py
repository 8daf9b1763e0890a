"""Orchestration: simulate, assemble each file's columns, inject mess, write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import config as C
from . import mess as M
from .court import Court
from .custody import Flow
from .people import agency_records, link_episodes, make_identities
from .programs import catalog, enrollments
from .util import day, stream
from .writer import codes, dates, ids, publish, staging_dir, text, write_csv, write_manifest

N_AG = len(C.AGENCIES)


def statute_text(system: str) -> list[str]:
    """Offense code of each statute as a system writes it."""
    out = []
    for s in C.STATUTES:
        if system == "IMS":
            out.append(f"{s.chapter}-{s.section}" + (f"-{s.code}" if s.code else ""))
        elif system == "OMS":
            out.append(f"c{s.chapter} s{s.section}" + (f" {s.code}" if s.code else ""))
        else:  # JMS and the court's canonical form
            out.append(f"{s.chapter}/{s.section}" + (f"/{s.code}" if s.code else ""))
    return out


def sid_text(full: np.ndarray) -> pa.Array:
    return ids("MA", full, 8)


def sid_numbers(body: np.ndarray) -> np.ndarray:
    """Eight-digit SID numbers: body followed by the contract's check digit."""
    digits = (body[:, None] // 10 ** np.arange(6, -1, -1)) % 10
    return body * 10 + (digits * np.arange(7, 0, -1)).sum(axis=1) % 10


def person_ids(agency: int, seq: np.ndarray) -> pa.Array:
    code, system = C.AGENCIES[agency], C.SYSTEM[C.AGENCIES[agency]]
    if system == "IMS":
        return ids("W", seq, 6)
    if system == "OMS":
        return ids(f"{code}-", seq, 6)
    return ids("", seq + 100_000 * agency, 7)  # JMS: plain numbers


def generate(out: Path, scale: float, seed: int, as_of: dt.date, bad_rate: float,
             progress: Callable[[str], None]) -> dict[str, int]:
    """Write a complete extract into `out`; returns row counts per file."""
    as_of_day = day(as_of)
    progress(f"simulating custody flows {C.HISTORY_START_YEAR}-{as_of.year} at scale {scale}")
    flow = Flow(seed, scale, as_of)
    flow.run(progress)
    pl = flow.placements()
    ep = flow.episodes()
    progress(f"  {len(pl['ep']):,} placements in {len(ep['kind']):,} episodes")

    person = link_episodes(seed, ep)
    n_people = int(person.max()) + 1 if len(person) else 0
    first_ep = np.full(n_people, len(person), np.int64)
    np.minimum.at(first_ep, person, np.arange(len(person)))
    ident = make_identities(seed, ep["kind"][first_ep], ep["start"][first_ep].astype(np.int64))
    pl_person = person[pl["ep"]]
    rec = agency_records(seed, pl_person, pl["agency"], pl["adm"], ident)
    progress(f"linked episodes into {n_people:,} people, {len(rec['key']):,} agency person records")

    court = Court(seed, as_of_day)
    cm = court.custody_dockets(ep, person)
    n_extra = court.court_only(ep, person, n_people, scale, C.HISTORY_START_YEAR, as_of.year)
    dk, ch, docket_text = court.finish()
    progress(f"court: {len(dk['did']):,} dockets, {len(ch['did']):,} charges")

    cat = catalog(seed)
    en = enrollments(seed, pl, as_of_day, cat)
    progress(f"programs: {len(en['pl']):,} enrollments")

    # SIDs of everyone, including people known only to the court
    sid_rng = stream(seed, "sid_extra")
    mult = 7_654_321 + 2 * int(sid_rng.integers(0, 1000))  # odd, not a multiple of 5: a permutation mod 10**7
    body = (np.arange(n_people + n_extra, dtype=np.int64) * mult + int(sid_rng.integers(0, 10**7))) % 10**7
    sid_full = sid_numbers(body)

    tmp = staging_dir(out)
    rows: dict[str, int] = {}
    mess_rng = stream(seed, "mess")
    rec_sorted_key = rec["key"]  # sorted by construction

    def rec_index(p: np.ndarray, a: int) -> np.ndarray:
        return np.searchsorted(rec_sorted_key, p * N_AG + a)

    # placement numbering per agency in admission order
    pl_seq = np.zeros(len(pl["ep"]), np.int64)
    for a in range(N_AG):
        m = np.flatnonzero(pl["agency"] == a)
        o = m[np.lexsort((pl["ep"][m], pl["adm"][m]))]
        pl_seq[o] = np.arange(1, len(o) + 1)
    en_seq = np.zeros(len(en["pl"]), np.int64)
    for a in range(N_AG):
        m = np.flatnonzero(en["agency"] == a)
        en_seq[m] = np.arange(1, len(m) + 1)

    # drop a few custody dockets from the court files (the pipeline must count the misses)
    cust_dockets = np.unique(cm["did"])
    n_miss = M.counts(mess_rng, len(cust_dockets), bad_rate, 1)[0]
    missing = np.sort(mess_rng.choice(cust_dockets, size=int(n_miss), replace=False)) if n_miss else cust_dockets[:0]

    fac_rng = stream(seed, "facility")
    for a, code in enumerate(C.AGENCIES):
        system = C.SYSTEM[code]
        fmt = C.DATE_FORMAT[system]
        rng = stream(seed, f"agency{code}")
        # ---- people
        r = np.flatnonzero(rec["agency"] == a)
        r = r[np.argsort(rec["seq"][r], kind="stable")]
        p = rec["person"][r]
        full = sid_full[p]
        full = np.where(rec["sid_state"][r] == 2, full - full % 10 + (full % 10 + 3) % 10, full)
        sid = sid_text(full)
        sid = pc.if_else(pa.array(rec["sid_state"][r] == 1), pa.scalar(None, pa.string()), sid)
        u = ident["first"][p]
        fn_m = text(C.FIRST_NAMES_M, (u * len(C.FIRST_NAMES_M)).astype(np.int64))
        fn_f = text(C.FIRST_NAMES_F, (u * len(C.FIRST_NAMES_F)).astype(np.int64))
        people = pa.table({
            "agency_person_id": person_ids(a, rec["seq"][r]),
            "sid": sid,
            "last_name": text(C.LAST_NAMES, ident["last"][p]),
            "first_name": pc.if_else(pa.array(ident["sex"][p] == 1), fn_f, fn_m),
            "date_of_birth": dates(rec["dob"][r], fmt),
            "sex_code": codes(rec["sex"][r], C.SEX_CODE[system]),
            "gender_identity_code": codes(rec["gender"][r], C.GENDER_CODE[system]),
            "race_code": codes(rec["race"][r], C.RACE_CODE[system]),
            "ethnicity_code": codes(rec["eth"][r], C.ETHNICITY_CODE[system]),
        })

        def future_dob(t: pa.Table, rows_: np.ndarray, g: np.random.Generator, fmt: str = fmt) -> pa.Table:
            return M.set_values(t, "date_of_birth", rows_, dates(as_of_day + g.integers(1, 3000, len(rows_)), fmt))

        def ancient_dob(t: pa.Table, rows_: np.ndarray, g: np.random.Generator, fmt: str = fmt) -> pa.Table:
            return M.set_values(t, "date_of_birth", rows_,
                                dates(as_of_day - g.integers(111 * 366, 125 * 366, len(rows_)), fmt))

        people = M.apply(people, rng, bad_rate, [
            *M.sid_kinds(),
            *(M.replace_with(c, M.UNKNOWN_CODES[c]) for c in
              ("sex_code", "gender_identity_code", "race_code", "ethnicity_code")),
            *(M.sloppy(c) for c in ("sex_code", "gender_identity_code", "race_code", "ethnicity_code")),
            M.replace_with("date_of_birth", M.BAD_DATES), future_dob, ancient_dob,
            M.padded("last_name"), M.padded("first_name"), M.duplicate("first_name")])

        # ---- placements
        q = np.flatnonzero(pl["agency"] == a)
        q = q[np.argsort(pl_seq[q], kind="stable")]
        status = pl["status"][q]
        female = ident["sex"][pl_person[q]] == 1
        if a == C.DOC:
            fac_idx = np.where(status == C.CIV, fac_rng.integers(0, 3, len(q)),
                               np.where(female, 10 + fac_rng.integers(0, 2, len(q)),
                                        3 + fac_rng.integers(0, len(C.DOC_FACILITIES_MEN), len(q))))
            fac_names = list(C.DOC_FACILITY_CIVIL) + list(C.DOC_FACILITIES_MEN) + list(C.DOC_FACILITY_WOMEN)
        else:
            fac_idx = np.where(np.isin(status, (C.PTD, C.FED, C.ISC, C.SK)), 0, 1)
            fac_names = list(C.COUNTY_FACILITIES[code])
        pid = person_ids(a, rec["seq"][rec_index(pl_person[q], a)])
        adm = pl["adm"][q].astype(np.int64)
        placements = pa.table({
            "placement_id": ids(f"{code}-P" if system == "OMS" else ("" if system == "JMS" else "P"),
                                pl_seq[q] + (5_000_000 if system == "JMS" else 0), 7),
            "agency_person_id": pid,
            "admission_date": dates(adm, fmt),
            "release_date": dates(pl["rel"][q], fmt),
            "custody_status_code": codes(status, C.STATUS_CODE[system]),
            "admission_type": codes(pl["adm_type"][q], C.ADMISSION_TYPES),
            "release_type": codes(pl["rel_type"][q], C.RELEASE_TYPES),
            "facility_code": text(fac_names, fac_idx),
        })
        placement_ids = placements["placement_id"].combine_chunks()

        def rel_before_adm(t: pa.Table, rows_: np.ndarray, g: np.random.Generator, adm: np.ndarray = adm,
                           fmt: str = fmt) -> pa.Table:
            return M.set_values(t, "release_date", rows_, dates(adm[rows_] - g.integers(1, 400, len(rows_)), fmt))

        placements = M.apply(placements, rng, bad_rate, [
            M.replace_with("custody_status_code", M.UNKNOWN_CODES["custody_status_code"]),
            M.sloppy("custody_status_code"), M.replace_with("admission_date", M.BAD_DATES),
            M.replace_with("release_date", M.BAD_DATES), rel_before_adm,
            M.orphan("agency_person_id", "X" if system != "JMS" else ""), M.padded("facility_code"),
            M.padded("admission_type"), M.duplicate("facility_code")])

        # ---- placement charges
        e = pl["ep"][q]
        cnt = cm["count"][e]
        row_pl = np.repeat(np.arange(len(q)), cnt)
        ci = np.repeat(cm["start"][e], cnt) + (np.arange(len(row_pl)) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        flag = np.zeros(len(row_pl), bool)
        if system == "IMS":
            flagged = np.isin(status, (C.SEN, C.PV)) & (rng.random(len(q)) < 0.9)
            flag = flagged[row_pl] & cm["lead"][ci] & cm["incarc"][ci]
        charges = pa.table({
            "placement_id": placement_ids.take(pa.array(row_pl)),
            "docket_number": docket_text.take(pa.array(cm["did"][ci])),
            "charge_seq": pa.array(cm["num"][ci]),
            "offense_code": text(statute_text(system), cm["stat"][ci]),
            "governing_flag": pc.if_else(pa.array(flag), pa.scalar("Y"), pa.scalar(None, pa.string())),
        })
        charges = M.apply(charges, rng, bad_rate, [
            *M.docket_variants(), M.orphan("placement_id", "X" if system != "JMS" else ""),
            M.padded("offense_code")])

        # ---- program enrollments
        k = np.flatnonzero(en["agency"] == a)
        pr = cat[a]
        en_pid = person_ids(a, rec["seq"][rec_index(pl_person[en["pl"][k]], a)])
        enroll = pa.table({
            "enrollment_id": ids(f"{code}-E" if system == "OMS" else ("" if system == "JMS" else "E"),
                                 en_seq[k] + (8_000_000 if system == "JMS" else 0), 7),
            "agency_person_id": en_pid,
            "program_name": text([x[1] for x in pr], en["prog"][k]),
            "psi_area_code": text([x[0] for x in pr], en["prog"][k]),
            "start_date": dates(en["start"][k], fmt),
            "end_date": dates(en["end"][k], fmt),
            "exit_reason": codes(en["exit"][k], C.EXIT_REASONS),
        })
        enroll = M.apply(enroll, rng, bad_rate, [
            M.orphan("agency_person_id", "X" if system != "JMS" else ""),
            M.replace_with("start_date", M.BAD_DATES), M.padded("program_name"), M.sloppy("psi_area_code"),
            M.duplicate()])

        folder = tmp / "custody" / code
        for name, t in (("people", people), ("placements", placements), ("placement_charges", charges),
                        ("program_enrollments", enroll)):
            write_csv(t, folder / f"{name}.csv")
            rows[f"custody/{code}/{name}.csv"] = t.num_rows
        progress(f"wrote custody/{code}: {people.num_rows:,} people, {placements.num_rows:,} placements, "
                 f"{charges.num_rows:,} charges, {enroll.num_rows:,} enrollments")

    # ---- court
    rng = stream(seed, "court_mess")
    keep_d = ~np.isin(dk["did"], missing)
    sid_all = sid_text(sid_full)
    # people known only to the court: born 18-60 years before their arrest
    dob_all = np.concatenate([ident["dob"], np.zeros(n_extra, np.int64)])
    extra = dk["person"] >= n_people
    dob = dob_all[dk["person"]]
    age_rng = stream(seed, "court_dob")
    age_days = np.rint((18 + age_rng.gamma(2.0, 7.0, int(extra.sum()))) * 365.25).astype(np.int64)
    dob[extra] = dk["filing"][extra] - age_days
    dockets = pa.table({
        "docket_number": docket_text,
        "court_code": pc.utf8_lpad(pa.array(dk["court"].astype(np.int64)).cast(pa.string()), 2, "0"),
        "filing_date": dates(dk["filing"], C.DATE_FORMAT["COURT"]),
        "sid": pc.if_else(pa.array(dk["has_sid"]), sid_all.take(pa.array(dk["person"])),
                          pa.scalar(None, pa.string())),
        "defendant_dob": dates(dob, C.DATE_FORMAT["COURT"]),
    }).filter(pa.array(keep_d))
    dockets = M.apply(dockets, rng, bad_rate, [
        *M.sid_kinds()[1:], M.replace_with("filing_date", M.BAD_DATES), M.padded("court_code"),
        M.duplicate("defendant_dob")])
    write_csv(dockets, tmp / "court" / "dockets.csv")
    rows["court/dockets.csv"] = dockets.num_rows
    o = np.lexsort((ch["num"], ch["did"]))
    o = o[~np.isin(ch["did"][o], missing)]
    cfmt = C.DATE_FORMAT["COURT"]
    n_charges = 0
    # written in slices to bound memory; a docket's charges never straddle two
    # slices only matters for duplicates, which are appended within a slice
    for part, sl in enumerate(np.array_split(o, max(1, len(o) // 1_500_000))):
        stat = ch["stat"][sl]
        court_charges = pa.table({
            "docket_number": docket_text.take(pa.array(ch["did"][sl])),
            "charge_number": pa.array(ch["num"][sl]),
            "statute": text(statute_text("COURT"), stat),
            "charge_description": text([s.description for s in C.STATUTES], stat),
            "severity": text([s.severity for s in C.STATUTES], stat),
            "offense_date": dates(ch["offense"][sl], cfmt),
            "arraignment_date": dates(ch["arraign"][sl], cfmt),
            "disposition_code": codes(ch["disp"][sl], C.DISPOSITIONS),
            "disposition_date": dates(ch["ddate"][sl], cfmt),
            "sentence_type": codes(ch["sent"][sl], C.SENTENCES),
        })
        court_charges = M.apply(court_charges, rng, bad_rate, [
            M.replace_with("offense_date", M.BAD_DATES), M.replace_with("arraignment_date", M.BAD_DATES),
            M.padded("charge_description"), M.padded("statute"), M.sloppy("disposition_code"), M.duplicate()])
        write_csv(court_charges, tmp / "court" / "charges.csv", append=part > 0)
        n_charges += court_charges.num_rows
    rows["court/charges.csv"] = n_charges
    progress(f"wrote court: {dockets.num_rows:,} dockets, {n_charges:,} charges")
    write_manifest(tmp, {"as_of": as_of.isoformat(), "generator": f"cross_tracking.generator {C.VERSION}",
                         "seed": seed, "scale": scale})
    publish(tmp, out)
    return rows
