"""The workbook port contract: one suite every adapter must pass.

An adapter's test module subclasses :class:`PortContract` and provides a ``make`` fixture that
turns a starting workbook (described as a :class:`MemoryWorkbook`) into a :class:`Harness`. The
harness hands out ports on the workbook's current state and lets a test look at that state (or
edit it, as a rep typing at the same time would).
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import pandas as pd
import pytest

from addin.errors import PaxlError
from addin.workbook import cells
from addin.workbook.bill_positions import BillLayout
from addin.workbook.memory_adapter import MemoryWorkbook
from addin.workbook.port import (
    Block,
    SheetContent,
    WorkbookPort,
    selected_patient_id,
)
from addin.workbook.schema import SETTINGS, Column, ColumnType, Table, table
from addin.workbook.template import NUMBER_FORMATS
from addin.workbook.write_plan import PlanRejected, WorkbookChanged, WritePlan, apply

NEW_PAYMENTS = Table(
    "NewPayments",
    (
        Column("Date", ColumnType.DATE, True),
        Column("PatientID", ColumnType.TEXT, True),
        Column("Payer", ColumnType.TEXT, True),
        Column("Method", ColumnType.TEXT, True, choices=("Cash", "Check", "Card", "ACH", "EFT")),
        Column("Reference", ColumnType.TEXT),
        Column("Amount", ColumnType.MONEY, True),
    ),
    help="Payments typed by the rep, waiting to be posted.",
)

READ = ["Patients", "Plans", "Charges", "Payments", "Audit", NEW_PAYMENTS]


def sample_workbook() -> MemoryWorkbook:
    """Two patients, a plan, two charges, two payments, two staged payments, an Accounts sheet."""
    workbook = MemoryWorkbook.from_records(
        {
            "Patients": [
                _patient("P1001", "Rivera", dt.date(1980, 4, 2), zip_code="02134"),
                _patient("P1002", "Chen", dt.date(1992, 11, 30), zip_code="80202"),
            ],
            "Plans": [
                {"PlanID": "ACME-PPO", "Payer": "Acme Health", "PlanType": "Commercial"},
            ],
            "Charges": [
                _charge("C1", "P1001", dt.date(2026, 1, 6), "99213", "180.00"),
                _charge("C2", "P1002", dt.date(2026, 1, 9), "99214", "250.00"),
            ],
            "Payments": [
                _payment("PAY1", "P1001", dt.date(2026, 1, 20), "40.00", reference="1001"),
                _payment("PAY2", "P1002", dt.date(2026, 1, 22), "25.50", reference="2002"),
            ],
        },
        policy={"due_days": 14, "statement_minimum": Decimal("7.50")},
    )
    workbook.add_table(
        NEW_PAYMENTS,
        [
            {
                "Date": dt.date(2026, 2, 2),
                "PatientID": "P1001",
                "Payer": "Patient",
                "Method": "Check",
                "Reference": "3003",
                "Amount": Decimal("60.00"),
            },
            {
                "Date": dt.date(2026, 2, 3),
                "PatientID": "P1002",
                "Payer": "ACME-PPO",
                "Method": "EFT",
                "Reference": "EFT77",
                "Amount": Decimal("112.40"),
            },
        ],
        # the rep's own layout: a title above, columns in another order, a note column
        at=(3, 2),
        header=["PatientID", "Date", "Amount", "Payer", "Method", "Reference", "Rep note"],
    )
    workbook.set_cell("NewPayments", 1, 2, "Type new payments below, then click Post payments")
    accounts = SheetContent(
        "Accounts",
        blocks=(
            Block(1, 1, (("Accounts as of 2026-02-01",),), bold=True),
            Block(3, 1, (("PatientID", "Balance"), ("P1001", Decimal("140.00")))),
        ),
        activate=False,
    )
    workbook.write_sheet(accounts)
    workbook.select("Patients", 2, 1)
    return workbook


def _patient(pid: str, last: str, dob: dt.date, *, zip_code: str) -> dict[str, object]:
    return {
        "PatientID": pid,
        "LastName": last,
        "FirstName": "Sam",
        "DOB": dob,
        "ZIP": zip_code,
        "HouseholdSize": 3,
        "MonthlyIncome": Decimal("3200.00"),
        "AccountStatus": "Active",
    }


def _charge(cid: str, pid: str, day: dt.date, code: str, amount: str) -> dict[str, object]:
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": day,
        "Code": code,
        "Amount": Decimal(amount),
    }


def _payment(
    pay_id: str, pid: str, day: dt.date, amount: str, *, reference: str
) -> dict[str, object]:
    return {
        "PaymentID": pay_id,
        "Date": day,
        "PatientID": pid,
        "Payer": "Patient",
        "Kind": "Payment",
        "Method": "Check",
        "Reference": reference,
        "Amount": Decimal(amount),
    }


def posting(pay_id: str, pid: str = "P1001", amount: str = "10.00", **more) -> dict[str, object]:
    """A Payments row a macro would post."""
    return {
        **_payment(pay_id, pid, dt.date(2026, 2, 5), amount, reference=f"R{pay_id}"),
        "PostedBy": "rep1",
        "PostedAt": dt.datetime(2026, 2, 5, 9, 30),
        **more,
    }


class Harness(abc.ABC):
    """A workbook under test on one adapter."""

    @abc.abstractmethod
    def port(self) -> WorkbookPort:
        """A port on the workbook as it is now (after every earlier port's writes)."""

    @abc.abstractmethod
    def state(self) -> dict[str, object]:
        """Everything a rep could see: each sheet's values, tables' ranges, names."""

    @abc.abstractmethod
    def values(self, sheet: str) -> list[list[object]]:
        """A sheet's values from A1 (blanks ``None``, dates ``datetime``)."""

    @abc.abstractmethod
    def number_format(self, sheet: str, row: int, column: int) -> str | None:
        """The number format paxl gave a cell."""

    @abc.abstractmethod
    def alerts(self) -> list[str]:
        """Messages shown to the rep so far."""

    @abc.abstractmethod
    def type_row(self, table: str, values: Mapping[str, object]) -> None:
        """The rep types a row under a table (the table grows over it)."""


def _frame_rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return list(frame[list(columns)].itertuples(index=False, name=None))


class PortContract:
    """Behaviour every workbook port adapter must have. Subclasses provide ``make``."""

    @pytest.fixture
    def make(self):  # pragma: no cover - overridden
        raise NotImplementedError

    @pytest.fixture
    def harness(self, make) -> Harness:
        return make(sample_workbook())

    # reading ---------------------------------------------------------------------------------

    def test_reads_a_table_as_a_typed_frame_with_sheet_and_row(self, harness):
        read = harness.port().read_table("Payments")
        frame = read.frame
        assert read.findings == ()
        assert _frame_rows(frame, "PaymentID", "Amount", "Reference", "_sheet", "_row") == [
            ("PAY1", 4000, "1001", "Payments", 2),
            ("PAY2", 2550, "2002", "Payments", 3),
        ]
        assert str(frame["Amount"].dtype) == "Int64"
        assert frame["Date"].tolist() == [pd.Timestamp(2026, 1, 20), pd.Timestamp(2026, 1, 22)]

    def test_reads_a_moved_table_by_its_header_names(self, harness):
        frame = harness.port().read_table(NEW_PAYMENTS).frame
        assert _frame_rows(frame, "PatientID", "Amount", "Method", "_sheet", "_row") == [
            ("P1001", 6000, "Check", "NewPayments", 4),
            ("P1002", 11240, "EFT", "NewPayments", 5),
        ]

    def test_a_bad_cell_is_a_finding_with_sheet_row_and_column(self, make):
        workbook = sample_workbook()
        workbook.set_cell("Payments", 3, 9, "twelve")  # Amount of PAY2
        read = make(workbook).port().read_table("Payments")
        (finding,) = read.findings
        assert (finding.code, finding.sheet, finding.row, finding.column) == (
            "wrong_type",
            "Payments",
            3,
            "Amount",
        )
        assert read.frame["Amount"].isna().tolist() == [False, True]

    def test_a_missing_table_reads_empty_with_a_warning(self, make):
        workbook = MemoryWorkbook.from_records({"Patients": []}, tables=["Patients"])
        read = make(workbook).port().read_table("Payments")
        assert read.frame.empty
        assert [(f.code, f.severity) for f in read.findings] == [("missing_table", "error")]

    def test_reads_policy_settings_from_defined_names(self, harness):
        policy, findings = harness.port().read_policy()
        assert findings == []
        assert policy["due_days"] == 14
        assert policy["statement_minimum"] == Decimal("7.50")
        assert policy["nonprofit_hospital"] is False
        assert policy["plan_apr"] == Decimal("0")

    def test_missing_policy_names_keep_defaults_and_are_reported(self, make):
        workbook = MemoryWorkbook.from_records({"Patients": []}, with_policy=False)
        policy, findings = make(workbook).port().read_policy()
        assert policy["due_days"] == 21
        assert len(findings) == len(SETTINGS)
        assert {f.code for f in findings} == {"policy_default"}

    def test_snapshot_holds_typed_tables_policy_and_fingerprints(self, harness):
        port = harness.port()
        snap = port.snapshot(READ)
        assert len(snap["Charges"]) == 2
        assert snap.book.policy["due_days"] == 14
        assert snap.sheets["NewPayments"] == "NewPayments"
        assert snap.fingerprints["Payments"] == port.fingerprint("Payments")
        assert snap.fingerprints["Payments"] != snap.fingerprints["Charges"]

    # the selection ---------------------------------------------------------------------------

    def test_selected_patient_is_the_patient_id_in_the_active_table_row(self, make):
        workbook = sample_workbook()
        workbook.select("Charges", 3, 5)
        selection = make(workbook).port().selection()
        assert (selection.sheet, selection.row, selection.table) == ("Charges", 3, "Charges")
        assert selected_patient_id(selection) == "P1002"

    def test_selected_patient_on_a_plain_sheet_uses_the_header_above(self, make):
        workbook = sample_workbook()
        workbook.select("Accounts", 4, 2)
        selection = make(workbook).port().selection()
        assert selection.table is None
        assert selected_patient_id(selection) == "P1001"

    def test_no_selected_patient_says_what_to_select(self, make):
        workbook = sample_workbook()
        workbook.select("Accounts", 1, 1)
        selection = make(workbook).port().selection()
        with pytest.raises(PaxlError, match="row that has a PatientID"):
            selected_patient_id(selection)

    # appending -------------------------------------------------------------------------------

    def test_appended_rows_land_under_the_last_row_and_grow_the_table(self, harness):
        port = harness.port()
        snap = port.snapshot(READ)
        plan = WritePlan().append("Payments", [posting("PAY3"), posting("PAY4", "P1002")])
        applied = apply(plan, port, snap)
        assert applied.appended == {"Payments": 2}
        frame = harness.port().read_table("Payments").frame
        assert _frame_rows(frame, "PaymentID", "PatientID", "Amount", "_row") == [
            ("PAY1", "P1001", 4000, 2),
            ("PAY2", "P1002", 2550, 3),
            ("PAY3", "P1001", 1000, 4),
            ("PAY4", "P1002", 1000, 5),
        ]
        assert frame["PostedAt"].iloc[2] == pd.Timestamp(2026, 2, 5, 9, 30)

    def test_appended_cells_get_number_formats_for_their_types(self, harness):
        port = harness.port()
        apply(WritePlan().append("Payments", [posting("PAY3")]), port, port.snapshot(READ))
        assert harness.number_format("Payments", 4, 1) == "@"  # PaymentID
        assert harness.number_format("Payments", 4, 2) == "yyyy-mm-dd"  # Date
        assert harness.number_format("Payments", 4, 9) == NUMBER_FORMATS[ColumnType.MONEY]

    def test_every_type_round_trips_through_the_workbook(self, harness):
        port = harness.port()
        patient = {
            "PatientID": "P1003",
            "LastName": "Okafor",
            "FirstName": "Ada",
            "DOB": dt.date(1975, 7, 14),
            "ZIP": "01002",
            "Phone": "5550100",
            "HouseholdSize": 4,
            "MonthlyIncome": Decimal("4120.35"),
            "AccountStatus": "Payment plan",
        }
        apply(WritePlan().append("Patients", [patient]), port, port.snapshot(READ))
        row = harness.port().read_table("Patients").frame.iloc[-1]
        assert row["ZIP"] == "01002"  # leading zero kept: the cell is text
        assert row["Phone"] == "5550100"
        assert row["DOB"] == pd.Timestamp(1975, 7, 14)
        assert row["HouseholdSize"] == 4
        assert row["MonthlyIncome"] == 412035
        assert row["_row"] == 4

    def test_appending_to_an_empty_table_fills_its_blank_row(self, harness):
        port = harness.port()
        at = dt.datetime(2026, 2, 5, 9, 30)
        plan = WritePlan().audit(at=at, who="rep1", action="test", table="Payments", rows=0)
        apply(plan, port, port.snapshot(READ))
        frame = harness.port().read_table("Audit").frame
        assert _frame_rows(frame, "Who", "Action", "Rows", "_row") == [("rep1", "test", 0, 2)]

    def test_two_appends_to_one_table_in_one_plan_land_in_order(self, harness):
        port = harness.port()
        plan = (
            WritePlan()
            .append("Payments", [posting("PAY3")])
            .audit(at=dt.datetime(2026, 2, 5), who="rep1", action="first")
            .append("Payments", [posting("PAY4")])
            .audit(at=dt.datetime(2026, 2, 5), who="rep1", action="second")
        )
        apply(plan, port, port.snapshot(READ))
        after = harness.port()
        assert after.read_table("Payments").frame["PaymentID"].tolist()[-2:] == ["PAY3", "PAY4"]
        assert after.read_table("Audit").frame["Action"].tolist() == ["first", "second"]

    def test_a_long_table_continues_in_a_second_part_where_appends_go(self, make):
        workbook = sample_workbook()
        second = dataclasses.replace(table("Payments"), name="Payments_2")
        workbook.add_table(second, [posting("PAY5")], sheet="Payments_2")
        harness = make(workbook)
        port = harness.port()
        snap = port.snapshot(READ)
        assert _frame_rows(snap["Payments"], "PaymentID", "_sheet", "_row")[-2:] == [
            ("PAY2", "Payments", 3),
            ("PAY5", "Payments_2", 2),
        ]
        duplicate = WritePlan().append("Payments", [posting("PAY5")])
        with pytest.raises(PlanRejected, match="PaymentID PAY5 is used twice"):
            apply(duplicate, port, snap)
        apply(WritePlan().append("Payments", [posting("PAY6")]), port, snap)
        frame = harness.port().read_table("Payments").frame
        assert _frame_rows(frame, "PaymentID", "_sheet", "_row")[-2:] == [
            ("PAY5", "Payments_2", 2),
            ("PAY6", "Payments_2", 3),
        ]
        assert harness.values("Payments")[-1][0] == "PAY2"  # the first part is left alone

    # clearing a staging table ----------------------------------------------------------------

    def test_clearing_a_staging_table_empties_it_and_keeps_its_header(self, harness):
        port = harness.port()
        apply(WritePlan().clear("NewPayments"), port, port.snapshot(READ))
        after = harness.port()
        assert after.read_table(NEW_PAYMENTS).frame.empty
        found = after.table_cells("NewPayments")
        assert cells.header_names(found.header)[:3] == ["PatientID", "Date", "Amount"]
        assert harness.values("NewPayments")[0][1].startswith("Type new payments")

    def test_the_port_refuses_to_clear_a_data_table(self, harness):
        with pytest.raises(PaxlError, match="never deletes"):
            harness.port().clear_rows("Payments")

    # output sheets, names, alerts ------------------------------------------------------------

    def test_writes_an_output_sheet_and_replaces_it_on_the_next_run(self, harness):
        first = SheetContent(
            "Refund voucher",
            blocks=(
                Block(1, 1, (("Refund voucher",),), bold=True, fill="#DDEBF7"),
                Block(3, 1, (("Amount", Decimal("35.10")), ("Date", dt.date(2026, 2, 5)))),
            ),
        )
        port = harness.port()
        apply(WritePlan().write_sheet(first), port, port.snapshot(READ))
        sheets = harness.port().sheet_names()
        assert sheets[-1] == "Refund voucher"
        values = harness.values("Refund voucher")
        assert values[0][0] == "Refund voucher"
        assert values[2] == ["Amount", 35.1]
        assert values[3] == ["Date", dt.datetime(2026, 2, 5)]
        second = SheetContent("Refund voucher", blocks=(Block(1, 1, (("Second run",),)),))
        port = harness.port()
        apply(WritePlan().write_sheet(second), port, port.snapshot(READ))
        assert harness.port().sheet_names() == sheets
        assert harness.values("Refund voucher") == [["Second run"]]

    def test_an_output_block_can_be_an_excel_table(self, harness):
        content = SheetContent(
            "Options",
            blocks=(
                Block(
                    2,
                    2,
                    (("PatientID", "Installment"), ("P1001", Decimal("50.00"))),
                    table="PlanOptions",
                    column_formats=(None, "#,##0.00"),
                ),
            ),
        )
        port = harness.port()
        apply(WritePlan().write_sheet(content), port, port.snapshot(READ))
        found = harness.port().table_cells("PlanOptions")
        assert (found.sheet, found.header_row, found.first_column) == ("Options", 2, 2)
        assert found.body == (("P1001", 50.0),)
        assert harness.number_format("Options", 3, 3) == "#,##0.00"

    def test_refuses_to_replace_a_sheet_that_holds_data(self, harness):
        port = harness.port()
        with pytest.raises(PaxlError, match="will not replace sheet Payments"):
            port.write_sheet(SheetContent("Payments"))
        before = harness.state()
        plan = WritePlan().write_sheet(SheetContent("policy"))
        with pytest.raises(PlanRejected) as rejected:
            apply(plan, port, port.snapshot(READ))
        assert [f.code for f in rejected.value.findings] == ["protected_sheet"]
        assert harness.state() == before

    def test_a_defined_name_points_at_the_written_cell(self, harness):
        content = SheetContent("Bill", blocks=(Block(2, 2, ((Decimal("99.95"),),)),))
        plan = WritePlan().write_sheet(content).set_name("bill_amount_due", "Bill", "B2")
        port = harness.port()
        applied = apply(plan, port, port.snapshot(READ))
        assert applied.names == ("bill_amount_due",)
        assert harness.port().name_values(["bill_amount_due"]) == {"bill_amount_due": 99.95}

    def test_redefining_a_name_moves_it(self, harness):
        content = SheetContent("Bill", blocks=(Block(1, 1, (("a", "b"),)),))
        port = harness.port()
        plan = WritePlan().write_sheet(content).set_name("bill_account", "Bill", "A1")
        apply(plan, port, port.snapshot(READ))
        port = harness.port()
        apply(WritePlan().set_name("bill_account", "Bill", "B1"), port, port.snapshot(READ))
        assert harness.port().name_values(["bill_account"]) == {"bill_account": "b"}

    def test_name_references_say_where_each_existing_name_points(self, harness):
        content = SheetContent("Bill Template", blocks=(Block(1, 1, (("a", "b"),)),))
        port = harness.port()
        plan = WritePlan().write_sheet(content).set_name("bill_account", "Bill Template", "B1")
        apply(plan, port, port.snapshot(READ))
        found = harness.port().name_references(["bill_account", "bill_nowhere"])
        assert found == {"bill_account": "='Bill Template'!$B$1"}
        layout, _ = BillLayout.from_names(found, "Bill Template")
        assert layout.cell("bill_account") == (0, 1)

    def test_alerts_are_shown(self, harness):
        port = harness.port()
        apply(WritePlan().alert("Posted 2 payments."), port, port.snapshot(READ))
        assert harness.alerts() == ["Posted 2 payments."]

    # safety ----------------------------------------------------------------------------------

    def test_a_plan_that_fails_validation_writes_nothing(self, harness):
        before = harness.state()
        port = harness.port()
        plan = (
            WritePlan()
            .append("Payments", [posting("PAY3"), posting("PAY4", "P9999")])  # unknown patient
            .clear("NewPayments")
            .write_sheet(SheetContent("Voucher", blocks=(Block(1, 1, (("x",),)),)))
            .set_name("bill_account", "Payments", "A1")
            .audit(at=dt.datetime(2026, 2, 5), who="rep1", action="post_payments")
            .alert("done")
        )
        with pytest.raises(PlanRejected) as rejected:
            apply(plan, port, port.snapshot(READ))
        (finding,) = rejected.value.findings
        assert (finding.code, finding.sheet, finding.row, finding.column) == (
            "unknown_reference",
            "Payments",
            5,
            "PatientID",
        )
        assert "Nothing was written" in str(rejected.value)
        assert harness.state() == before
        assert harness.alerts() == []

    def test_a_workbook_changed_since_it_was_read_is_never_overwritten(self, harness):
        port = harness.port()
        snap = port.snapshot(READ)
        plan = WritePlan().append("Payments", [posting("PAY3")]).clear("NewPayments")
        harness.type_row(
            "NewPayments",
            {"PatientID": "P1002", "Date": dt.date(2026, 2, 6), "Amount": 15, "Method": "Cash"},
        )
        typed = harness.state()
        with pytest.raises(WorkbookChanged, match="NewPayments table changed"):
            apply(plan, harness.port(), snap)
        assert harness.state() == typed
        assert len(harness.port().read_table(NEW_PAYMENTS).frame) == 3

    def test_the_fingerprint_is_stable_while_nothing_changes(self, harness):
        port = harness.port()
        assert port.fingerprint("Payments") == port.fingerprint("Payments")
        assert port.fingerprint("Payments") == harness.port().fingerprint("Payments")
        assert port.fingerprint("NoSuchTable") == ""
