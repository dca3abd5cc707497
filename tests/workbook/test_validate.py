"""The validator on typed frames: each rule, where it points, and checking new rows in context."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.findings import Finding, Severity
from addin.workbook.book import book_from_records
from addin.workbook.frames import typed_frame
from addin.workbook.schema import table
from addin.workbook.validate import validate_book, validate_tables


def problems(records, **kwargs) -> list[Finding]:
    book = book_from_records(records)
    return validate_tables(book.tables, **kwargs)


def where(findings: list[Finding]) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(f.code, f.sheet, f.row, f.column) for f in findings]


def test_good_records_have_no_problems(records):
    assert validate_book(book_from_records(records)) == []


def test_blank_required_value_points_at_its_cell(records):
    records["Payments"][1]["Method"] = None
    assert where(problems(records)) == [("blank_required", "Payments", 3, "Method")]


def test_value_outside_its_allowed_values_is_reported_without_the_value(records):
    records["Patients"][2]["PreferredContact"] = "Pigeon"
    [finding] = problems(records)
    assert where([finding]) == [("not_allowed", "Patients", 4, "PreferredContact")]
    assert "Pigeon" not in finding.message
    assert "Mail, Email, Phone, Text" in finding.message


def test_integer_choices_are_checked_as_numbers(records):
    records["Coverage"][0]["Rank"] = 3
    assert where(problems(records)) == [("not_allowed", "Coverage", 2, "Rank")]


def test_duplicate_id_names_both_rows(records):
    records["Charges"][1]["ChargeID"] = "C001"
    records["Payments"][1]["ChargeID"] = None  # keep the references unambiguous
    [finding] = problems(records)
    assert where([finding]) == [("duplicate_id", "Charges", 3, "ChargeID")]
    assert "Charges row 2" in finding.message
    assert finding.ids == ("C001",)


def test_each_repeat_of_an_id_is_reported_once(records):
    first = records["Payments"][0]
    records["Payments"] += [dict(first), dict(first)]
    assert where(problems(records)) == [
        ("duplicate_id", "Payments", 4, "PaymentID"),
        ("duplicate_id", "Payments", 5, "PaymentID"),
    ]


def test_duplicate_combination_names_the_ids_and_both_rows(records):
    records["Allowed"].append({"PlanID": "MCR", "Code": "99213", "Allowed": Decimal("90.00")})
    [finding] = problems(records)
    assert where([finding]) == [("duplicate_row", "Allowed", 4, "PlanID")]
    assert "PlanID MCR and Code 99213" in finding.message
    assert "Allowed row 3" in finding.message


def test_coverage_with_the_same_start_twice_is_a_duplicate_but_another_start_is_not(records):
    again = dict(records["Coverage"][0])
    records["Coverage"].append(again)
    assert where(problems(records)) == [("duplicate_row", "Coverage", 5, "PatientID")]
    again["EffectiveFrom"] = again["EffectiveFrom"].replace(year=2027)
    assert problems(records) == []


def test_unknown_patient_is_reported_with_its_id(records):
    records["Charges"][0]["PatientID"] = "P999"
    records["Payments"][0]["PatientID"] = "P999"
    records["Adjustments"][0]["PatientID"] = "P999"
    found = problems(records)
    assert ("unknown_reference", "Charges", 2, "PatientID") in where(found)
    assert ("unknown_reference", "Payments", 2, "PatientID") in where(found)
    first = next(f for f in found if f.sheet == "Charges")
    assert "P999" in first.message and first.ids == ("P999",)


def test_payer_must_be_patient_or_a_plan(records):
    records["Payments"][0]["Payer"] = "NOPE"
    [finding] = problems(records)
    assert where([finding]) == [("unknown_reference", "Payments", 2, "Payer")]
    assert "Patient" in finding.message


def test_payment_on_an_unknown_charge_is_reported(records):
    records["Payments"][0]["ChargeID"] = "C404"
    assert where(problems(records)) == [("unknown_reference", "Payments", 2, "ChargeID")]


def test_payment_on_another_patients_charge_is_reported(records):
    records["Payments"][0]["ChargeID"] = "C002"  # C002 is P002's charge; the payment is P001's
    [finding] = problems(records)
    assert where([finding]) == [("charge_patient_mismatch", "Payments", 2, "ChargeID")]
    assert set(finding.ids) == {"C002", "P001", "P002"}


@pytest.mark.parametrize(
    ("table", "index", "column"),
    [
        ("Payments", 0, "Amount"),
        ("Adjustments", 0, "Amount"),
        ("Charges", 1, "Amount"),
        ("Plans", 0, "Deductible"),
        ("Patients", 0, "MonthlyIncome"),
    ],
)
def test_negative_amounts_are_reported(records, table, index, column):
    records[table][index][column] = Decimal("-5.00")
    [finding] = problems(records)
    assert where([finding]) == [("negative_amount", table, index + 2, column)]
    assert "5" not in finding.message


def test_zero_amount_is_not_negative(records):
    records["Payments"][0]["Amount"] = Decimal("0")
    assert problems(records) == []


def test_references_into_an_absent_table_are_not_reported_again(records):
    del records["Plans"]
    records.pop("Allowed")
    found = problems(records, absent=["Plans"])
    assert found == []
    # without being told the table is absent, every plan reference is unknown
    assert {f.column for f in problems(records)} == {"PlanID", "Payer"}


def test_cells_already_reported_are_not_reported_blank(records):
    records["Payments"][0]["Amount"] = None
    records["Payments"][1]["Kind"] = None
    known = [
        Finding("wrong_type", "Amount is not an amount.", "Payments", 2, "Amount"),
        Finding("missing_column", "no Kind column", "Payments", 1, "Kind"),
    ]
    assert problems(records, known=known) == []
    assert len(problems(records)) == 2


def test_rows_of_a_sheet_without_header_are_not_reported(records):
    records["Payments"][0]["Amount"] = None
    known = [Finding("missing_header", "no header", "Payments", 1)]
    assert problems(records, known=known) == []


def test_new_rows_are_checked_against_the_existing_book(records):
    book = book_from_records(records)
    new = typed_frame(
        "Payments",
        [
            {**records["Payments"][0], "Reference": "again"},  # PAY001 exists already
            {
                "PaymentID": "PAY900",
                "Date": records["Payments"][0]["Date"],
                "PatientID": "P003",  # known only from the existing book
                "Payer": "MCR",
                "Kind": "Payment",
                "Method": "Check",
                "Amount": Decimal("10.00"),
            },
            {**records["Payments"][1], "PaymentID": "PAY901", "PatientID": "P777"},
        ],
        sheet="Import",
    )
    context = {name: frame for name, frame in book.tables.items() if name != "Payments"}
    context["Payments"] = book["Payments"]
    found = validate_tables({"Payments": new}, context=context)
    assert where(found) == [
        ("duplicate_id", "Import", 2, "PaymentID"),
        ("unknown_reference", "Import", 4, "PatientID"),
    ]
    assert "Payments row 2" in found[0].message


def test_findings_are_errors_with_a_fix(records):
    records["Payments"][0]["Kind"] = "Gift"
    records["Payments"][1]["PatientID"] = None
    found = problems(records)
    assert found and all(f.severity is Severity.ERROR and f.fix for f in found)


def test_validate_book_keeps_known_findings_and_sorts_them(records):
    records["Payments"][0]["Kind"] = "Gift"
    warning = Finding("unknown_column", "x", "Patients", 1, "Extra", Severity.WARNING)
    found = validate_book(book_from_records(records), known=[warning])
    assert [f.code for f in found] == ["not_allowed", "unknown_column"]


def test_payments_and_adjustments_on_another_patients_charge_are_each_reported(records):
    records["Payments"][0]["ChargeID"] = "C002"  # C002 is P002's charge; both rows are P001's
    records["Adjustments"][0].update(PatientID="P001", ChargeID="C002")
    found = [f for f in problems(records) if f.code == "charge_patient_mismatch"]
    assert [(f.sheet, f.row) for f in found] == [("Payments", 2), ("Adjustments", 2)]


def test_a_charge_belongs_to_its_first_rows_patient_and_the_checked_rows_win(records):
    book = book_from_records(records)
    charges = book["Charges"]
    first = charges.iloc[[1]].assign(ChargeID="C900")  # C900 is P002's in the existing book
    context = {**book.tables, "Charges": pd.concat([charges, first], ignore_index=True)}
    mine = charges.iloc[[0, 1]].assign(ChargeID="C900", PatientID=[None, "P002"])
    payment = {**records["Payments"][0], "PaymentID": "PAY900", "ChargeID": "C900"}
    new = {"Charges": mine, "Payments": typed_frame("Payments", [payment], sheet="Import")}
    # the checked C900's first row has no patient: the payment is not compared with anyone
    found = validate_tables(new, context=context)
    assert "charge_patient_mismatch" not in {f.code for f in found}
    mine = mine.assign(PatientID=["P002", "P001"])
    found = validate_tables({**new, "Charges": mine}, context=context)
    [mismatch] = [f for f in found if f.code == "charge_patient_mismatch"]
    assert (mismatch.sheet, mismatch.row, set(mismatch.ids)) == (
        "Import",
        2,
        {"C900", "P001", "P002"},
    )


@given(st.lists(st.integers(min_value=-3, max_value=12), min_size=1, max_size=12))
def test_integer_choices_allow_exactly_the_numbers_written_as_a_choice(ranks):
    rows = [
        {"PatientID": f"P{i}", "PlanID": "MCR", "Rank": rank, "EffectiveFrom": "2026-01-01"}
        for i, rank in enumerate(ranks)
    ]
    found = validate_tables({"Coverage": typed_frame("Coverage", rows)})
    allowed = table("Coverage").column("Rank").choices
    assert [f.row for f in found if f.code == "not_allowed"] == [
        i + 2 for i, rank in enumerate(ranks) if str(rank) not in allowed
    ]
