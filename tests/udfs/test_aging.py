import datetime as dt

import pytest

from addin.errors import PaxlError
from tests.udfs.excel_ranges import serial
from udfs import pa_age_bucket, pa_aging, pa_dunning_level, pa_eca_dates

AS_OF = dt.date(2026, 5, 1)


def days_before(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("age", "label"),
    [
        (-5, "0-30"),
        (0, "0-30"),
        (30, "0-30"),
        (31, "31-60"),
        (90, "61-90"),
        (120, "91-120"),
        (121, "121+"),
    ],
)
def test_age_bucket_boundaries(age, label):
    assert pa_age_bucket(days_before(age), AS_OF) == label


def test_age_bucket_column_of_dates_as_datetimes_and_serials():
    dates = [[dt.datetime(2026, 4, 1)], [serial(days_before(45))], [None]]
    assert pa_age_bucket(dates, serial(AS_OF)) == [["0-30"], ["31-60"], [None]]


def test_age_bucket_with_policy_thresholds():
    assert pa_age_bucket(days_before(20), AS_OF, [[15], [30], [45], [60]]) == "16-30"


def test_age_bucket_refuses_thresholds_out_of_order():
    with pytest.raises(PaxlError, match=r"Aging thresholds \[30, 20\] must be"):
        pa_age_bucket(days_before(20), AS_OF, [30, 20])


def test_age_bucket_bad_date_in_a_column_shows_in_its_row():
    rows = pa_age_bucket([[days_before(1)], ["soon"]], AS_OF)
    assert rows[0] == ["0-30"]
    assert rows[1][0].startswith("Error: bill_dates, row 2: expected a date")


def test_aging_totals_each_bucket_exactly():
    amounts = [[10.10], [20.20], [None], [30.30], [-5]]
    dates = [[days_before(10)], [days_before(40)], [None], [days_before(200)], [days_before(5)]]
    assert pa_aging(amounts, dates, AS_OF) == [[5.10, 20.20, 0.0, 0.0, 30.30]]


def test_aging_needs_a_date_for_every_amount():
    with pytest.raises(PaxlError, match="PA_AGING: bill_dates, row 2 is blank; enter a date"):
        pa_aging([[1], [2]], [[days_before(1)], [None]], AS_OF)


def test_aging_refuses_columns_of_different_lengths():
    with pytest.raises(PaxlError, match="amounts has 3, bill_dates has 2 values"):
        pa_aging([1, 2, 3], [days_before(1), days_before(2)], AS_OF)


@pytest.mark.parametrize("ages", [[30, 31, 61, 91, 121], [[30], [31], [61], [91], [121]]])
def test_dunning_levels_one_to_five(ages):
    assert pa_dunning_level(ages) == [[1], [2], [3], [4], [5]]


def test_dunning_level_single_value():
    assert pa_dunning_level(45) == 2
    assert pa_dunning_level(-3) == 1


def test_dunning_level_refuses_a_fraction_of_a_day():
    with pytest.raises(PaxlError, match="age_days: expected a whole number"):
        pa_dunning_level(4.5)


def test_eca_dates_worked_example():
    assert pa_eca_dates(dt.date(2026, 1, 15), dt.date(2026, 5, 1)) == [
        [dt.date(2026, 5, 15), dt.date(2026, 5, 31), dt.date(2026, 9, 12)]
    ]


def test_eca_dates_without_final_notice_leave_earliest_eca_blank():
    assert pa_eca_dates(dt.date(2026, 1, 15)) == [
        [dt.date(2026, 5, 15), None, dt.date(2026, 9, 12)]
    ]


def test_eca_dates_column_with_serials_and_blanks():
    rows = pa_eca_dates([[serial(dt.date(2026, 1, 15))], [None]], [[None], [None]])
    assert rows == [[dt.date(2026, 5, 15), None, dt.date(2026, 9, 12)], [None, None, None]]


def test_eca_dates_refuse_a_notice_before_the_first_statement():
    with pytest.raises(PaxlError, match="is dated before the first statement"):
        pa_eca_dates(dt.date(2026, 1, 15), dt.date(2026, 1, 1))
