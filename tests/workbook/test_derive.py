"""Derived workbooks: the book's tables plus new rows and report sheets, in a new file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.errors import PaxlError
from addin.workbook.book import Book, book_from_records
from addin.workbook.derive import TEMPLATE_SHEETS, records_from_frame, write_derived
from addin.workbook.frames import typed_frame
from addin.workbook.loader import read_book
from addin.workbook.port import Block, SheetContent
from addin.workbook.schema import POLICY_TABLES, TABLES
from addin.workbook.template import write_workbook
from tests.conftest import good_records

NEW_PAYMENT = {
    "PaymentID": "PAY003",
    "Date": dt.date(2026, 5, 2),
    "PatientID": "P001",
    "ChargeID": "C001",
    "Payer": "ACME-PPO",
    "Kind": "Refund",
    "Method": "EFT",
    "Reference": "TRN999",
    "Amount": Decimal("12.34"),
    "PostedBy": "ERA",
    "PostedAt": dt.datetime(2026, 5, 2, 14, 5, 9),
}


def _errors(findings):
    return [f for f in findings if f.severity == "error"]


def _assert_same_book(back: Book, book: Book) -> None:
    for schema in TABLES:
        pd.testing.assert_frame_equal(back.tables[schema.name], book.tables[schema.name])
    assert dict(back.policy) == dict(book.policy)
    for pt in POLICY_TABLES:
        names = [c.name for c in pt.columns]
        assert back.policy_tables[pt.name][names].equals(book.policy_tables[pt.name][names])


def test_a_book_written_without_new_rows_reads_back_the_same(tmp_path):
    book = book_from_records(good_records(), policy={"practice_name": "Peak Clinic"})
    out = tmp_path / "out.xlsx"
    write_derived(book, {}, out)
    back, findings = read_book(out)
    assert _errors(findings) == []
    _assert_same_book(back, book)
    assert back.policy["practice_name"] == "Peak Clinic"


def test_a_book_read_from_a_file_round_trips_through_a_derived_file(tmp_path):
    source = tmp_path / "book.xlsx"
    write_workbook(source, good_records())
    book, _ = read_book(source)
    out = tmp_path / "out.xlsx"
    write_derived(book, {}, out)
    back, findings = read_book(out)
    assert _errors(findings) == []
    _assert_same_book(back, book)


def test_appended_rows_follow_the_existing_ones_and_validate(tmp_path):
    book = book_from_records(good_records())
    out = tmp_path / "out.xlsx"
    write_derived(book, {"Payments": [NEW_PAYMENT]}, out)
    back, findings = read_book(out)
    assert _errors(findings) == []
    payments = back.tables["Payments"]
    assert payments["PaymentID"].tolist() == ["PAY001", "PAY002", "PAY003"]
    new = payments.iloc[-1]
    assert (new["Amount"], new["Kind"], new["_row"]) == (1234, "Refund", 4)
    assert new["PostedAt"] == pd.Timestamp("2026-05-02 14:05:09")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"PatientID": "P999"}, "Payments row 4, PatientID"),
        ({"Amount": Decimal("-1.00")}, "Payments row 4, Amount"),
        ({"PaymentID": "PAY001"}, "Payments row 4, PaymentID"),
        ({"Kind": "Gift"}, "Payments row 4, Kind"),
    ],
)
def test_a_new_row_that_does_not_validate_writes_nothing(tmp_path, change, message):
    book = book_from_records(good_records())
    out = tmp_path / "out.xlsx"
    with pytest.raises(PaxlError, match="Nothing was written") as exc:
        write_derived(book, {"Payments": [{**NEW_PAYMENT, **change}]}, out)
    assert message in str(exc.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_input_file_is_never_the_output(tmp_path):
    source = tmp_path / "book.xlsx"
    write_workbook(source, good_records())
    before = source.read_bytes()
    book, _ = read_book(source)
    with pytest.raises(PaxlError, match="never changes its input"):
        write_derived(book, {"Payments": [NEW_PAYMENT]}, source)
    assert source.read_bytes() == before


def test_report_sheets_are_added_after_the_workbook_sheets(tmp_path):
    book = book_from_records(good_records())
    sheet = SheetContent(
        "Report",
        (
            Block(1, 1, (("Title",),), bold=True),
            Block(
                3,
                1,
                (("ID", "Amount", "Day"), ("X1", Decimal("1.50"), dt.date(2026, 1, 2))),
                column_formats=(None, "0.00", "yyyy-mm-dd"),
                table="ReportRows",
            ),
        ),
        column_widths=((1, 20),),
    )
    out = tmp_path / "out.xlsx"
    write_derived(book, {}, out, extra_sheets=[sheet])
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[-1] == "Report"
    assert workbook.active.title == "Report"
    ws = workbook["Report"]
    assert ws["A1"].value == "Title" and ws["A1"].font.b
    assert [c.value for c in ws[4]] == ["X1", 1.5, dt.datetime(2026, 1, 2)]
    assert ws["C4"].number_format == "yyyy-mm-dd"
    assert list(ws.tables) == ["ReportRows"] and ws.tables["ReportRows"].ref == "A3:C4"
    assert _errors(read_book(out)[1]) == []


@pytest.mark.parametrize(
    "name", ["Payments", "policy", "balances", "NewPayments", "Bad/Name", "x" * 32]
)
def test_a_report_sheet_cannot_take_a_workbook_sheet_or_an_invalid_name(tmp_path, name):
    out = tmp_path / "out.xlsx"
    with pytest.raises(PaxlError):
        write_derived(book_from_records(good_records()), {}, out, extra_sheets=[SheetContent(name)])
    assert not out.exists()


def test_a_book_with_its_own_policy_table_rows_is_refused_rather_than_reset(tmp_path):
    book = book_from_records(good_records())
    tables = dict(book.policy_tables)
    tiers = tables["AssistanceTiers"].copy()
    tiers.loc[0, "Discount"] = Decimal("0.90")
    tables["AssistanceTiers"] = tiers
    changed = Book(tables=book.tables, policy=book.policy, policy_tables=tables)
    out = tmp_path / "out.xlsx"
    with pytest.raises(PaxlError, match="AssistanceTiers table differs"):
        write_derived(changed, {}, out)
    assert not out.exists()


def test_every_sheet_of_a_fresh_template_is_a_template_sheet_in_order(tmp_path):
    path = tmp_path / "template.xlsx"
    write_workbook(path)

    assert tuple(openpyxl.load_workbook(path).sheetnames) == TEMPLATE_SHEETS


def test_records_from_frame_gives_plain_values():
    frame = book_from_records(good_records()).tables["Payments"]
    first, second = records_from_frame(frame, "Payments")
    assert first["Amount"] == Decimal("96.00") and isinstance(first["Amount"], Decimal)
    assert first["Date"] == dt.date(2026, 4, 1) and type(first["Date"]) is dt.date
    assert first["PostedAt"] is None
    assert second["ChargeID"] is None
    assert second["PostedAt"] == dt.datetime(2026, 4, 15, 10, 30)
    assert "_row" not in first and "_sheet" not in first
    patients = records_from_frame(book_from_records(good_records()).tables["Patients"], "Patients")
    assert patients[0]["HouseholdSize"] == 3 and type(patients[0]["HouseholdSize"]) is int
    assert patients[1]["HouseholdSize"] is None and patients[1]["MonthlyIncome"] is None


_text = st.one_of(st.none(), st.text("ABC 123-", min_size=1, max_size=6).map(str.strip))
_money = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=2))
_day = st.one_of(st.none(), st.dates(dt.date(1900, 3, 1), dt.date(2200, 12, 31)))
_stamp = st.one_of(
    st.none(),
    st.datetimes(dt.datetime(1950, 1, 1), dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "PatientID": _text,
                "DOB": _day,
                "HouseholdSize": st.one_of(st.none(), st.integers(0, 20)),
                "MonthlyIncome": _money,
                "Notes": _text,
            }
        ),
        max_size=5,
    ),
    st.lists(
        st.fixed_dictionaries(
            {"PaymentID": _text, "Amount": _money, "Date": _day, "PostedAt": _stamp}
        ),
        max_size=5,
    ),
    st.lists(
        st.fixed_dictionaries(
            {
                "Code": _text,
                "DeductibleApplies": st.one_of(st.none(), st.booleans()),
                "Charge": _money,
            }
        ),
        max_size=5,
    ),
)
def test_typed_frames_survive_the_trip_to_plain_records_and_back(patients, payments, fees):
    for table, records in (("Patients", patients), ("Payments", payments), ("Fees", fees)):
        frame = typed_frame(table, records)
        again = typed_frame(table, records_from_frame(frame, table))
        pd.testing.assert_frame_equal(again, frame)


def test_nothing_but_the_output_is_left_in_the_folder(tmp_path: Path):
    write_derived(
        book_from_records(good_records()), {"Payments": [NEW_PAYMENT]}, tmp_path / "o.xlsx"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["o.xlsx"]
