"""Calibration constants and code tables for the synthetic extract generator.

Every number that shapes the synthetic population lives here, so a reviewer can
compare it with the domain reference in one place. Figures marked "calib" are
the January-1 populations the flow simulation is solved against; the rest are
plausible shapes (length of stay, mixes, rates) chosen to reproduce them.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "1.0.0"

# Earliest admission simulated. Long DOC sentences admitted in the 1990s must
# still be present in the 2017 snapshot, so history starts well before it.
HISTORY_START_YEAR = 1987
FIRST_SNAPSHOT_YEAR = 2017

AGENCIES: tuple[str, ...] = (
    "DOC", "BAR", "BER", "BRI", "DUK", "ESS", "FRA", "HMD", "HMP", "MID", "NFK", "PLY", "SUF", "WOR",
)
COUNTIES: tuple[str, ...] = AGENCIES[1:]
DOC = 0
SYSTEM: dict[str, str] = {
    "DOC": "IMS", "BAR": "OMS", "BER": "OMS", "BRI": "JMS", "DUK": "OMS", "ESS": "OMS", "FRA": "OMS",
    "HMD": "JMS", "HMP": "OMS", "MID": "JMS", "NFK": "OMS", "PLY": "OMS", "SUF": "JMS", "WOR": "OMS",
}
DATE_FORMAT: dict[str, str] = {"IMS": "%Y-%m-%d", "OMS": "%m/%d/%Y", "JMS": "%Y%m%d", "COURT": "%Y-%m-%d"}

# --- standard codes (index order is used as the internal integer code) -------
STATUSES = ("PTD", "SEN", "PV", "CIV", "FED", "ISC", "SK")  # internal names
PTD, SEN, PV, CIV, FED, ISC, SK = range(7)
STATUS_CODE: dict[str, tuple[str, ...]] = {
    "IMS": ("PTD", "SEN", "PV", "CIV", "FED", "ISC", "SK"),
    "OMS": ("PRETRIAL", "SENTENCED", "PAROLE VIOLATOR", "CIVIL", "FEDERAL", "INTERSTATE COMPACT", "SAFEKEEP"),
    "JMS": ("20", "10", "30", "40", "50", "60", "70"),
}
ADMISSION_TYPES = ("NEW", "TRANSFER_IN", "PAROLE_VIOLATION", "STATUS_CHANGE", "RETURN")
A_NEW, A_TRANSFER_IN, A_PV, A_STATUS_CHANGE, A_RETURN = range(5)
RELEASE_TYPES = ("", "EXPIRATION", "PAROLE", "PROBATION", "BAIL", "COURT_ORDER", "TRANSFER_OUT",
                 "STATUS_CHANGE", "DEATH", "OTHER")
R_NONE, R_EXPIRATION, R_PAROLE, R_PROBATION, R_BAIL, R_COURT_ORDER, R_TRANSFER_OUT, R_STATUS_CHANGE, \
    R_DEATH, R_OTHER = range(10)

# Sex: 0 Male, 1 Female, 2 Unknown (written as the code or left empty)
SEX_CODE: dict[str, tuple[str, ...]] = {"IMS": ("M", "F", "U"), "OMS": ("MALE", "FEMALE", "UNKNOWN"),
                                        "JMS": ("1", "2", "9")}
GENDER_NAMES = ("Male", "Female", "Agender", "Bigender", "Cisgender", "Expansive", "Gender Fluid", "Intersex",
                "Nonbinary", "Transgender", "Two-Spirit", "Variante", "Unknown")
GENDER_CODE: dict[str, tuple[str, ...]] = {
    "IMS": ("M", "F", "AG", "BG", "CG", "EX", "GF", "IS", "NB", "TG", "TS", "VA", "U"),
    "OMS": ("MALE", "FEMALE", "AGENDER", "BIGENDER", "CISGENDER", "EXPANSIVE", "GENDER FLUID", "INTERSEX",
            "NONBINARY", "TRANSGENDER", "TWO-SPIRIT", "VARIANTE", "UNKNOWN"),
    "JMS": ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "99"),
}
# Among people whose identity is not simply their assigned sex: relative weights
# of the rarer values (Transgender and Nonbinary are the most often recorded).
RARE_GENDER_WEIGHTS = (0.0, 0.0, 0.06, 0.04, 0.10, 0.03, 0.08, 0.04, 0.22, 0.34, 0.04, 0.05, 0.0)
# Race as recorded: W B A P I O U H(ispanic recorded in the race field)
RACES = ("W", "B", "A", "P", "I", "O", "U", "H")
RACE_CODE: dict[str, tuple[str, ...]] = {
    "IMS": ("W", "B", "A", "P", "I", "O", "U", "H"),
    "OMS": ("WHITE", "BLACK", "ASIAN", "PACIFIC ISLANDER", "AMERICAN INDIAN", "OTHER", "UNKNOWN", "HISPANIC"),
    "JMS": ("1", "2", "3", "7", "4", "6", "9", "5"),
}
ETHNICITY_CODE: dict[str, tuple[str, ...]] = {"IMS": ("H", "N", "U"), "OMS": ("HISPANIC", "NON-HISPANIC", "UNKNOWN"),
                                              "JMS": ("1", "2", "9")}
# True race of a person (before recording): White, Black, Asian, Pacific Isl., Am. Indian, Other
TRUE_RACE_P_DOC = (0.555, 0.33, 0.022, 0.004, 0.009, 0.08)
TRUE_RACE_P_COUNTY = (0.615, 0.285, 0.02, 0.003, 0.009, 0.068)
HISPANIC_P_DOC = 0.26
HISPANIC_P_COUNTY = 0.25

PSI_AREAS = ("BEH", "EDU", "SUP", "WORK", "REINV", "REL")
EXIT_REASONS = ("", "COMPLETED", "WITHDREW", "REMOVED", "TRANSFERRED", "RELEASED", "OTHER")
DISPOSITIONS = ("", "GUILTY", "GUILTY_PLEA", "CWOF", "NOT_GUILTY", "DISMISSED", "NOLLE_PROSEQUI")
D_PENDING, D_GUILTY, D_PLEA, D_CWOF, D_NOT_GUILTY, D_DISMISSED, D_NOLLE = range(7)
SENTENCES = ("", "DOC", "HOC", "PROBATION", "FINE", "SUSPENDED")
S_NONE, S_DOC, S_HOC, S_PROBATION, S_FINE, S_SUSPENDED = range(6)

# --- calibration targets (calib) --------------------------------------------
# DOC jurisdiction population on January 1 (interpolated between the anchors).
DOC_TOTAL: dict[int, float] = {
    1990: 8000, 1995: 10500, 2000: 10300, 2005: 10200, 2010: 11300, 2012: 11723, 2014: 11034,
    2016: 10000, 2017: 9500, 2018: 9207, 2019: 8700, 2020: 8292, 2021: 6800, 2022: 6100, 2023: 6070,
    2024: 6148,
}
# Share of the DOC jurisdiction figure that is countable at DOC itself: the rest
# is civil commitments (simulated separately) and prisoners boarded at counties.
DOC_COHORT_SHARE = 0.99
DOC_PRETRIAL_SHARE = 0.05
DOC_CIVIL_SHARE = 0.04
# County jails and houses of correction, statewide, all statuses (weekly counts
# include federal holds), January 1.
COUNTY_TOTAL: dict[int, float] = {
    1990: 7500, 1995: 9000, 2000: 10500, 2005: 11000, 2010: 11500, 2013: 10800, 2015: 10000,
    2016: 9800, 2017: 9650, 2018: 9411, 2019: 9380, 2020: 9200, 2021: 6600, 2022: 5750, 2023: 6000,
    2024: 6200,
}
# County breakdown of 1/2/2018: (total, HOC sentenced, jail unsentenced).
COUNTY_2018: dict[str, tuple[int, int, int]] = {
    "BAR": (315, 166, 149), "BER": (187, 98, 89), "BRI": (1124, 429, 695), "DUK": (19, 19, 0),
    "ESS": (1451, 668, 783), "FRA": (185, 82, 103), "HMD": (1143, 598, 545), "HMP": (239, 154, 85),
    "MID": (837, 398, 439), "NFK": (421, 174, 247), "PLY": (1043, 349, 694), "SUF": (1534, 935, 599),
    "WOR": (913, 416, 497),
}
# Federal (US Marshals / immigration) detainees held in county facilities.
FEDERAL: dict[str, dict[int, float]] = {
    "PLY": {1990: 150, 2005: 350, 2017: 400, 2018: 390, 2020: 360, 2021: 260, 2022: 200, 2024: 200},
    "SUF": {1990: 40, 2017: 60, 2018: 55, 2021: 30, 2024: 25},
    "BRI": {1990: 30, 2017: 80, 2018: 80, 2020: 70, 2021: 10, 2024: 5},
    "WOR": {1990: 5, 2024: 5}, "ESS": {1990: 5, 2024: 5}, "MID": {1990: 5, 2024: 5},
}
ISC_SHARE = 0.003     # interstate compact holds, share of each agency's population
SK_SHARE = 0.006      # safe keeps for other agencies, counties only
COUNTY_CIVIL_SHARE = 0.004  # civil (e.g. substance-use) commitments held at counties
# Pretrial share rises after 2020 as sentenced populations fell faster.
PRETRIAL_SHIFT: dict[int, float] = {1990: -0.03, 2016: 0.0, 2019: 0.0, 2020: 0.02, 2021: 0.08, 2022: 0.10,
                                    2024: 0.10}
DUKES_PRETRIAL_SHARE = 0.10  # Dukes reported no unsentenced people in 2018; keep a trickle

# Early-release wave of spring 2020: share of people in custody on 2020-04-01
# released between April and December 2020.
COVID_RELEASE = {"DOC_SEN": 0.10, "HOC_SEN": 0.22, "PTD": 0.25}

# --- flow shapes ------------------------------------------------------------
@dataclass(frozen=True)
class LosMix:
    """Length of stay (days) as a mixture of log-normals: (weight, median, sigma)."""
    parts: tuple[tuple[float, float, float], ...]
    max_days: int = 60 * 365


LOS_DOC_SEN = LosMix(((0.50, 1.5 * 365, 0.55), (0.36, 4.0 * 365, 0.55), (0.11, 12 * 365, 0.45),
                      (0.03, 40 * 365, 0.30)))
LOS_HOC_SEN = LosMix(((0.55, 75, 0.8), (0.45, 270, 0.55)), max_days=913)  # 2.5 years is the HOC maximum
LOS_PTD = LosMix(((0.72, 10, 1.3), (0.28, 120, 0.9)), max_days=4 * 365)
LOS_PTD_TO_DOC = LosMix(((1.0, 200, 0.8),), max_days=5 * 365)  # superior-court cases wait longer
LOS_PV = LosMix(((1.0, 120, 0.8),), max_days=3 * 365)
LOS_CIV_DOC = LosMix(((0.75, 60, 0.5), (0.25, 8 * 365, 0.7)))  # section 35 stays / SDP commitments
LOS_SHORT_HOLD = LosMix(((1.0, 60, 1.0),), max_days=3 * 365)  # federal, ISC, safe keep, county civil

# How people reach a DOC sentence: after county pretrial then a short sentenced
# stay, straight from county pretrial, or directly (on bail until sentencing).
DOC_PATH_P = (0.55, 0.10, 0.35)
HOC_VIA_PRETRIAL_P = 0.60
BOARD_AT_COUNTY_P = 0.05
RETURN_P = 0.012           # escape or court-return interruptions
PAROLE_VIOLATION_P = {"DOC": 0.40, "HOC": 0.30}
PV_AT_COUNTY_P = 0.30      # DOC parolees held at a county HOC on a violation

# Release-type mixes: (types, probabilities)
REL_DOC_SEN = ((R_EXPIRATION, R_PAROLE, R_PROBATION, R_COURT_ORDER, R_DEATH, R_OTHER),
               (0.55, 0.33, 0.04, 0.04, 0.015, 0.025))
REL_HOC_SEN = ((R_EXPIRATION, R_PAROLE, R_PROBATION, R_COURT_ORDER, R_DEATH, R_OTHER),
               (0.56, 0.24, 0.11, 0.06, 0.002, 0.028))
REL_PTD = ((R_BAIL, R_COURT_ORDER, R_PROBATION, R_OTHER, R_DEATH), (0.55, 0.27, 0.12, 0.058, 0.002))
REL_PV = ((R_EXPIRATION, R_PAROLE, R_OTHER), (0.55, 0.42, 0.03))
REL_HOLD = ((R_COURT_ORDER, R_OTHER, R_BAIL), (0.6, 0.3, 0.1))

# Recidivism: share of custody episodes that belong to someone released before
# and the time scale (days) of the return, which sets the 1/2/3-year rates.
# Most returns are pretrial holds that end on bail or dismissal; a return that
# ends in a sentence (a county or DOC sentence episode) goes, with these odds,
# to someone whose last custody ended a sentence rather than a pretrial hold
# (people.link_episodes). Set against the published rates (domain facts,
# section 4): with these, the DOC's 2019 and 2020 release cohorts published
# at scale 1 show re-arraignment of 58-61%, reconviction of 41-42% and
# reincarceration of 31-32% at 3 years (the DOC reports 30-37%; without the
# preference it was 24-28%, tests/python/test_generator.py) and 19% at 1 year
# (returns come early: the DOC's 10-15% is not reached).
REPEAT_P_COUNTY = 0.72
REPEAT_P_DOC = 0.65
RETURN_TAU_DAYS = 750.0
SENTENCED_RETURN_AFFINITY = 3.0
REARREST_P = 0.45          # a released person gets a court-only docket later
REARREST_TAU_DAYS = 500.0
COURT_ONLY_PER_YEAR = 22000  # arrests of people never held (scale 1)
COURT_ONLY_START_YEAR = 2008

# Women: county ~5.6%; DOC admissions falling so the stock goes from ~6% to ~3%.
FEMALE_P_COUNTY = 0.058
FEMALE_P_DOC: dict[int, float] = {1990: 0.065, 2014: 0.06, 2019: 0.015, 2024: 0.015}
SEX_UNKNOWN_P = 0.004
GENDER_RARE_P = 0.012
GENDER_UNKNOWN_P = 0.03
GENDER_EMPTY_P = 0.02

# SID: share of agency records without one, by the year the record was opened.
SID_MISSING_BY_YEAR: dict[int, float] = {1990: 0.22, 1996: 0.10, 2005: 0.05, 2012: 0.02, 2016: 0.01, 2024: 0.008}
SID_LEGACY_INVALID_P = 0.01   # old records with a mistyped SID
# Court: share of dockets carrying the defendant's SID, by filing year.
COURT_SID_BY_YEAR: dict[int, float] = {1990: 0.10, 2010: 0.18, 2016: 0.28, 2018: 0.40, 2020: 0.58,
                                       2022: 0.78, 2024: 0.93}
DEMOGRAPHIC_DRIFT_P = 0.06   # an agency records race/ethnicity/gender differently from another

# --- charges ----------------------------------------------------------------
@dataclass(frozen=True)
class Statute:
    chapter: str
    section: str
    code: str        # MassCourts variant code, may be empty
    severity: str    # F or M
    hoc: float       # relative weight as a county (HOC/jail) charge
    doc: float       # relative weight as a state-prison charge
    description: str


STATUTES: tuple[Statute, ...] = (
    # chapter 265: offenses against the person
    Statute("265", "13A", "A", "M", 1.6, 0.0, "ASSAULT"),
    Statute("265", "15B", "B", "F", 2.2, 2.0, "ASSAULT W/ DANGEROUS WEAPON"),
    Statute("265", "13A", "B", "M", 4.5, 0.0, "ASSAULT & BATTERY"),
    Statute("265", "13M", "", "M", 3.0, 0.0, "A&B ON FAMILY/HOUSEHOLD MEMBER"),
    Statute("265", "15A", "B", "F", 4.5, 9.0, "A&B W/ DANGEROUS WEAPON"),
    Statute("265", "13D", "", "M", 1.2, 0.5, "A&B ON PUBLIC EMPLOYEE"),
    Statute("265", "13K", "", "F", 0.3, 0.8, "A&B ON ELDER/DISABLED PERSON"),
    Statute("265", "26", "A", "F", 0.2, 1.5, "KIDNAPPING"),
    Statute("265", "1", "", "F", 0.05, 6.0, "MURDER"),
    Statute("265", "13", "A", "F", 0.05, 2.0, "MANSLAUGHTER"),
    Statute("265", "16", "", "F", 0.05, 1.0, "ATTEMPTED MURDER"),
    Statute("265", "17", "A", "F", 0.6, 7.0, "ARMED ROBBERY"),
    Statute("265", "19", "B", "F", 0.8, 3.0, "UNARMED ROBBERY"),
    Statute("265", "22", "A", "F", 0.2, 5.5, "RAPE"),
    Statute("265", "23", "", "F", 0.1, 3.0, "RAPE OF CHILD"),
    Statute("265", "13B", "", "F", 0.3, 3.0, "INDECENT A&B ON CHILD UNDER 14"),
    Statute("265", "13H", "", "F", 0.3, 1.2, "INDECENT A&B ON PERSON 14 OR OVER"),
    Statute("265", "43", "A", "F", 0.4, 0.6, "STALKING"),
    Statute("265", "13L", "", "M", 0.2, 0.2, "RECKLESS ENDANGERMENT OF CHILD"),
    Statute("265", "15D", "B", "F", 0.5, 0.8, "STRANGULATION OR SUFFOCATION"),
    # chapter 266: property
    Statute("266", "2", "A", "F", 0.15, 0.4, "ARSON OF BUILDING"),
    Statute("266", "8", "", "M", 0.05, 0.0, "SETTING FIRE ON LAND"),
    Statute("266", "16", "A", "F", 2.8, 2.2, "B&E NIGHTTIME FOR FELONY"),
    Statute("266", "18", "", "F", 1.3, 0.6, "B&E DAYTIME FOR FELONY"),
    Statute("266", "14", "", "F", 0.2, 1.5, "ARMED BURGLARY"),
    Statute("266", "16A", "", "M", 1.0, 0.0, "B&E FOR MISDEMEANOR"),
    Statute("266", "33", "A", "F", 0.5, 0.1, "FALSE PRETENSES OVER $1200"),
    Statute("266", "37C", "B", "F", 0.6, 0.1, "CREDIT CARD FRAUD OVER $250"),
    Statute("266", "37E", "", "M", 0.5, 0.0, "IDENTITY FRAUD"),
    Statute("266", "30", "A", "F", 3.2, 0.9, "LARCENY OVER $1200"),
    Statute("266", "30", "B", "M", 4.0, 0.0, "LARCENY UNDER $1200"),
    Statute("266", "25", "A", "F", 0.3, 0.1, "LARCENY FROM PERSON"),
    Statute("266", "60", "", "M", 1.6, 0.1, "RECEIVE STOLEN PROPERTY"),
    Statute("266", "28", "B", "F", 0.7, 0.3, "LARCENY OF MOTOR VEHICLE"),
    Statute("266", "30A", "A", "M", 2.2, 0.0, "SHOPLIFTING"),
    Statute("266", "30D", "", "F", 0.1, 0.0, "ORGANIZED RETAIL CRIME"),
    Statute("266", "120", "", "M", 2.2, 0.0, "TRESPASS"),
    Statute("266", "127", "A", "M", 2.0, 0.1, "MALICIOUS DESTRUCTION OF PROPERTY"),
    Statute("266", "126A", "", "M", 0.3, 0.0, "GRAFFITI"),
    Statute("267", "1", "A", "F", 0.5, 0.2, "FORGERY OF DOCUMENT"),
    Statute("267", "5", "", "F", 0.6, 0.2, "UTTERING FALSE WRITING"),
    Statute("267", "12", "", "F", 0.1, 0.1, "COUNTERFEIT NOTE, POSSESS"),
    # chapter 94C: controlled substances
    Statute("94C", "32", "A", "F", 1.6, 3.0, "DISTRIBUTE CLASS A"),
    Statute("94C", "32A", "A", "F", 1.5, 2.5, "DISTRIBUTE CLASS B"),
    Statute("94C", "32B", "A", "F", 0.3, 0.2, "DISTRIBUTE CLASS C"),
    Statute("94C", "32C", "A", "M", 0.3, 0.0, "DISTRIBUTE CLASS D"),
    Statute("94C", "32D", "A", "M", 0.1, 0.0, "DISTRIBUTE CLASS E"),
    Statute("94C", "32J", "", "F", 0.4, 0.6, "DRUG VIOLATION NEAR SCHOOL/PARK"),
    Statute("94C", "34", "A", "M", 1.4, 0.0, "POSSESS CLASS A"),
    Statute("94C", "34", "B", "M", 1.3, 0.0, "POSSESS CLASS B"),
    Statute("94C", "34", "C", "M", 0.3, 0.0, "POSSESS CLASS C"),
    Statute("94C", "34", "E", "M", 0.2, 0.0, "POSSESS CLASS E"),
    Statute("94C", "34", "L", "M", 0.2, 0.0, "POSSESS MARIJUANA"),
    Statute("94C", "32E", "A", "F", 0.5, 2.2, "TRAFFICKING COCAINE"),
    Statute("94C", "32E", "B", "F", 0.5, 2.4, "TRAFFICKING HEROIN/FENTANYL"),
    Statute("94C", "32E", "C", "F", 0.05, 0.2, "TRAFFICKING MARIHUANA"),
    Statute("94C", "40", "", "F", 0.2, 0.3, "DRUG CONSPIRACY"),
    Statute("94C", "37", "", "F", 0.1, 0.1, "DRUG OFFENSE, SUBSEQUENT"),
    # chapter 90: motor vehicle
    Statute("90", "24G", "A", "F", 0.05, 0.5, "MOTOR VEHICLE HOMICIDE OUI"),
    Statute("90", "24G", "B", "M", 0.05, 0.0, "MOTOR VEHICLE HOMICIDE"),
    Statute("90", "24", "J", "M", 1.6, 0.0, "OUI LIQUOR"),
    Statute("90", "24", "K", "F", 0.5, 0.9, "OUI LIQUOR, 3RD OFFENSE"),
    Statute("90", "24L", "", "F", 0.05, 0.1, "OUI WITH SERIOUS INJURY"),
    Statute("90", "24", "E", "M", 0.9, 0.0, "LEAVING SCENE OF PROPERTY DAMAGE"),
    Statute("90", "24", "B", "M", 0.4, 0.0, "USE MOTOR VEHICLE WITHOUT AUTHORITY"),
    Statute("90", "23", "D", "M", 1.6, 0.0, "OPERATE AFTER LICENSE SUSPENDED"),
    Statute("90", "10", "", "M", 0.7, 0.0, "UNLICENSED OPERATION"),
    # chapter 269: weapons
    Statute("269", "10", "J", "F", 1.4, 3.0, "FIREARM, CARRY WITHOUT LICENSE"),
    Statute("269", "10", "N", "F", 0.3, 0.7, "FIREARM, LOADED, CARRY WITHOUT LICENSE"),
    Statute("269", "10", "H", "M", 0.3, 0.0, "FIREARM, POSSESS WITHOUT FID"),
    Statute("269", "10G", "", "F", 0.1, 1.0, "FIREARM VIOLATION WITH PRIOR CONVICTIONS"),
    Statute("269", "10", "B", "F", 0.6, 0.4, "DANGEROUS WEAPON, CARRY"),
    Statute("269", "12", "", "M", 0.1, 0.0, "DANGEROUS WEAPON, MANUFACTURE/SELL"),
    Statute("269", "10A", "", "F", 0.05, 0.1, "SILENCER, POSSESS"),
    Statute("140", "131J", "", "M", 0.05, 0.0, "ELECTRIC WEAPON, POSSESS"),
    # chapter 272 and 268: public order
    Statute("272", "53", "D", "M", 1.2, 0.0, "DISORDERLY CONDUCT"),
    Statute("272", "53", "A", "M", 0.4, 0.0, "DISTURBING THE PEACE"),
    Statute("272", "8", "", "M", 0.1, 0.0, "SOLICIT SEX FOR FEE"),
    Statute("272", "16", "", "F", 0.05, 0.0, "OPEN AND GROSS LEWDNESS"),
    Statute("272", "77", "", "F", 0.05, 0.0, "CRUELTY TO ANIMAL"),
    Statute("268", "32B", "", "M", 0.8, 0.0, "RESIST ARREST"),
    # other chapters
    Statute("209A", "7", "", "M", 3.4, 0.0, "ABUSE PREVENTION ORDER, VIOLATE"),
    Statute("209A", "3B", "", "M", 0.2, 0.0, "ABUSE PREVENTION ORDER, VIOLATE FIREARM SURRENDER"),
    Statute("140", "131", "H", "M", 0.1, 0.0, "LICENSE TO CARRY, VIOLATION OF CONDITIONS"),
    Statute("138", "34", "", "M", 0.1, 0.0, "LIQUOR TO PERSON UNDER 21"),
    Statute("112", "65", "", "M", 0.05, 0.0, "UNLICENSED PRACTICE"),
    Statute("268", "1", "", "F", 0.1, 0.1, "PERJURY"),
    Statute("268", "13B", "", "F", 0.3, 0.3, "WITNESS INTIMIDATION"),
    Statute("276", "26", "", "M", 0.4, 0.0, "DEFAULT WARRANT, FAIL TO APPEAR"),
    Statute("274", "7", "", "F", 0.2, 0.2, "CONSPIRACY"),
    Statute("6", "178H", "", "F", 0.1, 0.3, "SEX OFFENDER FAIL TO REGISTER"),
)

# --- courts -----------------------------------------------------------------
SUPERIOR_COURT: dict[str, str] = {
    "BAR": "72", "BRI": "73", "DUK": "74", "BER": "76", "ESS": "77", "FRA": "78", "HMD": "79", "HMP": "80",
    "MID": "81", "NFK": "82", "PLY": "83", "SUF": "84", "WOR": "85",
}
NANTUCKET_SUPERIOR = "75"  # Nantucket cases are held at Barnstable
# District courts / BMC divisions by county. Only codes outside 72-85; the
# smaller counties use plausible division codes.
DISTRICT_COURTS: dict[str, tuple[str, ...]] = {
    "SUF": ("01", "02", "03", "04", "05", "06", "07", "08", "14"),
    "NFK": ("09", "54", "56", "57"), "MID": ("11", "47", "49", "52", "53", "48"),
    "PLY": ("15", "59", "58"), "HMD": ("23", "20", "24", "43"), "ESS": ("36", "13", "18", "38", "40"),
    "WOR": ("62", "65", "16", "61", "68"), "BRI": ("32", "33", "31", "34"), "BAR": ("25", "26", "89", "88"),
    "BER": ("27", "28", "29"), "DUK": ("91",), "FRA": ("41", "42"), "HMP": ("45", "46"),
}

# --- facilities -------------------------------------------------------------
DOC_FACILITIES_MEN = ("MCI-CJ", "SBCC", "MCI-NOR", "MCI-SHR", "NCCI-GAR", "OCCC", "MCI-CON", "BCC", "PCC",
                      "MCI-NCI")
DOC_FACILITY_WOMEN = ("MCI-FRA", "SMCC")
DOC_FACILITY_CIVIL = ("BSH", "MTC", "MASAC")
COUNTY_FACILITIES: dict[str, tuple[str, str]] = {  # (jail, house of correction)
    "BAR": ("BCCF-J", "BCCF-H"), "BER": ("BCJ", "BCHOC"), "BRI": ("ASH ST", "DARTMOUTH"),
    "DUK": ("DCJ", "DCHOC"), "ESS": ("MIDDLETON", "LAWRENCE CF"), "FRA": ("FCJ", "FCHOC"),
    "HMD": ("LUDLOW-J", "LUDLOW-H"), "HMP": ("HCJ", "HCHOC"), "MID": ("BILLERICA-J", "BILLERICA-H"),
    "NFK": ("DEDHAM-J", "DEDHAM-H"), "PLY": ("PCCF-J", "PCCF-H"), "SUF": ("NASHUA ST", "SOUTH BAY"),
    "WOR": ("WCJ", "WCHOC"),
}

# --- programs ---------------------------------------------------------------
# (psi area, program name, typical length in days)
DOC_PROGRAMS: tuple[tuple[str, str, int], ...] = (
    ("BEH", "Correctional Recovery Academy", 180), ("BEH", "Violence Reduction Program", 60),
    ("BEH", "Thinking for a Change", 100), ("BEH", "Sex Offender Treatment Program", 540),
    ("BEH", "Criminal Thinking Program", 90),
    ("EDU", "Adult Basic Education", 200), ("EDU", "English as a Second Language", 180),
    ("EDU", "HiSET Preparation", 160), ("EDU", "Culinary Arts Vocational Training", 150),
    ("EDU", "OSHA Construction Safety", 30), ("EDU", "Cosmetology Vocational Training", 300),
    ("EDU", "Boston University Prison Education", 240), ("EDU", "Babson Entrepreneurship", 90),
    ("SUP", "Peer Mentoring", 120), ("SUP", "Parenting Skills", 70), ("SUP", "Reentry Planning Group", 60),
    ("WORK", "MassCor Industries", 300), ("WORK", "Food Service Work Assignment", 200),
    ("WORK", "Facility Maintenance Crew", 200), ("WORK", "Work Release", 120),
    ("REINV", "Community Service Crew", 90), ("REINV", "Restorative Justice Circle", 60),
    ("REL", "Chaplaincy Services", 180), ("REL", "Religious Study Group", 120),
)
COUNTY_PROGRAMS: tuple[tuple[str, str, int], ...] = (
    ("BEH", "Substance Use Treatment Unit", 60), ("BEH", "Spectrum Remote Recovery", 45),
    ("BEH", "Anger Management", 40), ("BEH", "Intimate Partner Abuse Education", 80),
    ("BEH", "Medication for Addiction Treatment", 90), ("BEH", "Mental Health Group", 45),
    ("EDU", "HiSET Preparation", 120), ("EDU", "Adult Basic Education", 90),
    ("EDU", "Culinary Arts Certificate", 90), ("EDU", "ServSafe Certification", 20),
    ("EDU", "Carpentry Vocational", 100), ("EDU", "Computer Literacy", 40),
    ("SUP", "Fatherhood Program", 60), ("SUP", "Reentry Mentoring", 90), ("SUP", "Veterans Support Group", 90),
    ("WORK", "Kitchen Work Detail", 120), ("WORK", "Laundry Work Detail", 120),
    ("WORK", "Work Release", 90),
    ("REINV", "Community Work Crew", 60), ("REINV", "Victim Impact Panel", 20),
    ("REL", "Chaplaincy Services", 90), ("REL", "Faith-Based Mentoring", 60),
)
PROGRAM_P = {"PTD": 0.35, "SEN": 0.72, "OTHER": 0.15}
PROGRAM_RATE_PER_YEAR = 4.5
EXIT_P = (0.0, 0.62, 0.13, 0.10, 0.0, 0.0, 0.15)  # when an enrollment ends before the stay: C W R T Rel O

# Names used for synthetic identities (common surnames and given names).
LAST_NAMES = (
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ GONZALEZ "
    "WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE HARRIS SANCHEZ CLARK "
    "RAMIREZ LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT TORRES NGUYEN HILL FLORES GREEN ADAMS "
    "NELSON BAKER HALL RIVERA CAMPBELL MITCHELL CARTER ROBERTS MURPHY SULLIVAN OBRIEN KELLY MCCARTHY "
    "DOHERTY FITZGERALD CONNOLLY DOYLE RYAN WALSH BURKE SILVA SOUZA PEREIRA MEDEIROS COSTA SANTOS "
    "PIMENTEL ORTIZ CRUZ REYES MORALES COLON VEGA DIAZ SANTIAGO FIGUEROA DESROSIERS PIERRE JEAN "
    "CHARLES BAPTISTE TRAN PHAM CHEN WONG LY RICHARDSON COOK MORGAN BELL BAILEY COOPER HOWARD WARD"
).split()
FIRST_NAMES_M = (
    "JAMES JOHN ROBERT MICHAEL WILLIAM DAVID JOSEPH THOMAS CHRISTOPHER DANIEL MATTHEW ANTHONY MARK "
    "STEVEN PAUL ANDREW JOSHUA KEVIN BRIAN RYAN JASON JUSTIN ERIC SEAN PATRICK TIMOTHY JOSE LUIS CARLOS "
    "JUAN ANGEL MIGUEL JONATHAN TYLER BRANDON JEFFREY SCOTT KYLE NICHOLAS DEREK MARCUS ANDRE TERRELL "
    "DARNELL MALIK JAMAL PEDRO RAFAEL EDWIN MANUEL HECTOR NELSON"
).split()
FIRST_NAMES_F = (
    "MARY JENNIFER ELIZABETH LINDA SARAH JESSICA ASHLEY AMANDA STEPHANIE NICOLE MELISSA HEATHER "
    "MICHELLE KIMBERLY AMY ANGELA LISA CRYSTAL TIFFANY DANIELLE KAYLA BRITTANY SAMANTHA RACHEL LAUREN "
    "MARIA CARMEN ROSA ANA YOLANDA KEISHA TANYA SHANICE"
).split()
