"""The functions through xlwings' own custom-function machinery (xlwings Lite and Server).

``udfs`` is imported in a fresh interpreter with ``XLWINGS_ON_SERVER=true`` (see
``server_runner.py``), so the ``@xw.func``/``@xw.arg`` decorators record their metadata;
``custom_functions_meta`` must describe every function and argument, and ``custom_functions_call``
must return what a direct call returns, in the form Excel receives it. That machinery is xlwings
PRO code: these tests are marked ``xlwings_pro`` (CI runs them with
``XLWINGS_LICENSE_KEY=noncommercial``; deselect with ``-m 'not xlwings_pro'``).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

import udfs
from addin.errors import PaxlError
from tests.conftest import good_records
from tests.udfs.excel_ranges import excel_range, serial

pytestmark = pytest.mark.xlwings_pro

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DOC = "Positional argument"
#: the functions of the catalogue's table (issue 7, section 1)
ISSUE_TABLE = [
    "SPLIT",
    "COB",
    "INCOME_PLAN",
    "INSTALLMENTS",
    "AMORTIZE",
    "FPG",
    "FPL_PERCENT",
    "ASSISTANCE",
    "AGE_BUCKET",
    "AGING",
    "DUNNING_LEVEL",
    "ECA_DATES",
    "CODE_CHECK",
    "BALANCE",
]


def rng(*rows: list[object]) -> list[list[object]]:
    """A range as Office.js sends it: blanks as empty text."""
    return [["" if v is None else v for v in row] for row in rows]


def col(*values: object) -> list[list[object]]:
    return rng(*([v] for v in values))


def one(value: object) -> list[list[object]]:
    return [[value]]


def table(name: str) -> list[list[object]]:
    return rng(*excel_range(good_records()[name], name, serial_dates=True))


TIERS = rng(["MaxPercent", "Discount"], [2.0, 1.0], [3.0, 0.75], [3.5, 0.5], [4.0, 0.25])

CASES: list[tuple[str, list[object]]] = [
    ("pa_split", [one(800), one(0.2), one(500), one(3500), None, one(1200), None]),
    ("pa_split", [col(800, 400, None), one(0.2), one(500), one(3500), None, None, col(1, 0, 1)]),
    ("pa_cob", [one(800), one(480), one(720), one("non_duplication")]),
    ("pa_cob", [col(800, 800), col(480, 900), one(720), None]),
    ("pa_cob", [one(800), one(900), one(720), None]),
    ("pa_income_plan", [one(4500), one(2500), one(0.04), one(36)]),
    ("pa_income_plan", [col(4500, 1230), one(2500), col(0.04, 0.02), None]),
    ("pa_installments", [one(100), one(3), one(serial(dt.date(2026, 1, 31))), None]),
    ("pa_amortize", [one(1000), one(0.12), one(3), one(serial(dt.date(2026, 1, 15)))]),
    ("pa_fpg", [col(1, 2, 3), one(2026), None]),
    ("pa_fpg", [one(2), one(2027), rng(["Year", "Base", "PerExtraPerson"], [2027, 16500, 5800])]),
    ("pa_fpl_percent", [one(65000), one(4), one(2025), None]),
    ("pa_assistance", [col(65000, 20000, None), one(4), one(2025), TIERS, None]),
    (
        "pa_age_bucket",
        [col(serial(dt.date(2026, 1, 1)), serial(dt.date(2025, 9, 1))), one(46068.0), None],
    ),
    ("pa_aging", [col(10.1, 20.2), col(46000.0, 46060.0), one(46068.0), None]),
    ("pa_dunning_level", [rng([30, 45, 200]), None]),
    ("pa_dunning_level", [one(45), col(15, 30, 45, 60)]),
    ("pa_eca_dates", [one(serial(dt.date(2026, 1, 15))), one(serial(dt.date(2026, 5, 1)))]),
    ("pa_eca_dates", [col(serial(dt.date(2026, 1, 15)), None), None]),
    ("pa_code_check", [col("e119", "E11", "E11.9, I10", None), one("diagnosis")]),
    ("pa_code_check", [one("99213"), one("procedure")]),
    (
        "pa_balance",
        [
            col("P001", "P002", "P999"),
            table("Charges"),
            table("Payments"),
            table("Adjustments"),
            None,
            None,
        ],
    ),
    (
        "pa_balance",
        [
            one("P003"),
            table("Charges"),
            table("Payments"),
            table("Adjustments"),
            one(serial(dt.date(2026, 12, 31))),
            table("Patients"),
        ],
    ),
    ("pa_plan_options", [one(4500), one(2500), None, None, None, None, None, None, None]),
    (
        "pa_estimate",
        [one("P001"), one("99213,80053"), one(serial(dt.date(2026, 6, 1)))]
        + [table(n) for n in ("Patients", "Plans", "Coverage", "Fees", "Allowed")],
    ),
    (
        "pa_plan_options",
        [one(1200), None, one("Professional"), col(6, 12), None, one(0.08)] + [None] * 3,
    ),
]


NA = {"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}

#: cells holding Excel errors: Office.js sends them as objects, Windows Excel as error values;
#: either way the function sees the error's text and refuses it by name (never as a blank)
ERROR_CELLS: list[tuple[str, list[object], list[object]]] = [
    (
        "pa_split",
        [col(800, NA), one(0.2), one(0), None, None, None, None],
        [col(800, "#N/A"), 0.2, 0, None],
    ),
    ("pa_fpg", [col(2, NA), one(2026), None], [col(2, "#N/A"), 2026]),
]


@pytest.fixture(scope="module")
def through_xlwings() -> dict[str, object]:
    calls = [[name, args] for name, args in CASES]
    calls += [[name, args] for name, args, _ in ERROR_CELLS]
    done = subprocess.run(
        [sys.executable, "-m", "tests.udfs.server_runner"],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def as_excel_receives(value: object) -> object:
    """A direct call's result in the form Office.js receives: a list of rows, dates as serial
    numbers, blanks as empty text (what xlwings' office.js converter does)."""
    if not isinstance(value, list):
        value = [[value]]
    elif not any(isinstance(v, list) for v in value):
        value = [value]

    def cell(v: object) -> object:
        if v is None:
            return ""
        if isinstance(v, dt.date):
            return serial(v)
        return v

    return [[cell(v) for v in row] for row in value]


def direct(name: str, args: list[object]) -> dict[str, object]:
    try:
        return {"value": as_excel_receives(getattr(udfs, name)(*args))}
    except PaxlError as exc:
        return {"error": str(exc)}


def test_every_function_is_registered_with_an_upper_case_name(through_xlwings):
    names = {f["name"] for f in through_xlwings["meta"]["functions"]}
    assert names == {name.upper() for name in udfs.__all__}
    assert names >= {f"PA_{n}" for n in ISSUE_TABLE}


def test_every_function_has_a_description_that_fits_excels_function_wizard(through_xlwings):
    for function in through_xlwings["meta"]["functions"]:
        text = function["description"]
        assert text == getattr(udfs, function["id"].lower()).__doc__
        assert "Example" in text, function["name"]
        assert "\n" not in text and "  " not in text
        assert 40 <= len(text) <= 255, (function["name"], len(text))


def test_every_argument_has_a_description(through_xlwings):
    for function in through_xlwings["meta"]["functions"]:
        assert function["parameters"], function["name"]
        for parameter in function["parameters"]:
            text = parameter["description"]
            assert not text.startswith(DEFAULT_DOC), (function["name"], parameter["name"])
            assert 10 <= len(text) <= 255, (function["name"], parameter["name"])
            assert parameter["dimensionality"] == "matrix"


def test_optional_arguments_are_marked_optional_and_say_so(through_xlwings):
    for function in through_xlwings["meta"]["functions"]:
        for parameter in function["parameters"]:
            optional = parameter["description"].startswith("Optional.")
            assert parameter.get("optional", False) is optional, (
                function["name"],
                parameter["name"],
            )


@pytest.mark.parametrize(
    "index", range(len(CASES)), ids=[f"{i}-{name}" for i, (name, _) in enumerate(CASES)]
)
def test_a_call_through_xlwings_returns_what_a_direct_call_returns(through_xlwings, index):
    name, args = CASES[index]
    got = through_xlwings["results"][index]
    expected = direct(name, args)
    if "error" in expected:
        assert got["error"] == expected["error"]
        assert got["type"] == "PaxlError"
    else:
        assert "value" in got, got
        assert got["value"] == expected["value"]


def test_worked_numbers_through_xlwings(through_xlwings):
    results = through_xlwings["results"]
    assert results[0]["value"] == [[400.0, 0.0, 500.0, 60.0, 560.0, 240.0]]
    assert results[2]["value"] == [[240.0, 80.0]]
    assert results[5]["value"] == [[100.0, 36, 100.0, 3600.0, 900.0]]
    assert results[11]["value"] == [[202.18]]
    assert results[17]["value"] == [
        [serial(dt.date(2026, 5, 15)), serial(dt.date(2026, 5, 31)), serial(dt.date(2026, 9, 12))]
    ]
    assert results[4]["error"].startswith("PA_COB: the primary paid 900.00")


@pytest.mark.parametrize("index", range(len(ERROR_CELLS)), ids=[n for n, _, _ in ERROR_CELLS])
def test_an_error_cell_is_refused_by_name_not_read_as_blank(through_xlwings, index):
    name, _, direct_args = ERROR_CELLS[index]
    got = through_xlwings["results"][len(CASES) + index]
    expected = direct(name, direct_args)
    assert {k: v for k, v in got.items() if k != "type"} == expected
    shown = json.dumps(got)
    assert "row 2" in shown and "#N/A" in shown
