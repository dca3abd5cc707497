"""Export cells → typed values: US dates, dollar amounts, parentheses, export words."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from addin.workbook.import_values import read_amount, read_column, read_date
from addin.workbook.schema import table

AS_OF = dt.date(2026, 4, 15)


def column(table_name, name):
    return table(table_name).column(name)


@pytest.mark.parametrize(
    "text",
    [
        "03/31/2026",
        "3/31/2026",
        "3/31/26",
        "03-31-2026",
        "2026-03-31",
        "2026/03/31",
        "20260331",
        "Mar 31 2026",
        "Mar 31, 2026",
        "March 31, 2026",
        "31-Mar-2026",
        " 03/31/2026 ",
        "2026-03-31 00:00:00",
    ],
)
def test_common_us_date_formats_read_as_march_31(text):
    assert read_date(text, as_of=AS_OF) == dt.datetime(2026, 3, 31)


def test_month_comes_first_as_in_the_us():
    assert read_date("04/03/2026", as_of=AS_OF) == dt.datetime(2026, 4, 3)


def test_a_time_after_the_date_is_kept():
    assert read_date("3/31/2026 2:05 PM", as_of=AS_OF) == dt.datetime(2026, 3, 31, 14, 5)
    assert read_date("2026-03-31 14:05", as_of=AS_OF) == dt.datetime(2026, 3, 31, 14, 5)


def test_a_two_digit_birth_year_never_lies_in_the_future():
    assert read_date("3/31/45", as_of=AS_OF, past=True) == dt.datetime(1945, 3, 31)
    assert read_date("3/31/45", as_of=AS_OF) == dt.datetime(2045, 3, 31)
    assert read_date("3/31/19", as_of=AS_OF, past=True) == dt.datetime(2019, 3, 31)


@pytest.mark.parametrize("text", ["13/31/2026", "2/30/2026", "Total", "2026331", "31/03/2026"])
def test_text_that_is_no_date_is_left_for_the_type_check(text):
    assert read_date(text, as_of=AS_OF) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("45.00-", "-45.00"), (" 1,234.50- ", "-1,234.50"), ("$1,234.50", "$1,234.50")],
)
def test_a_trailing_minus_becomes_a_leading_one(text, expected):
    assert read_amount(text) == expected


def test_amounts_with_dollars_commas_and_parentheses_become_exact_cents():
    values, problems = read_column(
        column("Charges", "Amount"),
        ["$1,234.50", "(45.00)", "45.00-", "180", 96.5, "", "-$3.10"],
        as_of=AS_OF,
    )
    assert problems == []
    assert list(values) == [123450, -4500, -4500, 18000, 9650, pd.NA, -310]


def test_fractions_of_a_cent_and_words_are_problems_without_the_value():
    values, problems = read_column(
        column("Charges", "Amount"), ["12.345", "twelve", "12.34"], as_of=AS_OF
    )
    assert [p.index for p in problems] == [0, 1]
    assert "12.345" not in problems[0].message
    assert list(values)[2] == 1234


def test_a_bad_date_is_blank_and_reported_as_not_a_date():
    values, problems = read_column(
        column("Charges", "ServiceDate"), ["03/31/2026", "13/45/2026"], as_of=AS_OF
    )
    assert values[0] == pd.Timestamp(2026, 3, 31)
    assert pd.isna(values[1])
    assert [(p.index, p.message) for p in problems] == [(1, "ServiceDate is not a date.")]


def test_workbook_cells_that_are_already_dates_and_numbers_pass_through():
    values, problems = read_column(
        column("Payments", "Date"), [dt.datetime(2026, 3, 31), 46112.0], as_of=AS_OF
    )
    assert problems == []
    assert list(values) == [pd.Timestamp(2026, 3, 31), pd.Timestamp(2026, 3, 31)]


def test_export_words_become_the_allowed_values():
    values, _ = read_column(
        column("Payments", "Method"),
        ["VISA", "check", " Credit  Card ", "Barter"],
        value_map={"visa": "Card", "credit card": "Card"},
        as_of=AS_OF,
    )
    assert values == ["Card", "Check", "Card", "Barter"]  # Barter is left for the validator
