import datetime as dt
import logging
from decimal import Decimal

import pytest

from addin.errors import PaxlError
from udfs.convert import (
    Cells,
    ExcelArgumentError,
    broadcast,
    cells,
    date_arg,
    excel_function,
    flag_arg,
    money_arg,
    number,
    omitted,
    rate_arg,
    rows_or_errors,
    shaped,
    single,
    table,
    text_arg,
    whole_arg,
)

# --- shapes ---


@pytest.mark.parametrize(
    ("value", "values", "is_single", "across"),
    [
        (5, (5,), True, False),
        (None, (None,), True, False),
        ([5], (5,), True, False),
        ([[5]], (5,), True, False),
        ([1, 2, 3], (1, 2, 3), False, False),
        ([[1], [2], [3]], (1, 2, 3), False, False),
        ([[1, 2, 3]], (1, 2, 3), False, True),
        ((1, 2), (1, 2), False, False),
    ],
)
def test_cells_reads_a_value_a_list_a_column_and_a_row(value, values, is_single, across):
    found = cells(value, "x")
    assert found.values == values
    assert found.single is is_single
    assert found.across is across


def test_cells_refuses_a_block_of_rows_and_columns():
    with pytest.raises(ExcelArgumentError, match="amounts has 2 rows and 2 columns; give one"):
        cells([[1, 2], [3, 4]], "amounts")


def test_cells_refuses_an_empty_list():
    with pytest.raises(ExcelArgumentError, match="amounts is empty"):
        cells([], "amounts")


def test_single_takes_a_one_cell_range_and_refuses_a_column():
    assert single([[7]], "count") == 7
    with pytest.raises(ExcelArgumentError, match="count takes one value, not 2"):
        single([[7], [8]], "count")


def test_broadcast_lines_up_single_values_with_columns():
    assert broadcast(a=cells(1, "a"), b=cells([1, 2, 3], "b")) == 3
    assert broadcast(a=cells(1, "a"), b=cells(2, "b")) == 1


def test_broadcast_names_the_columns_of_different_lengths():
    with pytest.raises(ExcelArgumentError, match="a has 2, b has 3 values"):
        broadcast(a=cells([1, 2], "a"), b=cells([1, 2, 3], "b"))


def test_shaped_mirrors_the_input():
    assert shaped(["x"], cells(1, "v")) == "x"
    assert shaped(["x", "y"], cells([1, 2], "v")) == [["x"], ["y"]]
    assert shaped(["x", "y"], cells([[1, 2]], "v")) == [["x", "y"]]


def test_table_skips_a_header_and_blank_rows_and_numbers_rows():
    rows = table([["Max", "Discount"], [2, 1], [None, None], [3, 0.75]], "tiers", 2)
    assert rows == [(2, [2, 1]), (4, [3, 0.75])]


def test_table_refuses_the_wrong_width():
    with pytest.raises(ExcelArgumentError, match="tiers has 3 columns; give a range of 2"):
        table([[2, 1, 0]], "tiers", 2)


def test_omitted_means_none_blank_or_all_blank_range():
    assert omitted(None) and omitted("") and omitted([[None], [""]])
    assert not omitted([[None], [1]])


# --- values in ---


def test_money_reads_floats_as_excel_shows_them():
    assert money_arg(0.1 + 0.2, "amount") == Decimal("0.30")
    assert money_arg(1200, "amount") == Decimal("1200.00")
    assert money_arg("$1,234.50", "amount") == Decimal("1234.50")
    assert money_arg(Decimal("12.3400"), "amount") == Decimal("12.34")


def test_money_refuses_fractions_of_a_cent_naming_the_argument_and_row():
    with pytest.raises(ExcelArgumentError, match=r"allowed, row 3: .*fractions of a cent"):
        money_arg(12.345, "allowed", row=3)


