"""What each published table must satisfy, as Great Expectations suites.

A table's suite is derived from its columns and from what the dbt project
says of it (contract.py), so a mart added later is checked without any
change here:

* dimension columns (the registry's, else the primary key of a table that
  withholds or counts people) keep to the values the marts' dbt tests allow,
  else to the seeds' labels, plus `All` where the registry allows a total;
  years and snapshot dates keep to a pattern;
* every other column a mart's accepted_values or values_in_seed test covers
  keeps to its values (audit_result is `pass`);
* numeric columns (metrics) are non-negative, with tighter ranges for known
  names (days, rates, shares), the order the registry states between
  measures, and R9: a published people count is above small_count_max;
* suppression invariants: `suppressed` is 0 or 1 and a withheld row carries
  no figure at all.

Only rules that hold for every contract-conformant extract are expressed:
nothing depends on row counts or on particular numbers.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import Any

from .contract import ALL, DEMOGRAPHIC_FIELDS, Contract, Labels

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.expectations.row_conditions import Column  # noqa: E402

WARNING_ONLY = "warning_only"  # meta flag: a failure is reported but does not block the publish
FROM = "values_from"  # meta: the dbt test or seed a value set comes from, for the report
# Text patterns for dimensions whose values are formats, not a closed list.
PATTERNS: dict[str, str] = {
    "snapshot_date": r"^\d{4}-01-01$",
    "event_year": r"^\d{4}$",
    "release_year": r"^\d{4}$",
    "year": r"^\d{4}$",
    "event_month": r"^(0[1-9]|1[0-2])$",
}
YEARS = (1900, 2200)  # a year dimension held as a number
# Ranges for known metrics (inclusive); every other metric is only >= 0.
DAYS_RANGE = (1, 36_500)
RATE_RANGE = (0, 1)
SHARES = {"rate", "information_loss"}
# (larger, smaller) in the tables outside the registry, whose measures it does not order.
ORDERED_PAIRS = [
    ("records", "records_with_valid_sid"),
    ("last_year", "first_year"),
    ("cells", "withheld_cells"),
    ("withheld_cells", "withheld_primary"),
    ("withheld_cells", "withheld_complementary"),
    ("people_in_cells", "people_in_withheld_cells"),
]
# Reference tables that publish a dimension's labels: exactly those the marts may hold.
REFERENCE_LABELS: dict[tuple[str, str], str] = {
    ("agency_collapse", "published_agency"): "agency",
    ("age_group_ranges", "age_group"): "age_group",
    ("program_area_names", "psi_area"): "psi_area",
}
# Free-text columns allowed to look like ISO dates (cohort dates, not a person's).
DATE_LIKE_OK = {"snapshot_date"}
PERSON_DATE = r"^\d{4}-\d{2}-\d{2}|^\d{1,2}/\d{1,2}/\d{4}|^(19|20)\d{6}$"
NUMERIC_TYPES = ("INTEGER", "REAL", "NUMERIC")


@dataclass
class TableShape:
    name: str
    numeric: list[str]
    text: list[str]
    primary_key: list[str]
    dimensions: list[str]
    metrics: list[str]
    people_counts: set[str]

    @property
    def withholds(self) -> bool:
        return "suppressed" in self.numeric

    @property
    def counts_people(self) -> bool:
        return self.withholds or bool(self.people_counts)


def table_shape(name: str, columns: list[tuple[str, str, int]], contract: Contract) -> TableShape:
    """`columns`: (name, declared SQLite type, position in the primary key or 0), as pragma table_info."""
    numeric = [column for column, kind, _ in columns if kind.upper() in NUMERIC_TYPES]
    text = [column for column, _, _ in columns if column not in numeric]
    key = [column for column, _, position in sorted(columns, key=lambda c: c[2]) if position > 0]
    people = contract.people_counts(name, numeric)
    counts_people = "suppressed" in numeric or bool(people)
    # A people-counting table is keyed by its dimensions; without a key, its text columns.
    dimensions = (contract.dimensions(name) or key or text) if counts_people else list(text)
    metrics = [column for column in numeric if column not in dimensions and column != "suppressed"]
    return TableShape(name, numeric, text, key, dimensions, metrics, people & set(metrics))


def _in_set(shape: TableShape, column: str, labels: Labels) -> gxe.Expectation:
    if column in shape.numeric:  # `All` never sits in a number column
        values: list[Any] = [int(v) for v in labels.values if str(v).lstrip("-").isdigit()]
    else:
        values = [str(value) for value in labels.values]
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=values, meta={FROM: labels.source})


def _dimension_expectations(shape: TableShape, contract: Contract) -> list[gxe.Expectation]:
    never_all = contract.never_all(shape.name, shape.dimensions)
    out: list[gxe.Expectation] = []
    for column in shape.dimensions:
        out.append(gxe.ExpectColumnValuesToNotBeNull(column=column))
        allowed = contract.allowed(shape.name, column, dimension=True)
        out += [_in_set(shape, column, labels) for labels in allowed]
        if allowed:
            continue
        if column in PATTERNS and column in shape.numeric:
            out.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=YEARS[0], max_value=YEARS[1]))
        elif column in PATTERNS:
            regex = PATTERNS[column] if column in never_all else f"{PATTERNS[column]}|^{ALL}$"
            out.append(gxe.ExpectColumnValuesToMatchRegex(column=column, regex=regex))
        elif column in never_all and column not in shape.numeric:
            out.append(gxe.ExpectColumnValuesToNotBeInSet(column=column, value_set=[ALL]))
    for parent, child in contract.hierarchies(shape.name):
        if {parent, child} <= set(shape.dimensions):
            out += _hierarchy_expectations(parent, child, contract.pairs[(parent, child)])
    return out


def _hierarchy_expectations(parent: str, child: str, pairs: list[tuple[str, str]]) -> list[gxe.Expectation]:
    out: list[gxe.Expectation] = [gxe.ExpectColumnValuesToBeInSet(
        column=child, value_set=[ALL], row_condition=Column(parent) == ALL)]
    # Each child under its own parent. (ExpectColumnPairValuesToBeInSet would say this in
    # one line, but its pandas version walks the rows one by one: 10 s on the sample.)
    by_parent: dict[str, list[str]] = {}
    for top, below in pairs:
        by_parent.setdefault(top, []).append(below)
    for top, below_list in sorted(by_parent.items()):
        if top != ALL:
            out.append(gxe.ExpectColumnValuesToBeInSet(
                column=child, value_set=sorted(below_list), row_condition=Column(parent) == top))
    return out


def _metric_expectations(shape: TableShape, contract: Contract) -> list[gxe.Expectation]:
    small = contract.small_count_max
    out: list[gxe.Expectation] = []
    for column in shape.metrics:
        if column.endswith("_days"):
            low, high = DAYS_RANGE
            out.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high))
        elif column in SHARES or column.startswith("share_"):
            low, high = RATE_RANGE
            out.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high))
        elif column in shape.people_counts:
            out.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=small + 1))
        else:
            out.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0))
    for larger, smaller in contract.ordered_pairs(shape.name) + ORDERED_PAIRS:
        if larger in shape.metrics and smaller in shape.metrics:
            out.append(gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=larger, column_B=smaller, or_equal=True, ignore_row_if="either_value_is_missing"))
    for measure, bounds in contract.withheld_alone(shape.name):
        if measure not in shape.metrics:
            continue
        # R9 on a measure withheld alone (recidivated): a published value is never
        # 1 to small_count_max, nor is what it leaves of a measure bounding it.
        out.append(gxe.ExpectColumnValuesToNotBeInSet(column=measure, value_set=list(range(1, small + 1))))
        for bound in (bound for bound in bounds if bound in shape.metrics):
            with warnings.catch_warnings():  # arithmetic needs the (deprecated) pandas string parser
                warnings.simplefilter("ignore", DeprecationWarning)
                out.append(gxe.ExpectColumnValuesToBeNull(
                    column=measure, condition_parser="pandas",
                    row_condition=f"({bound} - {measure}) >= 1 and ({bound} - {measure}) <= {small}"))
    return out


def _suppression_expectations(shape: TableShape) -> list[gxe.Expectation]:
    if not shape.withholds:
        return []
    withheld = Column("suppressed") == 1
    out: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToNotBeNull(column="suppressed"),
        gxe.ExpectColumnValuesToBeInSet(column="suppressed", value_set=[0, 1]),
    ]
    out += [gxe.ExpectColumnValuesToBeNull(column=column, row_condition=withheld)
            for column in shape.metrics]
    for column in sorted(shape.people_counts):
        out.append(gxe.ExpectColumnValuesToNotBeNull(column=column, row_condition=Column("suppressed") == 0))
    return out


def _generic_expectations(shape: TableShape, contract: Contract) -> list[gxe.Expectation]:
    out: list[gxe.Expectation] = []
    if len(shape.primary_key) > 1:
        out.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=shape.primary_key))
    elif shape.primary_key:
        out.append(gxe.ExpectColumnValuesToBeUnique(column=shape.primary_key[0]))
    checked = shape.dimensions if shape.counts_people else []
    for column in shape.numeric + shape.text:
        if column not in checked:
            out += [_in_set(shape, column, labels) for labels in contract.allowed(shape.name, column, False)]
    # R9: no exact date tied to a person, in any of the three layouts of the source
    # systems, in a text column whose values are not already pinned to a list or pattern.
    pinned = {column for column in shape.text
              if column in PATTERNS or contract.allowed(shape.name, column, column in checked)} \
        if shape.counts_people else set()
    for column in shape.text:
        if column not in DATE_LIKE_OK and column not in pinned:
            out.append(gxe.ExpectColumnValuesToNotMatchRegex(column=column, regex=PERSON_DATE))
    return out


def _reference_expectations(shape: TableShape, contract: Contract, withholding: list[str]) -> list[gxe.Expectation]:
    out: list[gxe.Expectation] = []
    for (table, column), dimension in REFERENCE_LABELS.items():
        labels = contract.labels(dimension)
        if table == shape.name and column in shape.text and labels is not None:
            out.append(gxe.ExpectColumnDistinctValuesToEqualSet(
                column=column, value_set=[str(value) for value in labels.values], meta={FROM: labels.source}))
    if shape.name == "disclosure_audit" and "table_name" in shape.text and withholding:
        # Every table that withholds cells should be audited. Reported, not blocking:
        # the issue asks for the audit of the people-counting marts only.
        out.append(gxe.ExpectColumnDistinctValuesToContainSet(
            column="table_name", value_set=sorted(withholding), meta={WARNING_ONLY: True}))
    if shape.name == "demographic_code_map" and {"field", "standard_value"} <= set(shape.text):
        for field in DEMOGRAPHIC_FIELDS:
            labels = contract.labels(field)
            if labels is not None:
                out.append(gxe.ExpectColumnValuesToBeInSet(
                    column="standard_value", value_set=[str(value) for value in labels.values],
                    row_condition=Column("field") == field, meta={FROM: labels.source}))
    return out


def build_suite(shape: TableShape, contract: Contract, withholding: list[str]) -> gx.ExpectationSuite:
    """`withholding`: the tables of the file that have a `suppressed` column."""
    suite = gx.ExpectationSuite(name=f"published.{shape.name}")
    expectations = _generic_expectations(shape, contract) + _reference_expectations(shape, contract, withholding)
    if shape.counts_people:
        expectations += _dimension_expectations(shape, contract)
    expectations += _metric_expectations(shape, contract) + _suppression_expectations(shape)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite
