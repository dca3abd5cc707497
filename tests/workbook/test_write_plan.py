"""Write plans: built purely, validated as a whole against what was read, applied once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from addin.workbook.memory_adapter import MemoryWorkbook
from addin.workbook.port import SheetContent
from addin.workbook.write_plan import (
    PlanRejected,
    WritePlan,
    apply,
    plain_records,
    validate,
)
from tests.workbook.contract import NEW_PAYMENTS, READ, posting, sample_workbook


@pytest.fixture
def workbook() -> MemoryWorkbook:
    return sample_workbook()


@pytest.fixture
def snapshot(workbook):
    return workbook.snapshot(READ)


def _where(findings):
    return [(f.code, f.sheet, f.row, f.column) for f in findings]


def test_a_valid_plan_has_no_findings(snapshot):
    plan = WritePlan().append("Payments", [posting("PAY3")]).clear("NewPayments")
    assert validate(plan, snapshot) == []


def test_building_a_plan_returns_a_new_plan_and_leaves_the_old_one_alone():
    empty = WritePlan()
    one = empty.append("Payments", [posting("PAY3")])
    assert empty.operations == ()
    assert one.appended("Payments") == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.operations = ()  # type: ignore[misc]


def test_a_problem_is_reported_at_the_row_the_append_would_fill(snapshot):
    plan = WritePlan().append("Payments", [posting("PAY3"), posting("PAY4", Method="Barter")])
    assert _where(validate(plan, snapshot)) == [("not_allowed", "Payments", 5, "Method")]


def test_a_problem_is_reported_where_the_rep_typed_the_row(snapshot):
    staged = snapshot[NEW_PAYMENTS.name]
    rows = [posting("PAY3", Amount="12.345"), posting("PAY4")]
    origins = list(zip(staged["_sheet"], staged["_row"], strict=True))
    findings = validate(WritePlan().append("Payments", rows, origins=origins), snapshot)
    assert _where(findings) == [("wrong_type", "NewPayments", 4, "Amount")]
    assert "fractions of a cent" in findings[0].message
    assert "12.345" not in findings[0].message  # messages never repeat amounts


def test_a_required_value_left_blank(snapshot):
    plan = WritePlan().append("Payments", [posting("PAY3", Date=None)])
    assert _where(validate(plan, snapshot)) == [("blank_required", "Payments", 4, "Date")]


def test_a_negative_amount_is_refused(snapshot):
    plan = WritePlan().append("Payments", [posting("PAY3", Amount=Decimal("-5.00"))])
    assert _where(validate(plan, snapshot)) == [("negative_amount", "Payments", 4, "Amount")]


def test_an_id_already_in_the_table_is_a_duplicate(snapshot):
    plan = WritePlan().append("Payments", [posting("PAY2")])
    findings = validate(plan, snapshot)
    assert _where(findings) == [("duplicate_id", "Payments", 4, "PaymentID")]
    assert findings[0].ids == ("PAY2",)


def test_an_id_used_twice_in_one_plan_is_a_duplicate(snapshot):
    plan = WritePlan().append("Payments", [posting("PAY3")]).append("Payments", [posting("PAY3")])
    assert _where(validate(plan, snapshot)) == [("duplicate_id", "Payments", 5, "PaymentID")]


def test_an_unknown_patient_is_refused_but_one_added_by_the_same_plan_is_known(snapshot):
    patient = {
        "PatientID": "P2000",
        "LastName": "Novak",
        "FirstName": "Ida",
        "DOB": dt.date(2001, 3, 3),
        "AccountStatus": "Active",
    }
    unknown = WritePlan().append("Payments", [posting("PAY3", "P2000")])
    assert _where(validate(unknown, snapshot)) == [
        ("unknown_reference", "Payments", 4, "PatientID")
    ]
    known = unknown.append("Patients", [patient])
    assert validate(known, snapshot) == []


def test_a_payment_on_another_patients_charge_is_refused(snapshot):
    plan = WritePlan().append("Payments", [posting("PAY3", "P1001", ChargeID="C2")])
    assert _where(validate(plan, snapshot)) == [
        ("charge_patient_mismatch", "Payments", 4, "ChargeID")
    ]


def test_a_payer_that_is_the_patient_needs_no_plans_table(workbook):
    snapshot = workbook.snapshot(["Patients", "Payments"])
    assert validate(WritePlan().append("Payments", [posting("PAY3")]), snapshot) == []
    insurer = WritePlan().append("Payments", [posting("PAY3", Payer="ACME-PPO")])
    with pytest.raises(ValueError, match="read Plans into the snapshot"):
        validate(insurer, snapshot)


def test_writing_a_table_that_was_not_read_is_a_bug(workbook):
    snapshot = workbook.snapshot(["Patients"])
    with pytest.raises(ValueError, match="read Payments into the snapshot"):
        validate(WritePlan().append("Payments", [posting("PAY3")]), snapshot)
    with pytest.raises(ValueError, match="read NewPayments"):
        validate(WritePlan().clear("NewPayments"), snapshot)


def test_money_as_an_int_is_refused_when_the_plan_is_built():
    with pytest.raises(TypeError, match="not int"):
        WritePlan().append("Payments", [posting("PAY3", Amount=1000)])


def test_an_unknown_table_or_column_is_refused_when_the_plan_is_built():
    with pytest.raises(ValueError, match="not a schema table"):
        WritePlan().append("NewPayments", [{}])
    with pytest.raises(ValueError, match="no column"):
        WritePlan().append("Payments", [{"Colour": "red"}])


@pytest.mark.parametrize("table", ["Payments", "Audit", "Statements", "AssistanceTiers"])
def test_data_log_and_policy_tables_cannot_be_cleared(table):
    with pytest.raises(ValueError, match="never deletes its rows"):
        WritePlan().clear(table)


def test_replacing_a_sheet_that_holds_data_is_a_finding(snapshot):
    plan = WritePlan().write_sheet(SheetContent("NewPayments"))
    assert _where(validate(plan, snapshot)) == [("protected_sheet", "NewPayments", None, None)]


def test_rejection_says_nothing_was_written_and_where_the_first_problem_is(workbook, snapshot):
    plan = WritePlan().append(
        "Payments", [posting("PAY3", Method="Barter"), posting("PAY1"), posting("PAY5", "P9")]
    )
    with pytest.raises(PlanRejected) as rejected:
        apply(plan, workbook, snapshot)
    message = str(rejected.value)
    assert message.startswith("Nothing was written. sheet Payments, row 4, column Method:")
    assert message.endswith("(and 2 more problem(s))")
    assert len(rejected.value.findings) == 3


def test_staged_rows_post_through_plain_records(workbook, snapshot):
    staged = snapshot[NEW_PAYMENTS.name]
    records = [
        {
            **record,
            "PaymentID": f"PAY{3 + i}",
            "Kind": "Payment",
            "PostedBy": "rep1",
            "PostedAt": dt.datetime(2026, 2, 5, 9, 0),
        }
        for i, record in enumerate(plain_records(staged, "Payments"))
    ]
    assert records[1]["Amount"] == Decimal("112.40")
    origins = list(zip(staged["_sheet"], staged["_row"], strict=True))
    plan = WritePlan().append("Payments", records, origins=origins).clear("NewPayments")
    applied = apply(plan, workbook, snapshot)
    assert applied.appended == {"Payments": 2}
    assert applied.cleared == ("NewPayments",)
    payments = workbook.read_table("Payments").frame
    assert payments["Amount"].tolist() == [4000, 2550, 6000, 11240]
    assert payments["Payer"].tolist()[-1] == "ACME-PPO"


def test_apply_writes_data_staging_sheets_names_logs_then_alerts(workbook, snapshot):
    calls: list[str] = []

    class Recording(MemoryWorkbook):
        def append_rows(self, table, frame):
            calls.append(f"append {table}")

        def clear_rows(self, name):
            calls.append(f"clear {name}")

        def write_sheet(self, content):
            calls.append(f"sheet {content.name}")

        def set_name(self, name, sheet, address):
            calls.append(f"name {name}")

        def alert(self, message, title="paxl"):
            calls.append("alert")

        def fingerprint(self, name):
            return workbook.fingerprint(name)

    plan = (
        WritePlan()
        .alert("done")
        .audit(at=dt.datetime(2026, 2, 5), who="rep1", action="post_payments")
        .set_name("bill_account", "Voucher", "A1")
        .write_sheet(SheetContent("Voucher"))
        .clear("NewPayments")
        .append("Payments", [posting("PAY3")])
        .append("Payments", [posting("PAY4")])
    )
    apply(plan, Recording(), snapshot)
    assert calls == [
        "append Payments",
        "clear NewPayments",
        "sheet Voucher",
        "name bill_account",
        "append Audit",
        "alert",
    ]
