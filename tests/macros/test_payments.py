"""post_payments on the memory adapter: staging rows → Payments, refused rows write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from addin.workbook.memory_adapter import MemoryWorkbook
from addin.workbook.write_plan import PlanRejected
from macros.payments import NEW_PAYMENTS, duplicate_postings, post_payments_on
from macros.runner import run_macro
from tests.macros.practice import NOW, USER, practice, practice_records, staged


def _post(workbook):
    return post_payments_on(workbook, now=NOW, user=USER)


def _untouched(workbook, before: dict[str, list]) -> None:
    for sheet, values in before.items():
        assert workbook.values(sheet) == values, f"{sheet} was written"


def _state(workbook) -> dict[str, list]:
    return {s: workbook.values(s) for s in ("Payments", "NewPayments", "Audit")}


def test_posting_appends_rows_with_new_ids_and_stamps_then_empties_staging():
    workbook = practice(
        staging=[
            staged("P004", "25.00", Reference="7001"),
            staged(
                "P001",
                "12.50",
                ChargeID="C001",
                Payer="ACME-PPO",
                Kind="Payment",
                Method="EFT",
                Reference="TRN999",
            ),
        ]
    )
    result = _post(workbook)

    assert result.wrote
    assert result.applied.appended == {"Payments": 2, "Audit": 1}
    rows = workbook.values("Payments")
    assert [r[0] for r in rows[-2:]] == ["PAY004", "PAY005"]
    first = dict(zip(rows[0], rows[-2], strict=True))
    assert first == {
        "PaymentID": "PAY004",
        "Date": dt.datetime(2026, 6, 14),
        "PatientID": "P004",
        "ChargeID": None,
        "Payer": "Patient",
        "Kind": "Payment",  # blank Kind = Payment
        "Method": "Check",
        "Reference": "7001",
        "Amount": 25.0,
        "PostedBy": USER,
        "PostedAt": NOW,
    }
    assert dict(zip(rows[0], rows[-1], strict=True))["Payer"] == "ACME-PPO"
    assert workbook.values("NewPayments") == [list(NEW_PAYMENTS.column_names)]
    audit = workbook.values("Audit")[-1]
    assert audit[:5] == [NOW, USER, "post_payments", "Payments", 2]
    assert "PAY004..PAY005" in audit[5] and "rows 2-3" in audit[5]
    assert workbook.alerts == [(result.message, "paxl")]
    assert "PAY004 to PAY005" in result.message


def test_unknown_patient_is_refused_naming_the_staging_row_and_nothing_is_written():
    workbook = practice(staging=[staged("P004"), staged("P999", Reference="7002")])
    before = _state(workbook)

    with pytest.raises(PlanRejected) as caught:
        _post(workbook)

    problems = [(f.code, f.sheet, f.row, f.column) for f in caught.value.findings]
    assert problems == [("unknown_reference", "NewPayments", 3, "PatientID")]
    _untouched(workbook, before)


def test_a_refused_posting_tells_the_rep_sheet_row_and_column_once():
    workbook = practice(staging=[staged("P999")])

    result = run_macro(post_payments_on, workbook, now=NOW, user=USER)

    assert not result.wrote
    assert len(workbook.alerts) == 1
    message = workbook.alerts[0][0]
    assert message.startswith("Nothing was written: 1 problem(s) to fix first.")
    assert "sheet NewPayments, row 2, column PatientID" in message
    assert "P999" in message


def test_a_payment_already_in_payments_is_refused_as_a_duplicate():
    # PAY003: P004, Patient, check 5001, 150.00 — typed again with a space in the reference
    workbook = practice(staging=[staged("P004", "150.00", Reference="50 01", ChargeID="C004")])
    before = _state(workbook)

    with pytest.raises(PlanRejected) as caught:
        _post(workbook)

    (finding,) = caught.value.findings
    assert (finding.code, finding.sheet, finding.row, finding.column) == (
        "duplicate_payment",
        "NewPayments",
        2,
        "Reference",
    )
    assert "PAY003 (Payments row 4)" in finding.message
    _untouched(workbook, before)


def test_the_same_payment_typed_twice_in_one_batch_is_refused_on_the_second_row():
    workbook = practice(staging=[staged("P004"), staged("P005"), staged("P004")])

    with pytest.raises(PlanRejected) as caught:
        _post(workbook)

    (finding,) = caught.value.findings
    assert (finding.sheet, finding.row, finding.column) == ("NewPayments", 4, "Reference")
    assert "NewPayments row 2" in finding.message


def test_one_insurer_trace_paying_two_lines_for_the_same_amount_is_not_a_duplicate():
    line = {"Payer": "ACME-PPO", "Method": "EFT", "Reference": "TRN555"}
    workbook = practice(
        staging=[
            staged("P004", "30.00", ChargeID="C004", **line),
            staged("P004", "30.00", ChargeID="C005", **line),
        ]
    )

    assert _post(workbook).applied.appended["Payments"] == 2


def test_rows_without_a_reference_are_never_duplicates():
    workbook = practice(
        staging=[staged(Method="Cash", Reference=None), staged(Method="Cash", Reference=None)]
    )

    assert _post(workbook).applied.appended["Payments"] == 2


def test_a_cell_that_does_not_fit_is_reported_once_with_every_other_problem():
    workbook = practice()
    workbook.type_row("NewPayments", {**staged(), "Amount": "lots"})
    workbook.type_row("NewPayments", staged("P004", "0.00", Method="Chek"))
    before = _state(workbook)

    with pytest.raises(PlanRejected) as caught:
        _post(workbook)

    problems = sorted((f.code, f.row, f.column) for f in caught.value.findings)
    assert problems == [
        ("not_allowed", 3, "Method"),
        ("wrong_type", 2, "Amount"),
        ("zero_amount", 3, "Amount"),
    ]
    _untouched(workbook, before)


def test_a_negative_amount_is_refused():
    workbook = practice(staging=[staged(amount="-5.00")])

    with pytest.raises(PlanRejected) as caught:
        _post(workbook)

    assert [(f.code, f.row, f.column) for f in caught.value.findings] == [
        ("negative_amount", 2, "Amount")
    ]


def test_an_empty_staging_table_writes_nothing_and_says_so():
    workbook = practice()
    before = _state(workbook)

    result = _post(workbook)

    assert not result.wrote
    assert "nothing to post" in result.message
    assert workbook.alerts == [(result.message, "paxl")]
    _untouched(workbook, before)


def test_a_workbook_without_the_staging_table_is_refused():
    workbook = MemoryWorkbook.from_records(practice_records())

    with pytest.raises(PlanRejected) as caught:
        _post(workbook)

    assert [(f.code, f.sheet) for f in caught.value.findings] == [("missing_table", "NewPayments")]


def test_duplicate_rule_compares_kind_so_a_refund_is_not_a_repeat_of_a_payment():
    workbook = practice(staging=[staged("P004", "150.00", Reference="5001", Kind="Refund")])
    snapshot = workbook.snapshot(["Payments", NEW_PAYMENTS], policy=False)

    assert duplicate_postings(snapshot["NewPayments"], snapshot["Payments"]) == []


def test_posted_amounts_keep_their_cents_exactly():
    workbook = practice(staging=[staged(amount="0.10"), staged("P005", "1234.57", Reference="8")])

    _post(workbook)

    snapshot = workbook.snapshot(["Payments"], policy=False)
    assert snapshot["Payments"]["Amount"].tolist()[-2:] == [10, 123457]
    assert Decimal("1234.57") * 100 == 123457


def test_the_reps_own_staging_layout_without_optional_columns_posts():
    workbook = MemoryWorkbook.from_records(practice_records())
    workbook.add_table(
        NEW_PAYMENTS,
        [staged("P004", "25.00")],
        sheet="NewPayments",
        at=(3, 2),
        header=["PatientID", "Date", "Amount", "Payer", "Method", "Reference", "Rep note"],
    )

    result = _post(workbook)

    assert result.applied.appended == {"Payments": 1, "Audit": 1}
    assert workbook.values("Payments")[-1][:6] == [
        "PAY004",
        dt.datetime(2026, 6, 14),
        "P004",
        None,
        "Patient",
        "Payment",
    ]


def test_a_staging_table_missing_a_required_column_is_refused_naming_it():
    workbook = MemoryWorkbook.from_records(practice_records())
    workbook.add_table(
        NEW_PAYMENTS,
        [staged("P004", "25.00")],
        sheet="NewPayments",
        header=["PatientID", "Date", "Payer", "Method", "Reference"],
    )

    with pytest.raises(PlanRejected) as caught:
        _post(workbook)

    assert [(f.code, f.sheet, f.row, f.column) for f in caught.value.findings] == [
        ("missing_column", "NewPayments", 1, "Amount")
    ]
