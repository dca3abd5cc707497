"""issue_refund on the memory adapter: the credit left after open items, a voucher, once."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.core.ledger import account_summary, ledger_from_book
from addin.errors import PaxlError
from macros.refunds import READS, issue_refund_on, payee_record
from macros.runner import run_macro
from tests.macros.practice import NOW, USER, practice, select_patient


def _refund(workbook):
    return issue_refund_on(workbook, now=NOW, user=USER)


def _labelled(workbook, sheet: str) -> dict[str, object]:
    return {row[0]: row[1] for row in workbook.values(sheet) if row and row[0]}


def test_the_credit_pays_the_other_open_item_first_and_the_rest_is_refunded():
    # P004 paid 150.00 on a 100.00 charge; the 50.00 credit pays C005 (30.00), 20.00 is refunded
    workbook = practice()
    select_patient(workbook, "P004")

    result = _refund(workbook)

    assert result.applied.appended == {"Payments": 1, "Audit": 1}
    header, *_, refund = workbook.values("Payments")
    assert dict(zip(header, refund, strict=True)) == {
        "PaymentID": "PAY004",
        "Date": dt.datetime(2026, 6, 15),
        "PatientID": "P004",
        "ChargeID": None,
        "Payer": "Patient",
        "Kind": "Refund",
        "Method": "Check",
        "Reference": None,
        "Amount": 20.0,
        "PostedBy": USER,
        "PostedAt": NOW,
    }
    voucher = _labelled(workbook, "Refund P004")
    assert voucher["Refund number"] == "PAY004"
    assert voucher["Amount"] == 20.0
    assert voucher["Pay to"] == "Sam Novak"
    assert voucher["Balance before this refund (negative = credit)"] == -20.0
    assert voucher["Balance after this refund"] == 0.0
    applied = [row[:5] for row in workbook.values("Refund P004") if row[0] == "C005"]
    assert applied == [["C005", dt.datetime(2026, 4, 1), 30.0, 30.0, 0.0]]
    audit = workbook.values("Audit")[-1]
    assert audit[2:5] == ["issue_refund", "Payments", 1]
    assert "PAY004" in result.message and "Refund P004" in result.message


def test_after_the_refund_the_account_is_settled_and_a_second_click_writes_nothing():
    workbook = practice()
    select_patient(workbook, "P004")
    _refund(workbook)
    payments = workbook.values("Payments")
    select_patient(workbook, "P004")  # the voucher sheet is active now

    again = _refund(workbook)

    assert not again.wrote
    assert "has no credit to refund" in again.message
    assert workbook.values("Payments") == payments
    snapshot = workbook.snapshot(READS)
    account = account_summary(ledger_from_book(snapshot.book, as_of=NOW.date()), "P004")
    assert (account.balance, account.credit, account.refund_due) == (0, 0, 0)


def test_with_apply_credit_first_off_the_whole_overpayment_is_refunded():
    workbook = practice(policy={"apply_credit_first": False})
    select_patient(workbook, "P004")

    _refund(workbook)

    assert workbook.values("Payments")[-1][8] == 50.0
    assert any("apply_credit_first off" in str(row[0]) for row in workbook.values("Refund P004"))


def test_a_credit_held_while_insurance_is_pending_is_not_refunded():
    workbook = practice()
    select_patient(workbook, "P002")
    payments, audit = workbook.values("Payments"), workbook.values("Audit")

    result = _refund(workbook)

    assert not result.wrote
    assert "held while insurance is still pending" in result.message
    assert workbook.alerts == [(result.message, "paxl")]
    assert (workbook.values("Payments"), workbook.values("Audit")) == (payments, audit)
    assert "Refund P002" not in workbook.sheet_names()


def test_a_patient_without_credit_gets_a_clear_message_and_nothing_is_written():
    workbook = practice()
    select_patient(workbook, "P005")

    result = _refund(workbook)

    assert result.message == "Patient P005 has no credit to refund. Nothing was written."
    assert "Refund P005" not in workbook.sheet_names()


def test_no_patient_selected_is_told_to_the_rep():
    workbook = practice()
    workbook.select("Policy", 3, 2)

    with pytest.raises(PaxlError, match="No patient is selected"):
        _refund(workbook)
    result = run_macro(issue_refund_on, workbook, now=NOW, user=USER)
    assert not result.wrote
    assert "No patient is selected (sheet Policy, row 3)" in workbook.alerts[-1][0]


def test_a_patient_id_not_on_patients_is_refused():
    workbook = practice()
    workbook.select("Payments", 2, 1)
    workbook.set_cell("Payments", 2, 3, "P777")

    with pytest.raises(PaxlError, match="Patient P777 is not on the Patients sheet"):
        _refund(workbook)


def test_the_refund_check_goes_to_the_guarantor_when_there_is_one():
    workbook = practice()
    snapshot = workbook.snapshot(["Patients"], policy=False)
    patients = snapshot["Patients"].set_index("PatientID", drop=False)

    payee = payee_record(snapshot, patients.loc["P003"].to_dict())

    assert payee["PatientID"] == "P001"
    assert payee_record(snapshot, patients.loc["P004"].to_dict())["PatientID"] == "P004"
