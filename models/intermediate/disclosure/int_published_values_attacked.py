"""The attacker's audit of the published tables (cross_tracking.disclosure.audit):
one row per table with what an outside analyst can work out of its withheld
values from every published relation at once, by bound propagation (fast;
every value it pins is disclosed, so its counts are a floor). The exact LP
attack runs with `python -m cross_tracking.disclosure`."""

from cross_tracking.disclosure.audit import audit


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt reads the refs of a Python model from its text, so each is spelled out
    published = {
        "custody_population": dbt.ref("custody_population").df(),
        "custody_offenses": dbt.ref("custody_offenses").df(),
        "sentenced_charges": dbt.ref("sentenced_charges").df(),
        "admissions_releases": dbt.ref("admissions_releases").df(),
        "recidivism": dbt.ref("recidivism").df(),
        "program_enrollments": dbt.ref("program_enrollments").df(),
        "program_exits": dbt.ref("program_exits").df(),
        "cohort_exclusions": dbt.ref("cohort_exclusions").df(),
        "court_misses": dbt.ref("court_misses").df(),
        "unknown_codes": dbt.ref("unknown_codes").df(),
    }
    private = {
        "custody_population": dbt.ref("int_custody_population_suppressed").df(),
        "custody_offenses": dbt.ref("int_custody_offenses_suppressed").df(),
        "sentenced_charges": dbt.ref("int_sentenced_charges_suppressed").df(),
        "admissions_releases": dbt.ref("int_admissions_releases_suppressed").df(),
        "recidivism": dbt.ref("int_recidivism_suppressed").df(),
        "program_enrollments": dbt.ref("int_program_enrollments_suppressed").df(),
        "program_exits": dbt.ref("int_program_exits_suppressed").df(),
        "cohort_exclusions": dbt.ref("int_cohort_exclusions_suppressed").df(),
        "court_misses": dbt.ref("int_court_misses_suppressed").df(),
        "unknown_codes": dbt.ref("int_unknown_codes_suppressed").df(),
    }
    return audit(published, private, lp=False, progress=lambda message: print(f"[audit] {message}", flush=True))
