"""Who is overdue (level 2+ from the first statement, never-billed items excluded), which channel,
and the call list with each patient's local time."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from addin.core.overdue import Channel, choose_channel, notice_moment, plan_notices
from addin.workbook.book import book_from_records

D = Decimal
NY = ZoneInfo("America/New_York")
AS_OF = dt.date(2026, 6, 1)


def patient(pid, **extra):
    row = {
        "PatientID": pid,
        "LastName": "Lane",
        "FirstName": "Lois",
        "DOB": dt.date(1980, 1, 1),
        "Address1": "1 Main St",
        "City": "Metropolis",
        "State": "NY",
        "ZIP": "10001",
        "Phone": "(212) 555-0100",
        "PreferredContact": "Mail",
        "AccountStatus": "Active",
    }
    row.update(extra)
    return row


def charge(cid, pid, amount="100.00", served=dt.date(2026, 1, 5)):
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": served,
        "Code": "99213",
        "Amount": amount,
        "Status": "Patient due",
    }


def statement(sid, pid, on, final=False):
    return {
        "StatementID": sid,
        "PatientID": pid,
        "StatementDate": on,
        "DueDate": on + dt.timedelta(days=21),
        "AmountDue": "100.00",
        "FinalNotice": final,
    }


def book(patients, charges, statements=(), **tables):
    records = {"Patients": list(patients), "Charges": list(charges)}
    records["Statements"] = list(statements)
    records.update({k: list(v) for k, v in tables.items()})
    return book_from_records(records)


def worklist(b, now=dt.datetime(2026, 6, 1, 12, 0)):
    return plan_notices(b, now)


def accounts(plan):
    return [n.overdue.account for n in plan.notices]


# --- who is overdue ----------------------------------------------------------------------------


def test_thirty_days_after_the_first_statement_is_not_overdue_thirty_one_is():
    b = book(
        [patient("P1"), patient("P2")],
        [charge("C1", "P1"), charge("C2", "P2")],
        [
            statement("S1", "P1", AS_OF - dt.timedelta(days=30)),
            statement("S2", "P2", AS_OF - dt.timedelta(days=31)),
        ],
    )
    plan = worklist(b)
    assert accounts(plan) == ["P2"]
    item = plan.notices[0].overdue
    assert (item.days_past, item.dunning_level) == (31, 2)
    assert item.first_statement == AS_OF - dt.timedelta(days=31)


def test_items_never_billed_are_not_overdue_however_old():
    b = book([patient("P1")], [charge("C1", "P1", served=dt.date(2025, 1, 5))])
    assert worklist(b).notices == ()


def test_age_runs_from_the_first_statement_not_the_latest():
    b = book(
        [patient("P1")],
        [charge("C1", "P1")],
        [statement("S1", "P1", dt.date(2026, 2, 1)), statement("S2", "P1", dt.date(2026, 5, 25))],
    )
    item = worklist(b).notices[0].overdue
    assert item.first_statement == dt.date(2026, 2, 1)
    assert item.days_past == 120 and item.dunning_level == 4
    assert "90 days past due" in item.message  # the Policy's dunning_4 text


def test_paid_accounts_are_not_overdue():
    paid = {
        "PaymentID": "X1",
        "Date": dt.date(2026, 3, 1),
        "PatientID": "P1",
        "ChargeID": "C1",
        "Payer": "Patient",
        "Kind": "Payment",
        "Method": "Card",
        "Amount": "100.00",
    }
    b = book(
        [patient("P1")],
        [charge("C1", "P1")],
        [statement("S1", "P1", dt.date(2026, 2, 1))],
        Payments=[paid],
    )
    assert worklist(b).notices == ()


def test_a_dependants_items_are_on_the_guarantors_account_and_reach_the_guarantor():
    b = book(
        [
            patient("G1", PreferredContact="Email", Email="g1@example.com"),
            patient("K1", Guarantor="G1"),
        ],
        [charge("C1", "K1", "80.00"), charge("C2", "G1", "20.00")],
        [statement("S1", "G1", dt.date(2026, 3, 1))],
    )
    (notice,) = worklist(b).notices
    assert notice.overdue.account == "G1"
    assert notice.overdue.patients == ("G1", "K1")
    assert notice.overdue.amount_due == D("100.00")
    assert notice.channel is Channel.EMAIL


def test_past_due_counts_only_items_billed_more_than_30_days_ago():
    b = book(
        [patient("P1")],
        [charge("C1", "P1", "70.00"), charge("C2", "P1", "30.00", served=dt.date(2026, 5, 20))],
        [statement("S1", "P1", dt.date(2026, 3, 1)), statement("S2", "P1", dt.date(2026, 5, 25))],
    )
    item = worklist(b).notices[0].overdue
    assert (item.amount_due, item.past_due) == (D("100.00"), D("70.00"))


@pytest.mark.parametrize("status", ["Collections", "Closed", "Payment plan"])
def test_accounts_not_worked_by_the_practice_are_skipped_and_counted(status):
    b = book(
        [patient("P1", AccountStatus=status), patient("P2")],
        [charge("C1", "P1"), charge("C2", "P2")],
        [statement("S1", "P1", dt.date(2026, 3, 1)), statement("S2", "P2", dt.date(2026, 3, 1))],
    )
    plan = worklist(b)
    assert accounts(plan) == ["P2"]
    assert plan.skipped == {status: 1}


def test_an_active_payment_plan_takes_the_account_off_the_worklist():
    plan_row = {
        "PlanNo": "PP1",
        "PatientID": "P1",
        "Created": dt.date(2026, 3, 5),
        "Balance": "100.00",
        "Installment": "50.00",
        "Count": 2,
        "FirstDue": dt.date(2026, 4, 1),
        "Status": "Active",
    }
    b = book(
        [patient("P1")],
        [charge("C1", "P1")],
        [statement("S1", "P1", dt.date(2026, 3, 1))],
        PaymentPlans=[plan_row],
    )
    plan = worklist(b)
    assert plan.notices == () and plan.skipped == {"Active plan": 1}


def test_worklist_is_most_overdue_first():
    b = book(
        [patient("P1"), patient("P2"), patient("P3")],
        [charge("C1", "P1"), charge("C2", "P2"), charge("C3", "P3")],
        [
            statement("S1", "P1", dt.date(2026, 4, 1)),
            statement("S2", "P2", dt.date(2026, 1, 10)),
            statement("S3", "P3", dt.date(2026, 4, 20)),
        ],
    )
    assert accounts(worklist(b)) == ["P2", "P1", "P3"]


# --- channels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preferred", "email", "phone", "channel", "fallback"),
    [
        ("Mail", "a@b.com", "555-0100", Channel.LETTER, False),
        (None, None, None, Channel.LETTER, False),
        ("Email", "a@b.com", None, Channel.EMAIL, False),
        ("Email", None, "555-0100", Channel.LETTER, True),
        ("Email", "not an address", None, Channel.LETTER, True),
        ("Phone", None, "555-0100", Channel.CALL, False),
        ("Phone", None, None, Channel.LETTER, True),
        ("Text", None, "555-0100", Channel.TEXT, False),
        ("Text", None, None, Channel.LETTER, True),
    ],
)
def test_channel_follows_the_preference_and_falls_back_to_a_letter(
    preferred, email, phone, channel, fallback
):
    chosen, note = choose_channel(preferred, email=email, phone=phone)
    assert chosen is channel
    assert bool(note) is fallback


def test_email_preference_without_an_address_is_a_letter_with_a_finding():
    b = book(
        [patient("P1", PreferredContact="Email")],
        [charge("C1", "P1")],
        [statement("S1", "P1", dt.date(2026, 3, 1))],
    )
    plan = worklist(b)
    assert plan.notices[0].channel is Channel.LETTER
    assert "no email address" in plan.notices[0].note
    (finding,) = plan.findings
    assert (finding.code, finding.sheet, finding.row, finding.column) == (
        "no_email",
        "Patients",
        2,
        "Email",
    )


# --- calls -------------------------------------------------------------------------------------


def call_book(**extra):
    return book(
        [patient("P1", PreferredContact="Phone", **extra)],
        [charge("C1", "P1")],
        [statement("S1", "P1", dt.date(2026, 3, 1))],
    )


def test_call_item_shows_the_patients_local_time_and_may_call():
    plan = worklist(call_book(TimeZone="America/Los_Angeles"), dt.datetime(2026, 6, 1, 12, 0))
    (notice,) = plan.calls
    assert notice.zone == "America/Los_Angeles"
    assert notice.call.local_time.strftime("%H:%M %Z") == "09:00 PDT"
    assert notice.call.may_call


def test_call_before_8_local_is_not_offered_though_it_is_day_at_the_practice():
    plan = worklist(call_book(TimeZone="Pacific/Honolulu"), dt.datetime(2026, 6, 1, 12, 0))
    (notice,) = plan.calls
    assert notice.call.local_time.strftime("%H:%M") == "06:00"
    assert not notice.call.may_call


def test_blank_time_zone_uses_the_practice_zone():
    plan = worklist(call_book(), dt.datetime(2026, 6, 1, 20, 59))
    (notice,) = plan.calls
    assert notice.zone == "America/New_York"
    assert notice.call.may_call
    late = worklist(call_book(), dt.datetime(2026, 6, 1, 21, 0))
    assert not late.calls[0].call.may_call


def test_invalid_time_zone_is_a_finding_with_sheet_row_and_column_not_a_crash():
    plan = worklist(call_book(TimeZone="Mountain Time"))
    (notice,) = plan.calls
    assert notice.zone is None and notice.call.local_time is None
    assert not notice.call.may_call
    (finding,) = plan.findings
    assert (finding.code, finding.sheet, finding.row, finding.column) == (
        "bad_time_zone",
        "Patients",
        2,
        "TimeZone",
    )
    assert "Mountain" not in finding.message and "P1" in finding.message


def test_invalid_practice_zone_is_a_policy_finding_and_blank_zones_get_no_call():
    b = call_book()
    b = replace(b, policy={**b.policy, "practice_time_zone": "Eastern"})
    plan = worklist(b)
    assert any(f.sheet == "Policy" and f.column == "practice_time_zone" for f in plan.findings)
    assert not plan.calls[0].call.may_call


def test_seven_calls_in_seven_days_stop_further_calls():
    calls = [
        {
            "ContactID": f"K{i}",
            "PatientID": "P1",
            "ContactedAt": dt.datetime(2026, 5, 26 + i % 6, 10, i),
            "Channel": "Call",
        }
        for i in range(7)
    ]
    b = book(
        [patient("P1", PreferredContact="Phone")],
        [charge("C1", "P1")],
        [statement("S1", "P1", dt.date(2026, 3, 1))],
        Contacts=calls,
    )
    (notice,) = worklist(b).calls
    assert notice.call.attempts == 7 and notice.call.in_window
    assert not notice.call.may_call
    six = book(
        [patient("P1", PreferredContact="Phone")],
        [charge("C1", "P1")],
        [statement("S1", "P1", dt.date(2026, 3, 1))],
        Contacts=calls[:6],
    )
    assert worklist(six).calls[0].call.may_call


def test_text_items_are_on_the_call_list_with_the_call_check():
    b = book(
        [patient("P1", PreferredContact="Text", TimeZone="America/Chicago")],
        [charge("C1", "P1")],
        [statement("S1", "P1", dt.date(2026, 3, 1))],
    )
    (notice,) = worklist(b, dt.datetime(2026, 6, 1, 8, 30)).calls
    assert notice.channel is Channel.TEXT
    assert notice.call.local_time.strftime("%H:%M") == "07:30"
    assert not notice.call.may_call


# --- now ---------------------------------------------------------------------------------------


def test_a_date_alone_is_noon_and_naive_times_are_practice_time():
    assert notice_moment(dt.date(2026, 6, 1), NY) == dt.datetime(2026, 6, 1, 12, tzinfo=NY)
    assert notice_moment(dt.datetime(2026, 6, 1, 9), NY).utcoffset() == dt.timedelta(hours=-4)
    aware = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    assert notice_moment(aware, NY) is aware


def test_an_aware_moment_elsewhere_is_shown_in_practice_time_and_dates_follow_it():
    b = call_book()
    plan = plan_notices(b, dt.datetime(2026, 6, 2, 1, 0, tzinfo=dt.UTC))  # 21:00 EDT June 1
    assert plan.as_of == dt.date(2026, 6, 1)
    assert plan.now.utcoffset() == dt.timedelta(hours=-4)
