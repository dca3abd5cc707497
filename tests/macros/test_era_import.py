"""import_era on the memory adapter: an 835 file posted once, through one write plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from addin.errors import PaxlError
from addin.workbook.memory_adapter import MemoryWorkbook
from macros.era_import import era_path, import_era_named_on, import_era_on
from macros.runner import run_macro
from tests.era.post_fixture import practice_records

FILES = Path(__file__).resolve().parents[1] / "era" / "files"
NOW = dt.datetime(2026, 4, 20, 9, 0)
USER = "rep1"
TABLES = ("Payments", "Adjustments", "Audit")


def _workbook() -> MemoryWorkbook:
    workbook = MemoryWorkbook.from_records(practice_records())
    workbook.select("Patients", 2, 1)
    return workbook


def _import(workbook, name: str):
    return import_era_on(workbook, now=NOW, user=USER, path=FILES / name)


def _state(workbook) -> dict[str, list]:
    return {t: workbook.values(t) for t in TABLES}


def test_a_remittance_posts_payments_adjustments_and_its_report_sheets():
    workbook = _workbook()
    payments = len(workbook.values("Payments"))

    result = _import(workbook, "normal_payment.835")

    assert result.applied.appended == {"Payments": 5, "Adjustments": 5, "Audit": 1}
    assert result.applied.sheets == (
        "ERA posting",
        "Denials",
        "Unmatched claims",
        "Provider adjustments",
    )
    rows = workbook.values("Payments")
    assert len(rows) == payments + 5
    assert {r[6] for r in rows[-5:]} == {"EFT"}
    assert {r[7] for r in rows[-5:]} == {"EFT20260312001"}
    audit = workbook.values("Audit")[-1]
    assert audit[:5] == [NOW, USER, "import_era", "Payments", 5]
    assert "normal_payment.835" in audit[5]
    assert workbook.alerts == [(result.message, "paxl")]


def test_the_same_file_twice_is_refused_and_writes_nothing():
    workbook = _workbook()
    _import(workbook, "normal_payment.835")
    before = _state(workbook)

    result = run_macro(
        lambda port, *, now, user: _import(port, "normal_payment.835"), workbook, now=NOW
    )

    assert not result.wrote
    assert "already posted" in result.message
    assert _state(workbook) == before


def test_a_file_that_does_not_balance_is_never_posted():
    workbook = _workbook()
    before = _state(workbook)

    with pytest.raises(PaxlError, match="cannot be posted"):
        _import(workbook, "broken_unbalanced.835")

    assert _state(workbook) == before
    assert "ERA posting" not in workbook.sheet_names()


def test_the_file_can_come_from_a_cell_named_era_file():
    workbook = _workbook()
    workbook.set_cell("Policy", 80, 2, str(FILES / "denial.835"))
    workbook.set_name("era_file", "Policy", "B80")

    result = import_era_named_on(workbook, now=NOW, user=USER)

    assert result.wrote
    assert "denied line(s)" in result.message


def test_no_file_chosen_says_how_to_choose_one():
    with pytest.raises(PaxlError, match="type its full path in a cell named era_file"):
        era_path(_workbook())