def test_money_refuses_blank_text_and_booleans():
    with pytest.raises(ExcelArgumentError, match="allowed is blank; enter an amount"):
        money_arg(None, "allowed")
    with pytest.raises(ExcelArgumentError, match="allowed: 'abc' is not a number"):
        money_arg("abc", "allowed")
    with pytest.raises(ExcelArgumentError, match="TRUE/FALSE"):
        money_arg(True, "allowed")


def test_money_refuses_negative_amounts_when_asked():
    with pytest.raises(ExcelArgumentError, match=r"allowed is -5\.00; enter the amount as a posit"):
        money_arg(-5, "allowed", non_negative=True)


def test_rate_reads_fractions_and_percent_text():
    assert rate_arg(0.2, "rate") == Decimal("0.2")
    assert rate_arg(1 - 0.8, "rate") == Decimal("0.2")
    assert rate_arg("20%", "rate") == Decimal("0.2")


def test_whole_numbers_accept_whole_floats_only():
    assert whole_arg(4.0, "size") == 4
    with pytest.raises(ExcelArgumentError, match="size: expected a whole number"):
        whole_arg(4.5, "size")
    with pytest.raises(ExcelArgumentError, match="size is 0; enter 1 or more"):
        whole_arg(0, "size", minimum=1)


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2026, 3, 31),
        dt.datetime(2026, 3, 31, 0, 0),
        46112.0,
        46112,
        "2026-03-31",
        "03/31/2026",
    ],
)
def test_dates_arrive_as_dates_serials_or_text(value):
    assert date_arg(value, "as_of") == dt.date(2026, 3, 31)


def test_a_date_that_is_not_one_names_the_argument():
    with pytest.raises(ExcelArgumentError, match="as_of: expected a date"):
        date_arg("next week", "as_of")


def test_flags_and_text():
    assert flag_arg(True, "f") is True
    assert flag_arg(0.0, "f") is False
    assert flag_arg("no", "f") is False
    with pytest.raises(ExcelArgumentError, match="f: expected TRUE or FALSE"):
        flag_arg("maybe", "f")
    assert text_arg(1001.0, "id") == "1001"
    assert text_arg("  P001 ", "id") == "P001"


# --- results out ---


def test_money_results_are_numbers_rounded_half_up_to_cents():
    assert number(Decimal("12.345")) == 12.35
    assert number(Decimal("-12.345")) == -12.35
    assert number(Decimal("10")) == 10.0


def test_rows_or_errors_puts_a_bad_rows_message_in_that_row():
    def compute(i: int) -> list[object]:
        if i == 1:
            raise PaxlError("row two is wrong")
        return [i, i]

    assert rows_or_errors(3, compute, width=2, single=False) == [
        [0, 0],
        ["Error: row two is wrong", None],
        [2, 2],
    ]
    with pytest.raises(PaxlError, match="row two"):
        rows_or_errors(2, compute, width=2, single=True)


# --- the wrapper ---


def test_excel_function_names_the_function_in_user_errors():
    @excel_function
    def pa_thing(x):
        raise ExcelArgumentError("x is blank; fill it in")

    with pytest.raises(PaxlError, match=r"^PA_THING: x is blank; fill it in$"):
        pa_thing(1)


def test_excel_function_logs_a_bug_and_shows_a_short_message(caplog):
    @excel_function
    def pa_thing(x):
        return {}["secret patient data"]

    with caplog.at_level(logging.ERROR), pytest.raises(PaxlError) as info:
        pa_thing(1)
    assert "problem in paxl" in str(info.value)
    assert "secret" not in str(info.value)
    assert "PA_THING failed" in caplog.text


def test_excel_function_flattens_the_docstring_for_the_wizard():
    @excel_function
    def pa_thing(x):
        """First line,
        second line."""
        return x

    assert pa_thing.__doc__ == "First line, second line."
    assert pa_thing(3) == 3


def test_cells_is_a_value_object():
    assert Cells((1,), single=True) == cells(1, "x")
