"""Reading table sheets column-wise (fastexcel) gives exactly what reading them row by row
(python-calamine) gives: the same typed tables and the same problems, cell for cell."""

from __future__ import annotations

import datetime as dt
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from addin.excel import lite_bundle
from addin.workbook import xlsx_file
from addin.workbook.loader import read_book
from addin.workbook.schema import ColumnType, table
from addin.workbook.sheet_columns import as_cells
from addin.workbook.xlsx_file import open_xlsx

TABLES = ("Payments", "Charges", "Fees", "Plans", "Coverage", "Statements")


@contextmanager
def rows_only():
    """Read every sheet row by row (python-calamine), as without fastexcel."""
    with mock.patch.object(xlsx_file, "open_column_reader", return_value=None):
        yield


def write_sheets(path: Path, sheets: dict[str, list[list[object]]], **options) -> Path:
    """Each sheet's rows from A1 (``None`` blank; a row ``[]`` is empty but has a height, so
    the file holds an empty ``<row>``); dates and times under a date/time format."""
    book = xlsxwriter.Workbook(str(path), options)
    formats = {
        dt.datetime: book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        dt.date: book.add_format({"num_format": "yyyy-mm-dd"}),
        dt.time: book.add_format({"num_format": "hh:mm"}),
        dt.timedelta: book.add_format({"num_format": "[h]:mm"}),
    }
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            if row == []:
                sheet.set_row(r, 20)
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int | float | Decimal):
                    sheet.write_number(r, c, value)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_datetime(r, c, value, formats[type(value)])
    book.close()
    return path


def both_ways(path: Path):
    """The book and findings read column-wise where possible, and read row by row."""
    fast = read_book(path)
    with rows_only():
        slow = read_book(path)
    return fast, slow


def assert_same(path: Path) -> None:
    (fast_book, fast_findings), (slow_book, slow_findings) = both_ways(path)
    assert fast_findings == slow_findings
    for name, frame in slow_book.tables.items():
        pd.testing.assert_frame_equal(fast_book.tables[name], frame, check_exact=True)


def read_columns(path: Path, sheet: str, table_name: str | None = None):
    with open_xlsx(path) as book:
        return book.columns(sheet, table(table_name or sheet).column_names)


# --- cells of every kind ------------------------------------------------------------------------

texts = st.one_of(
    st.sampled_from(["", " ", "  a ", "Patient", "refund", "CARD", "P001", "C001", "#N/A", "é"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6),
)
numbers = st.one_of(
    st.integers(-(10**6), 10**6),
    st.decimals(-(10**6), 10**6, places=2).map(float),
    st.floats(-1e9, 1e9, allow_nan=False),
    st.sampled_from([0.1 + 0.2, 1e15, 2.0**53, -0.0]),
)
dates = st.dates(dt.date(1899, 12, 31), dt.date(9999, 12, 31))
datetimes = st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2300, 1, 1)).map(
    lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000)
)
times = st.times().map(lambda t: t.replace(microsecond=0))
KINDS = {
    "text": texts,
    "number": numbers,
    "date": dates,
    "datetime": datetimes,
    "bool": st.booleans(),
    "time": times,
}


@st.composite
def table_sheets(draw):
    """A schema table's sheet: its header in row 1 (sometimes lower), columns each of one kind
    of cell or mixed, blanks and blank rows."""
    name = draw(st.sampled_from(TABLES))
    schema = table(name)
    columns = draw(st.lists(st.sampled_from(schema.column_names), min_size=1, unique=True))
    kinds = [draw(st.sampled_from([*KINDS, "mixed"])) for _ in columns]

    def cell(kind: str):
        if kind == "mixed":
            return draw(st.one_of(st.none(), *KINDS.values()))
        return draw(st.one_of(st.none(), KINDS[kind]))

    rows = draw(st.integers(0, 8))
    body = []
    for _ in range(rows):
        blank_row = draw(st.booleans()) and draw(st.booleans())
        body.append(draw(st.sampled_from([[None], []])) if blank_row else [cell(k) for k in kinds])
    lead = [draw(st.sampled_from([[None], []]))] * draw(st.sampled_from([0, 0, 1]))
    return name, [*lead, list(columns), *body]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sheet=table_sheets())
