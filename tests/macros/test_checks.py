"""verify_coverage and audit_accounts on the memory adapter: findings sheets, worst first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from macros.checks import AUDIT_SHEET, COVERAGE_SHEET, audit_accounts_on, verify_coverage_on
from macros.layout import FINDING_HEADER
from tests.macros.practice import NOW, USER, practice, practice_records

HEADER_ROW = 4


def _findings(workbook, sheet: str) -> list[dict[str, object]]:
    values = workbook.values(sheet)
    assert tuple(values[HEADER_ROW - 1][: len(FINDING_HEADER)]) == FINDING_HEADER
    return [dict(zip(FINDING_HEADER, row, strict=False)) for row in values[HEADER_ROW:]]


def test_coverage_check_lists_errors_before_warnings_with_a_link_to_the_row():
    records = practice_records()
    # P001's coverage starts 2026-01-01: a charge from 2025 has no coverage in force
    records["Charges"].append(
        {
            "ChargeID": "C007",
            "PatientID": "P001",
            "ServiceDate": dt.date(2025, 12, 1),
            "Code": "99213",
            "Amount": Decimal("180.00"),
        }
    )
    workbook = practice(records=records)

    result = verify_coverage_on(workbook, now=NOW, user=USER)

    rows = _findings(workbook, COVERAGE_SHEET)
    first = rows[0]
    assert (first["Severity"], first["Code"], first["Sheet"], first["Row"]) == (
        "error",
        "coverage_inactive",
        "Charges",
        7,
    )
    assert first["Go to"] == '=HYPERLINK("#\'Charges\'!A7","Charges row 7")'
    assert [r["Severity"] for r in rows] == sorted(
        (r["Severity"] for r in rows), key=["error", "warning", "info"].index
    )
    assert {r["Code"] for r in rows[1:]} == {"self_pay", "not_verified"}
    assert result.message.startswith("1 error(s)")
    assert workbook.values(COVERAGE_SHEET)[0][0] == "Coverage check as of 2026-06-15"
    assert workbook.values("Audit")[-1][2] == "verify_coverage"


def test_audit_findings_go_on_their_own_sheet_not_the_audit_log():
    records = practice_records()
    duplicate = dict(records["Payments"][2], PaymentID="PAY009")  # check 5001 posted twice
    records["Payments"].append(duplicate)
    workbook = practice(records=records)

    result = audit_accounts_on(workbook, now=NOW, user=USER)

    rows = _findings(workbook, AUDIT_SHEET)
    assert (rows[0]["Code"], rows[0]["Sheet"], rows[0]["Row"], rows[0]["Column"]) == (
        "duplicate_payment",
        "Payments",
        5,
        "Reference",
    )
    assert "PAY009" in rows[0]["IDs"]
    assert result.findings[0].code == "duplicate_payment"
    header, *log = workbook.values("Audit")
    assert header == ["At", "Who", "Action", "Table", "Rows", "Detail"]
    assert log[-1][2] == "audit_accounts"


def test_validation_problems_are_listed_with_the_audit_and_the_audit_still_runs():
    workbook = practice()
    workbook.set_cell("Charges", 3, 3, "P404")  # C002 now names an unknown patient

    audit_accounts_on(workbook, now=NOW, user=USER)

    rows = _findings(workbook, AUDIT_SHEET)
    assert ("unknown_reference", "Charges", 3, "PatientID") in {
        (r["Code"], r["Sheet"], r["Row"], r["Column"]) for r in rows
    }


def test_a_clean_check_says_no_problems_found():
    records = practice_records()
    records["Coverage"] = [
        {
            "PatientID": pid,
            "PlanID": "MCR",
            "Rank": 1,
            "EffectiveFrom": dt.date(2025, 1, 1),
            "VerifiedOn": dt.date(2026, 6, 1),
        }
        for pid in ("P001", "P002", "P003", "P004", "P005")
    ]
    records["Charges"] = [dict(c, ServiceDate=dt.date(2026, 6, 2)) for c in records["Charges"]]
    workbook = practice(records=records)

    result = verify_coverage_on(workbook, now=NOW, user=USER)

    assert result.message == f"No problems found; see sheet {COVERAGE_SHEET}."
    assert workbook.values(COVERAGE_SHEET)[3][0] == "No problems found."
