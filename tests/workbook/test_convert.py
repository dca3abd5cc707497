"""Column-wise conversion gives exactly what the per-cell ``coerce`` gives, only faster."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from addin.workbook.convert import FIRST_YEAR, LAST_YEAR, MAX_WHOLE, convert_column
from addin.workbook.frames import CellError, coerce
from addin.workbook.schema import Column, ColumnType, table

MONEY = Column("Amount", ColumnType.MONEY)
INTEGER = Column("Units", ColumnType.INTEGER)
DATE = Column("ServiceDate", ColumnType.DATE)
DATETIME = Column("PostedAt", ColumnType.DATETIME)


def per_cell(column: Column, values: list[object]) -> tuple[list[object], list[int]]:
    """``coerce`` cell by cell, with the two documented limits of ``convert_column``."""
    out, bad = [], []
    for i, value in enumerate(values):
        try:
            typed = coerce(column, value)
            if isinstance(typed, int) and abs(typed) >= MAX_WHOLE:
                raise CellError("too large")
            if isinstance(typed, dt.datetime) and not FIRST_YEAR <= typed.year <= LAST_YEAR:
                raise CellError("out of range")
            out.append(typed)
        except (CellError, ArithmeticError):  # ArithmeticError: Decimal overflow
            out.append(None)
            bad.append(i)
    return out, bad


def plain(values) -> list[object]:
    return [None if pd.isna(v) else v for v in values]


cents = st.integers(min_value=-(10**11), max_value=10**11)
cell_floats = st.one_of(
    cents.map(lambda c: c / 100),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.floats(allow_nan=True, allow_infinity=True),
)
cells = st.one_of(
    cell_floats,
    st.just(""),
    st.sampled_from(["12.50", "$1,234.56", "(45.00)", "abc", "1.005", "  7 "]),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
)


@given(st.lists(cells, max_size=30))
def test_money_columns_agree_with_coerce_cell_for_cell(values):
    typed, problems = convert_column(MONEY, values)
    expected, bad = per_cell(MONEY, values)
    assert plain(typed) == expected
    assert [p.index for p in problems] == bad


@given(st.lists(cells, max_size=30))
def test_integer_columns_agree_with_coerce_cell_for_cell(values):
    typed, problems = convert_column(INTEGER, values)
    expected, bad = per_cell(INTEGER, values)
    assert plain(typed) == expected
    assert [p.index for p in problems] == bad


def test_huge_numbers_are_too_large_not_a_crash():
    typed, problems = convert_column(MONEY, [1.7976931348623157e306, 1e20, -1e300])
    assert plain(typed) == [None, None, None]
    assert [p.index for p in problems] == [0, 1, 2]


def test_amounts_become_exact_cents():
    typed, problems = convert_column(MONEY, [19.99, 0.07, 1234567.89, 100.0, "", "1,000.10"])
    assert plain(typed) == [1999, 7, 123456789, 10000, None, 100010]
    assert problems == []


def test_fractions_of_a_cent_are_a_problem_without_the_value_in_the_message():
    typed, [problem] = convert_column(MONEY, [12.345])
    assert plain(typed) == [None]
    assert problem.message == "Amount has fractions of a cent."
    assert "12.345" not in problem.message + problem.fix


def test_dates_from_date_cells_serials_and_text():
    values = [dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 14, 5), 46083.0, 46083.75, "03/02/2026"]
    typed, problems = convert_column(DATE, values)
    assert problems == []
    assert list(typed) == [pd.Timestamp("2026-03-02")] * 5


def test_datetime_serial_keeps_its_time():
    typed, _ = convert_column(DATETIME, [46083.75, dt.datetime(2026, 3, 2, 14, 5)])
    assert list(typed) == [pd.Timestamp("2026-03-02 18:00"), pd.Timestamp("2026-03-02 14:05")]


@given(
    st.lists(
        st.one_of(
            st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 30)),
            st.floats(min_value=-10, max_value=3e6, allow_nan=False),
            st.sampled_from(["", "2026-01-31", "13/45/2026", "soon", dt.time(8, 0), True]),
        ),
        max_size=20,
    )
)
def test_date_columns_agree_with_coerce_cell_for_cell(values):
    typed, problems = convert_column(DATE, values)
    expected, bad = per_cell(DATE, values)
    assert [None if pd.isna(v) else v.to_pydatetime() for v in typed] == expected
    assert [p.index for p in problems] == bad


def test_dates_the_frames_cannot_hold_are_problems_not_crashes():
    typed, problems = convert_column(DATE, [dt.date(9026, 3, 2), 3_000_000.0, "9026-03-02"])
    assert plain(typed) == [None, None, None]
    assert [p.index for p in problems] == [0, 1, 2]


def test_ids_typed_as_numbers_read_as_text():
    typed, _ = convert_column(table("Patients").column("PatientID"), [1001.0, " P7 ", "", 12.5])
    assert typed == ["1001", "P7", None, "12.5"]


def test_allowed_values_are_normalised_to_the_schema_spelling():
    payments = table("Payments")
    kinds, _ = convert_column(payments.column("Kind"), ["refund", " PAYMENT ", "Gift"])
    payers, _ = convert_column(payments.column("Payer"), ["patient", "ACME"])
    assert kinds == ["Refund", "Payment", "Gift"]
    assert payers == ["Patient", "ACME"]


text_cells = st.one_of(
    st.sampled_from(["", "  ", "refund", " PAYMENT ", "Refund", "Gift", "P7 ", "x"]),
    st.text(max_size=6),
)


@given(
    st.lists(text_cells, max_size=30),
    st.lists(st.one_of(text_cells, cell_floats, st.booleans(), st.none()), max_size=30),
)
def test_text_columns_agree_with_coerce_and_the_schema_spelling_cell_for_cell(texts, mixed):
    kind = table("Payments").column("Kind")
    spelling = {v.casefold(): v for v in kind.choices}
    for values in (texts, mixed):
        expected = []
        for value in values:
            typed = None if value is None else coerce(kind, value)
            expected.append(spelling.get(typed.casefold(), typed) if typed is not None else None)
        typed, problems = convert_column(kind, values)
        assert typed == expected and problems == []


date_objects = st.one_of(
    st.dates(min_value=dt.date(1678, 1, 1), max_value=dt.date(2261, 12, 31)),
    st.datetimes(min_value=dt.datetime(1678, 1, 1), max_value=dt.datetime(2261, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
        pd.Timestamp
    ),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)


@given(
    st.lists(
        st.one_of(
            date_objects,
            st.floats(min_value=-10, max_value=3e6, allow_nan=False),
            st.integers(min_value=-10, max_value=150_000),
            st.sampled_from(["", "  ", "2026-01-31", "2026-01-31 14:05:00", "soon", True]),
        ),
        max_size=20,
    ),
    st.sampled_from([DATE, DATETIME]),
)
def test_date_and_datetime_columns_agree_with_coerce_for_every_kind_of_cell(values, column):
    typed, problems = convert_column(column, values)
    expected, bad = per_cell(column, values)
    assert [None if pd.isna(v) else v.to_pydatetime() for v in typed] == expected
    assert [p.index for p in problems] == bad
    assert typed.dtype == "datetime64[ns]"


def test_a_timestamp_keeps_its_nanoseconds_in_a_datetime_column():
    stamp = pd.Timestamp("2026-03-02 14:05:00.000000001")
    typed, problems = convert_column(DATETIME, [stamp, dt.date(2026, 3, 2), ""])
    assert problems == []
    assert list(typed[:2]) == [stamp, pd.Timestamp("2026-03-02")]


@given(st.lists(text_cells, max_size=30), st.lists(st.one_of(text_cells, st.none()), max_size=30))
def test_free_text_columns_agree_with_coerce_cell_for_cell(texts, with_none):
    reference = table("Payments").column("Reference")
    for values in (texts, with_none):
        typed, problems = convert_column(reference, values)
        assert typed == [None if v is None else coerce(reference, v) for v in values]
        assert problems == []


@given(
    st.lists(
        st.one_of(
            st.booleans(),
            st.sampled_from(["", " ", "TRUE", "no", "Y", "x", "maybe", 0.0, 1.0, 2.0, 1, None]),
        ),
        max_size=30,
    )
)
def test_boolean_columns_agree_with_coerce_cell_for_cell(values):
    column = table("Statements").column("FinalNotice")
    typed, problems = convert_column(column, values)
    expected, bad = per_cell(column, values)
    assert typed == expected
    assert [p.index for p in problems] == bad


def test_dates_at_the_edges_of_the_years_a_frame_holds():
    values = [
        dt.date(1677, 12, 31),
        dt.date(1678, 1, 1),
        dt.datetime(2261, 12, 31, 23, 59, 59),
        dt.date(2262, 1, 1),
        dt.datetime(2262, 4, 11),
        pd.Timestamp("1677-09-22"),
    ]
    for column in (DATE, DATETIME):
        typed, problems = convert_column(column, values)
        expected, bad = per_cell(column, values)
        assert [None if pd.isna(v) else v.to_pydatetime() for v in typed] == expected
        assert [p.index for p in problems] == bad == [0, 3, 4, 5]


@given(
    st.lists(st.dates(min_value=dt.date(1600, 1, 1), max_value=dt.date(2300, 12, 31)), max_size=20)
)
def test_date_columns_of_date_cells_only_agree_with_coerce_cell_for_cell(values):
    typed, problems = convert_column(DATE, values)
    expected, bad = per_cell(DATE, values)
    assert [None if pd.isna(v) else v.to_pydatetime() for v in typed] == expected
    assert [p.index for p in problems] == bad
    assert typed.dtype == "datetime64[ns]"