def test_any_sheet_reads_the_same_column_wise_as_row_by_row(sheet):
    name, rows = sheet
    with tempfile.TemporaryDirectory() as folder:
        path = write_sheets(Path(folder) / "book.xlsx", {name: rows})
        event("column-wise" if read_columns(path, name) is not None else "row by row")
        assert_same(path)


# --- where the column-wise read is used, and where it is not -----------------------------------


def test_a_template_shaped_workbook_is_read_column_wise_and_the_same(make_workbook, records):
    path = make_workbook(records)
    for schema_name in ("Patients", "Charges", "Payments", "Fees"):
        read = read_columns(path, schema_name)
        assert read is not None, schema_name
        assert read.header == tuple(table(schema_name).column_names)
    payments = read_columns(path, "Payments")
    amounts = payments.columns[payments.header.index("Amount")]
    assert isinstance(amounts, np.ndarray) and amounts.dtype == np.float64
    posted = payments.columns[payments.header.index("Date")]
    assert isinstance(posted, np.ndarray) and posted.dtype.kind == "M"
    assert_same(path)


def test_money_and_dates_read_column_wise_are_typed_as_row_by_row(tmp_path):
    rows = [
        ["PaymentID", "Date", "Amount", "PostedAt"],
        ["X1", dt.date(2026, 3, 31), 125.25, dt.datetime(2026, 3, 31, 14, 5, 7)],
        [None, None, None, None],
        ["X2", dt.date(9026, 1, 1), 0.125, None],
        ["X3", None, 2.0**53, dt.datetime(2026, 1, 2)],
    ]
    path = write_sheets(tmp_path / "book.xlsx", {"Payments": rows})
    assert read_columns(path, "Payments") is not None
    assert_same(path)
    book, findings = read_book(path)
    frame = book.tables["Payments"]
    assert frame["_row"].tolist() == [2, 4, 5]
    assert frame["Amount"].tolist()[0] == 12525
    problems = {(f.row, f.column, f.message) for f in findings if f.code == "wrong_type"}
    assert problems == {
        (4, "Date", "Date is not a date."),
        (4, "Amount", "Amount has fractions of a cent."),
        (5, "Amount", "Amount is too large."),
    }


