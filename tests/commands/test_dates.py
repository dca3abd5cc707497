import argparse
import datetime as dt

import pytest

from addin.commands._dates import iso_date, iso_moment


def test_iso_date_reads_year_month_day_and_ignores_surrounding_spaces():
    assert iso_date(" 2026-11-15 ") == dt.date(2026, 11, 15)


def test_iso_date_rejects_a_us_date_and_says_how_to_write_it():
    with pytest.raises(argparse.ArgumentTypeError, match="write it as YYYY-MM-DD"):
        iso_date("11/15/2026")


def test_iso_moment_keeps_a_date_alone_as_a_date_and_a_time_as_a_naive_datetime():
    assert iso_moment("2026-11-15") == dt.date(2026, 11, 15)
    assert iso_moment("2026-11-15T10:30") == dt.datetime(2026, 11, 15, 10, 30)
    assert iso_moment("2026-11-15 10:30+01:00").utcoffset() == dt.timedelta(hours=1)


def test_iso_moment_rejects_text_that_is_neither():
    with pytest.raises(argparse.ArgumentTypeError, match="not a date or time"):
        iso_moment("tomorrow")
