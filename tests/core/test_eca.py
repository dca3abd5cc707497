import dataclasses
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.eca import clocks_from_statements, collections_clock, eca_allowed
from addin.errors import PaxlError
from addin.workbook.frames import typed_frame

D = dt.date


def test_final_notice_thirty_days_before_is_the_later_limit():
    clock = collections_clock(D(2026, 1, 15), D(2026, 5, 1))
    assert clock.notification_end == D(2026, 5, 15)
    assert clock.earliest_eca == D(2026, 5, 31)
    assert clock.application_end == D(2026, 9, 12)


def test_early_final_notice_leaves_the_120_day_period_as_the_limit():
    clock = collections_clock(D(2026, 1, 15), D(2026, 3, 1))
    assert clock.earliest_eca == clock.notification_end == D(2026, 5, 15)


def test_final_notice_exactly_90_days_in_gives_the_same_day_both_ways():
    clock = collections_clock(D(2026, 1, 15), D(2026, 4, 15))
    assert clock.earliest_eca == D(2026, 5, 15)


def test_application_period_crosses_a_leap_day():
    clock = collections_clock(D(2027, 12, 1))
    assert clock.notification_end == D(2028, 3, 30)
    assert clock.application_end == D(2028, 7, 28)


def test_no_collection_action_without_a_final_notice():
    clock = collections_clock(D(2026, 1, 15))
    assert clock.earliest_eca is None
    assert not eca_allowed(clock, D(2030, 1, 1))


def test_action_is_allowed_on_the_earliest_date_not_the_day_before():
    clock = collections_clock(D(2026, 1, 15), D(2026, 5, 1))
    assert not eca_allowed(clock, D(2026, 5, 30))
    assert eca_allowed(clock, D(2026, 5, 31))
    assert eca_allowed(clock, dt.datetime(2026, 6, 1, 9, 30))


def test_clock_is_a_frozen_record():
    clock = collections_clock(D(2026, 1, 15))
    with pytest.raises(dataclasses.FrozenInstanceError):
        clock.earliest_eca = D(2026, 1, 16)  # type: ignore[misc]


def test_longer_practice_periods_are_kept():
    clock = collections_clock(
        D(2026, 1, 1), D(2026, 1, 2), notification_days=150, final_notice_days=45
    )
    assert clock.notification_end == D(2026, 5, 31)
    assert clock.earliest_eca == D(2026, 5, 31)


@pytest.mark.parametrize(
    "periods",
    [{"notification_days": 119}, {"final_notice_days": 29}, {"application_days": 200}],
)
def test_periods_shorter_than_501r_allows_are_refused(periods):
    with pytest.raises(PaxlError, match="501\\(r\\) requires at least"):
        collections_clock(D(2026, 1, 1), **periods)


def test_final_notice_before_the_first_statement_is_refused():
    with pytest.raises(PaxlError, match="before the first statement"):
        collections_clock(D(2026, 3, 1), D(2026, 2, 1))


@given(
    st.dates(D(2020, 1, 1), D(2030, 12, 31)),
    st.integers(0, 400),
)
def test_earliest_action_respects_both_waits_and_equals_one_of_them(first, notice_after):
    notice = first + dt.timedelta(days=notice_after)
    clock = collections_clock(first, notice)
    assert clock.earliest_eca >= first + dt.timedelta(days=120)
    assert clock.earliest_eca >= notice + dt.timedelta(days=30)
    assert clock.earliest_eca in (clock.notification_end, notice + dt.timedelta(days=30))
    assert clock.application_end - clock.first_statement == dt.timedelta(days=240)


def statement(sid, pid, day, final=None):
    return dict(
        StatementID=sid,
        PatientID=pid,
        StatementDate=day,
        DueDate=day,
        AmountDue="10.00",
        FinalNotice=final,
    )


def test_clocks_from_the_statement_log():
    statements = typed_frame(
        "Statements",
        [
            statement("S2", "P1", "2026-02-15"),
            statement("S1", "P1", "2026-01-15"),
            statement("S3", "P1", "2026-05-01", final=True),
            statement("S4", "P2", "2026-03-01"),
            statement("S5", "P3", "2026-08-01"),
        ],
    )
    clocks = clocks_from_statements(statements, as_of=D(2026, 6, 30))
    assert list(clocks.index) == ["P1", "P2"]
    p1 = clocks.loc["P1"]
    assert p1["first_statement"] == pd.Timestamp("2026-01-15")
    assert p1["final_notice"] == pd.Timestamp("2026-05-01")
    assert p1["notification_end"] == pd.Timestamp("2026-05-15")
    assert p1["earliest_eca"] == pd.Timestamp("2026-05-31")
    assert p1["application_end"] == pd.Timestamp("2026-09-12")
    assert pd.isna(clocks.loc["P2", "earliest_eca"])
    assert clocks.loc["P2", "notification_end"] == pd.Timestamp("2026-06-29")


def test_clocks_use_longer_policy_periods_but_never_shorter_ones():
    statements = typed_frame(
        "Statements",
        [statement("S1", "P1", "2026-01-01"), statement("S2", "P1", "2026-01-02", final=True)],
    )
    longer = clocks_from_statements(
        statements, policy={"collections_days": 150, "final_notice_days": 45}
    )
    assert longer.loc["P1", "earliest_eca"] == pd.Timestamp("2026-05-31")
    shorter = clocks_from_statements(
        statements, policy={"collections_days": 60, "final_notice_days": 10}
    )
    assert shorter.loc["P1", "earliest_eca"] == pd.Timestamp("2026-05-01")