@pytest.mark.parametrize(
    "rows, why",
    [
        ([[None], ["PaymentID", "Amount"], ["X1", 1.0]], "header in row 2"),
        ([["PaymentID", "Amount", "Mine"], ["X1", 1.0, "a"]], "a column paxl does not know"),
        ([["PaymentID", None, "Amount"], ["X1", None, 1.0]], "a blank header cell"),
        ([["PaymentID", "Amount"], ["X1", 1.0, "beyond"]], "a cell beyond the header"),
        ([["PaymentID", "Amount"], ["X1", 1.0], ["X2", "12.50"]], "text and numbers"),
        ([["PaymentID", "Date"], ["X1", dt.date(2026, 1, 2)], ["X2", 46000.0]], "dates, numbers"),
        ([["PaymentID", "PostedAt"], ["X1", dt.time(13, 30)]], "a time of day"),
        ([["PaymentID", "PostedAt"], ["X1", dt.timedelta(hours=30)]], "a duration"),
        ([["PaymentID", "Date"], ["X1", dt.date(1900, 2, 1)]], "a date in early 1900"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_sheets_only_row_by_row_reads_exactly_are_read_row_by_row(tmp_path, rows, why):
    path = write_sheets(tmp_path / "book.xlsx", {"Payments": rows})
    assert read_columns(path, "Payments") is None, why
    assert_same(path)


def test_an_empty_formatted_first_row_is_not_taken_for_the_header_row(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "book.xlsx"))
    sheet = book.add_worksheet("Payments")
    sheet.set_row(0, 30)  # row 1 written as an empty <row r="1" .../>: calamine starts at row 2
    sheet.write_row(1, 0, ["PaymentID", "Amount"])
    sheet.write_row(2, 0, ["X1", 1.0])
    book.close()
    path = tmp_path / "book.xlsx"
    assert read_columns(path, "Payments") is None
    assert_same(path)
    assert read_book(path)[0].tables["Payments"]["_row"].tolist() == [3]


def test_a_workbook_counting_dates_from_1904_is_read_row_by_row(tmp_path):
    rows = [["PaymentID", "Date"], ["X1", dt.date(2026, 1, 2)]]
    path = write_sheets(tmp_path / "book.xlsx", {"Payments": rows}, date_1904=True)
    assert read_columns(path, "Payments") is None
    assert_same(path)
    assert read_book(path)[0].tables["Payments"]["Date"].tolist() == [pd.Timestamp(2026, 1, 2)]


def test_a_table_continued_on_a_sheet_read_row_by_row_joins_the_same(tmp_path):
    sheets = {
        "Payments": [["PaymentID", "Amount", "Date"], ["X1", 1.5, dt.date(2026, 1, 2)]],
        "Payments_2": [
            ["PaymentID", "Amount", "Date"],
            ["X2", "2.50", dt.date(2026, 1, 3)],
            ["X4", 4.0, dt.date(2026, 1, 4)],
        ],
        "Payments_3": [["PaymentID", "Amount", "Date"], ["X3", 3.0, None]],
    }
    path = write_sheets(tmp_path / "book.xlsx", sheets)
    assert read_columns(path, "Payments") is not None
    assert read_columns(path, "Payments_2", "Payments") is None
    assert_same(path)
    frame = read_book(path)[0].tables["Payments"]
    assert frame["Amount"].tolist() == [150, 250, 400, 300]
    assert frame["_sheet"].tolist() == ["Payments", "Payments_2", "Payments_2", "Payments_3"]


def test_an_encrypted_workbook_is_read_column_wise_too(make_workbook, records, tmp_path):
    from addin.workbook.encryption import encrypt_bytes

    plain = make_workbook(records)
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(encrypt_bytes(plain.read_bytes(), "s3cret", ".xlsx"))
    with open_xlsx(locked, password="s3cret") as book:
        assert book.columns("Payments", table("Payments").column_names) is not None
    assert read_book(locked, password="s3cret")[1] == read_book(plain)[1]


def test_as_cells_gives_python_calamine_conventions():
    numbers = np.array([1.5, np.nan, 2.0])
    assert as_cells(numbers) == [1.5, "", 2.0]
    moments = np.array(
        ["2026-01-02T00:00", "NaT", "2026-01-02T13:30:00.250"], dtype="datetime64[ms]"
    )
    assert as_cells(moments) == [
        dt.date(2026, 1, 2),
        "",
        dt.datetime(2026, 1, 2, 13, 30, 0, 250000),
    ]
    assert as_cells(["a", ""]) == ["a", ""]


def test_every_schema_type_survives_a_column_wise_read(make_workbook, records):
    path = make_workbook(records)
    book, _ = read_book(path)
    with rows_only():
        expected, _ = read_book(path)
    kinds = {c.type for t in TABLES for c in table(t).columns}
    assert kinds == set(ColumnType)  # the hypothesis test above covers every type
    for name, frame in expected.tables.items():
        pd.testing.assert_frame_equal(book.tables[name], frame, check_exact=True)


# --- xlwings Lite: fastexcel is optional ------------------------------------------------------


def test_lite_does_not_require_fastexcel_or_pyarrow():
    _, external = lite_bundle.bundle()
    assert "python_calamine" in external
    assert "fastexcel" not in external and "pyarrow" not in external


def test_an_import_guarded_by_import_error_is_optional_for_lite():
    import ast

    source = (
        "try:\n    import fastexcel\nexcept ImportError:\n    fastexcel = None\n"
        "try:\n    import json5\nexcept ValueError:\n    pass\n"
    )
    found = lite_bundle._imports(ast.parse(source), "addin.x", False)
    assert found == {"json5"}
