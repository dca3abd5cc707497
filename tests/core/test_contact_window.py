"""Call window and attempt limit: local time per IANA zone, DST, Arizona, Hawaii, 7 in 7 days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from addin.core.contact_window import (
    CallRules,
    call_attempts,
    call_rules_from_policy,
    check_call,
    count_attempts,
    in_call_window,
    is_valid_zone,
    local_time,
    practice_instant,
    zone_or_none,
)
from addin.workbook.frames import typed_frame
from addin.workbook.schema import table

UTC = dt.UTC
NY, CHI, DEN = ZoneInfo("America/New_York"), ZoneInfo("America/Chicago"), ZoneInfo("America/Denver")
PHX, LA, HNL = (
    ZoneInfo("America/Phoenix"),
    ZoneInfo("America/Los_Angeles"),
    ZoneInfo("Pacific/Honolulu"),
)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# --- the window --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wall", "inside"),
    [((7, 59), False), ((8, 0), True), ((12, 0), True), ((20, 59), True), ((21, 0), False)],
)
def test_window_starts_at_8_and_ends_before_21(wall, inside):
    assert in_call_window(dt.time(*wall)) is inside


def test_one_moment_is_a_different_local_time_in_each_zone():
    now = utc(2026, 7, 1, 12, 0)  # summer: New York on EDT (-4)
    hours = {z.key: local_time(now, z).hour for z in (NY, CHI, DEN, PHX, LA, HNL)}
    assert hours == {
        "America/New_York": 8,
        "America/Chicago": 7,
        "America/Denver": 6,
        "America/Phoenix": 5,
        "America/Los_Angeles": 5,
        "Pacific/Honolulu": 2,
    }
    allowed = {z.key for z in (NY, CHI, DEN, PHX, LA, HNL) if check_call(now, z, 0).may_call}
    assert allowed == {"America/New_York"}


def test_arizona_keeps_standard_time_while_denver_moves_to_daylight_time():
    summer = utc(2026, 7, 15, 14, 30)
    assert local_time(summer, DEN).time() == dt.time(8, 30)  # MDT, -6
    assert local_time(summer, PHX).time() == dt.time(7, 30)  # MST all year, -7
    assert check_call(summer, DEN, 0).may_call
    assert not check_call(summer, PHX, 0).may_call
    winter = utc(2026, 1, 15, 14, 30)
    assert local_time(winter, DEN).time() == local_time(winter, PHX).time() == dt.time(7, 30)
    later = utc(2026, 1, 15, 15, 30)
    assert check_call(later, DEN, 0).may_call and check_call(later, PHX, 0).may_call


def test_hawaii_is_ten_hours_behind_utc_all_year():
    for now in (utc(2026, 1, 10, 18, 30), utc(2026, 7, 10, 18, 30)):
        assert local_time(now, HNL).time() == dt.time(8, 30)
        assert check_call(now, HNL, 0).may_call
    # 07:30 UTC is 21:30 the evening before in Honolulu: too late
    late = check_call(utc(2026, 11, 15, 7, 30), HNL, 0)
    assert late.local_time.date() == dt.date(2026, 11, 14) and not late.may_call


def test_spring_forward_moves_the_morning_opening_an_hour_earlier_in_utc():
    # US DST starts Sunday 2026-03-08 at 02:00 local time
    saturday = check_call(utc(2026, 3, 7, 12, 30), NY, 0)
    sunday = check_call(utc(2026, 3, 8, 12, 30), NY, 0)
    assert saturday.local_time.time() == dt.time(7, 30) and not saturday.may_call
    assert sunday.local_time.time() == dt.time(8, 30) and sunday.may_call
    # Phoenix does not change: 05:30 both days
    assert local_time(utc(2026, 3, 8, 12, 30), PHX).time() == dt.time(5, 30)


def test_fall_back_moves_the_evening_close_an_hour_later_in_utc():
    # US DST ends Sunday 2026-11-01 at 02:00 local time
    saturday = check_call(utc(2026, 11, 1, 0, 30), NY, 0)  # 20:30 EDT on Oct 31
    assert saturday.local_time.time() == dt.time(20, 30) and saturday.may_call
    sunday = check_call(utc(2026, 11, 2, 1, 30), NY, 0)  # 20:30 EST on Nov 1
    assert sunday.local_time.time() == dt.time(20, 30) and sunday.may_call
    closed = check_call(utc(2026, 11, 2, 2, 0), NY, 0)  # 21:00 EST
    assert not closed.may_call
    assert "21:00 for the patient" in closed.reason


def test_reason_names_the_patients_local_time_and_the_window():
    check = check_call(utc(2026, 7, 1, 11, 0), NY, 0)  # 07:00 EDT
    assert not check.may_call
    assert check.reason == "It is 07:00 for the patient; calls only from 08:00 to 21:00 their time."


def test_naive_now_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="timezone-aware"):
        local_time(dt.datetime(2026, 7, 1, 12), NY)


# --- zones -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("America/New_York", True),
        ("Pacific/Honolulu", True),
        ("America/Phoenix", True),
        ("UTC", True),
        ("America/New York", False),
        ("america/new_york", False),
        ("Eastern", False),
        ("", False),
        (None, False),
        ("../etc/passwd", False),
    ],
)
def test_only_exact_iana_zone_keys_are_valid(name, valid):
    assert is_valid_zone(name) is valid
    assert (zone_or_none(name) is not None) is valid


def test_no_zone_means_no_call_and_says_why():
    check = check_call(utc(2026, 7, 1, 15), None, 0)
    assert check.local_time is None and not check.may_call
    assert "time zone" in check.reason


# --- attempts ----------------------------------------------------------------------------------


def test_attempts_count_the_last_seven_times_24_hours_up_to_now():
    now = utc(2026, 5, 20, 15, 0)
    week = dt.timedelta(days=7)
    times = [
        now - week,  # exactly 168 h before: outside
        now - week + dt.timedelta(seconds=1),
        now - dt.timedelta(days=3),
        now,  # counts
        now + dt.timedelta(minutes=1),  # after now: not yet
    ]
    assert count_attempts(times, now) == 3


def test_seven_attempts_stop_calls_six_do_not():
    now = utc(2026, 7, 1, 15)  # 11:00 in New York
    assert check_call(now, NY, 6).may_call
    blocked = check_call(now, NY, 7)
    assert not blocked.may_call and blocked.in_window
    assert blocked.reason == "7 call attempts in the last 7 days; the limit is 7."


def test_both_reasons_are_given_when_both_rules_fail():
    check = check_call(utc(2026, 7, 1, 3), NY, 9)
    assert "calls only from" in check.reason and "limit is 7" in check.reason


def test_limit_period_is_exact_hours_across_spring_forward():
    now = dt.datetime(2026, 3, 10, 12, 0, tzinfo=NY)  # EDT; 16:00 UTC
    contact = dt.datetime(2026, 3, 3, 11, 30, tzinfo=NY)  # EST; 16:30 UTC: 167.5 h before
    assert count_attempts([contact], now) == 1


def test_limit_period_is_exact_hours_across_fall_back():
    now = dt.datetime(2026, 11, 3, 12, 0, tzinfo=NY)  # EST; 17:00 UTC
    contact = dt.datetime(2026, 10, 27, 12, 30, tzinfo=NY)  # EDT; 16:30 UTC: 168.5 h before
    assert count_attempts([contact], now) == 0


def test_practice_times_in_the_repeated_autumn_hour_are_the_first_occurrence():
    moment = practice_instant(dt.datetime(2026, 11, 1, 1, 30), NY)
    assert moment.astimezone(UTC) == utc(2026, 11, 1, 5, 30)  # 01:30 EDT


def contacts(*rows):
    records = [
        {"ContactID": f"K{i}", "PatientID": pid, "ContactedAt": at, "Channel": channel}
        for i, (pid, at, channel) in enumerate(rows)
    ]
    return typed_frame(table("Contacts"), records)


def test_call_attempts_per_account_count_dependants_calls_only_and_the_period():
    now = dt.datetime(2026, 5, 20, 12, 0, tzinfo=NY)
    frame = contacts(
        ("P1", dt.datetime(2026, 5, 19, 10, 0), "Call"),
        ("P2", dt.datetime(2026, 5, 18, 10, 0), "Call"),  # P2's guarantor is P1
        ("P1", dt.datetime(2026, 5, 18, 11, 0), "Letter"),  # not a call
        ("P1", dt.datetime(2026, 5, 18, 11, 0), "Text"),  # not a call
        ("P1", dt.datetime(2026, 5, 13, 12, 0), "Call"),  # exactly 7 days: outside
        ("P1", dt.datetime(2026, 5, 13, 12, 1), "Call"),
        ("P1", dt.datetime(2026, 5, 20, 12, 5), "Call"),  # after now
        ("P3", dt.datetime(2026, 5, 19, 9, 0), "Call"),
    )
    counts = call_attempts(frame, {"P1": "P1", "P2": "P1", "P3": "P3"}, now, NY)
    assert counts == {"P1": 3, "P3": 1}


def test_call_attempts_read_the_log_in_the_practice_zone():
    # a call logged 12:30 practice time (New York) = 16:30 UTC
    frame = contacts(("P1", dt.datetime(2026, 5, 13, 12, 30), "Call"))
    assert call_attempts(frame, {}, utc(2026, 5, 20, 16, 29), NY) == {"P1": 1}
    assert call_attempts(frame, {}, utc(2026, 5, 20, 16, 30), NY) == {}
    # the same wall time read in Los Angeles is 3 hours later
    assert call_attempts(frame, {}, utc(2026, 5, 20, 19, 29), LA) == {"P1": 1}


def test_call_attempts_of_an_empty_log_are_none():
    empty = typed_frame(table("Contacts"), [])
    assert call_attempts(empty, {}, utc(2026, 5, 20, 12), NY) == {}


# --- Policy ------------------------------------------------------------------------------------


def test_default_policy_gives_the_legal_rules_without_findings():
    rules, findings = call_rules_from_policy(
        {"call_window_start": "08:00", "call_window_end": "21:00", "call_limit": 7}
    )
    assert rules == CallRules() and findings == ()


def test_stricter_policy_settings_are_kept():
    rules, findings = call_rules_from_policy(
        {
            "call_window_start": "09:00",
            "call_window_end": "19:30",
            "call_limit": 3,
            "call_limit_days": 14,
        }
    )
    assert rules == CallRules(dt.time(9), dt.time(19, 30), 3, 14) and not findings
    assert not in_call_window(dt.time(19, 30), rules)


def test_looser_policy_settings_are_clamped_to_the_law_and_reported():
    rules, findings = call_rules_from_policy(
        {
            "call_window_start": "07:00",
            "call_window_end": "22:00",
            "call_limit": 10,
            "call_limit_days": 3,
        }
    )
    assert rules == CallRules()
    assert [f.column for f in findings] == [
        "call_window_start",
        "call_window_end",
        "call_limit",
        "call_limit_days",
    ]
    assert all(f.sheet == "Policy" and f.code == "call_rule_clamped" for f in findings)


def test_unreadable_settings_fall_back_to_the_default_with_a_finding():
    rules, findings = call_rules_from_policy({"call_window_start": "8am", "call_limit": "many"})
    assert rules == CallRules()
    assert {f.column for f in findings} == {"call_window_start", "call_limit"}


def test_excel_time_fractions_and_times_are_read():
    rules, _ = call_rules_from_policy({"call_window_start": 0.375, "call_window_end": dt.time(20)})
    assert (rules.start, rules.end) == (dt.time(9), dt.time(20))


def test_an_empty_window_is_reported():
    rules, findings = call_rules_from_policy(
        {"call_window_start": "20:00", "call_window_end": "09:00"}
    )
    assert [f.code for f in findings] == ["call_window_empty"]
    assert not in_call_window(dt.time(12), rules)
