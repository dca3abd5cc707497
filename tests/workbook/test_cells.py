"""Cell values ↔ typed frames, addresses and fingerprints shared by the port adapters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from addin.workbook import cells
from addin.workbook.frames import typed_frame
from addin.workbook.schema import ColumnType, table
from addin.workbook.template import NUMBER_FORMATS

PAYMENTS = table("Payments")


def test_body_rows_become_a_typed_frame_skipping_blank_rows():
    header = ["PaymentID", "Date", "PatientID", "Payer", "Kind", "Method", "Amount"]
    rows = [
        ["PAY1", dt.datetime(2026, 1, 20), "P1", "patient", "Payment", "check", 40.0],
        [None, None, None, None, None, None, None],
        [1002.0, 46044.0, "P2", "Patient", "Refund", "Cash", 25.5],
    ]
    frame, findings = cells.frame_from_cells(PAYMENTS, header, rows, sheet="Payments", first_row=2)
    assert frame["PaymentID"].tolist() == ["PAY1", "1002"]  # an ID typed as a number is text
    assert frame["Amount"].tolist() == [4000, 2550]
    assert frame["Date"].tolist() == [pd.Timestamp(2026, 1, 20), pd.Timestamp(2026, 1, 22)]
    assert frame["Method"].tolist() == ["Check", "Cash"]  # spelled as the schema spells it
    assert frame["Payer"].tolist() == ["Patient", "Patient"]
    assert frame["_row"].tolist() == [2, 4]
    assert {f.code for f in findings} == {"missing_column"}
    assert {f.column for f in findings} == {"ChargeID", "Reference", "PostedBy", "PostedAt"}


def test_header_problems_are_reported_at_the_header_row():
    header = ["paymentid", "Amount", "Amount", "My note"]
    _, findings = cells.frame_from_cells(PAYMENTS, header, [], sheet="Payments", first_row=5)
    codes = {(f.code, f.column, f.row) for f in findings if f.code != "missing_column"}
    assert codes == {("duplicate_column", "Amount", 4), ("unknown_column", "My note", 4)}
    assert "PaymentID" not in {f.column for f in findings}  # matched ignoring case


def test_a_cell_that_does_not_fit_is_blank_and_reported_without_its_value():
    header = ["PaymentID", "Amount"]
    frame, findings = cells.frame_from_cells(
        PAYMENTS, header, [["PAY1", "12.345"]], sheet="Payments", first_row=2
    )
    (problem,) = [f for f in findings if f.code == "wrong_type"]
    assert (problem.sheet, problem.row, problem.column) == ("Payments", 2, "Amount")
    assert "12.345" not in problem.message
    assert frame["Amount"].isna().all()


def test_typed_rows_become_cells_in_the_workbooks_own_column_order():
    frame = typed_frame(
        PAYMENTS,
        [
            {
                "PaymentID": "PAY1",
                "Date": dt.date(2026, 1, 20),
                "Amount": Decimal("40.10"),
                "PostedAt": dt.datetime(2026, 1, 20, 9, 5),
            }
        ],
    )
    header = ["Amount", "My note", "PaymentID", "Date", "PostedAt", "Reference"]
    assert cells.cells_from_frame(PAYMENTS, frame, header) == [
        [40.1, None, "PAY1", dt.datetime(2026, 1, 20), dt.datetime(2026, 1, 20, 9, 5), None]
    ]
    assert cells.number_formats(PAYMENTS, header) == [
        NUMBER_FORMATS[ColumnType.MONEY],
        None,
        "@",
        NUMBER_FORMATS[ColumnType.DATE],
        NUMBER_FORMATS[ColumnType.DATETIME],
        "@",
    ]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_cents_written_as_dollars_read_back_as_the_same_cents(cents):
    frame = pd.DataFrame({"Amount": pd.array([cents], dtype="Int64")})
    (row,) = cells.cells_from_frame(PAYMENTS, frame, ["Amount"])
    typed, findings = cells.frame_from_cells(
        PAYMENTS, ["Amount"], [row], sheet="Payments", first_row=2
    )
    assert [f for f in findings if f.code == "wrong_type"] == []
    assert typed["Amount"].tolist() == [cents]


@given(
    st.integers(min_value=1, max_value=1_048_576),
    st.integers(min_value=1, max_value=16_384),
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=0, max_value=50),
)
def test_addresses_round_trip(row, column, rows, columns):
    last_row, last_column = min(row + rows, 1_048_576), min(column + columns, 16_384)
    address = cells.range_address(row, column, last_row, last_column)
    assert cells.parse_address(address) == (row, column, last_row, last_column)
    assert cells.parse_address("'My sheet'!$" + address.replace(":", ":$")) == (
        row,
        column,
        last_row,
        last_column,
    )


def test_column_letters():
    assert [cells.column_letters(n) for n in (1, 26, 27, 28, 702, 703, 16384)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
        "XFD",
    ]


BODY = [[f"PAY{i}", float(i), dt.datetime(2026, 1, 1)] for i in range(2500)]
HEADER = ["PaymentID", "Amount", "Date"]


def test_a_fingerprint_is_stable_and_can_be_taken_from_the_tail_alone():
    full = cells.fingerprint("Payments", 1, 1, HEADER, BODY)
    assert full == cells.fingerprint("Payments", 1, 1, HEADER, [list(r) for r in BODY])
    tail = BODY[-cells.FINGERPRINT_TAIL :]
    assert full == cells.fingerprint_tail("Payments", 1, 1, HEADER, len(BODY), tail)


def test_a_fingerprint_changes_with_an_appended_or_edited_last_row_or_a_moved_table():
    full = cells.fingerprint("Payments", 1, 1, HEADER, BODY)
    edited = [*BODY[:-1], ["PAY2499", 2499.5, dt.datetime(2026, 1, 1)]]
    assert cells.fingerprint("Payments", 1, 1, HEADER, edited) != full
    assert cells.fingerprint("Payments", 1, 1, HEADER, [*BODY, ["x", 1.0, None]]) != full
    assert cells.fingerprint("Payments", 2, 1, HEADER, BODY) != full
    assert cells.fingerprint("Payments_2", 1, 1, HEADER, BODY) != full
