"""Collections eligibility: each rule with its reason, the 501(r) dates, and a workbook review."""

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.collections_rules import (
    AccountFacts,
    CollectionsRules,
    check_account,
    review_collections,
)
from addin.errors import PaxlError
from addin.workbook.book import book_from_records

d = dt.date
RULES = CollectionsRules(minimum=5000, collections_days=120, final_notice_days=30)
NONPROFIT = replace(RULES, nonprofit=True)
AS_OF = d(2026, 6, 1)
#: passes every rule on AS_OF: $100, first billed 137 days ago, final notice 47 days ago
GOOD = AccountFacts(
    account="G1",
    balance=10000,
    patients=("G1",),
    first_statement=d(2026, 1, 15),
    newest_statement=d(2026, 1, 15),
    final_notices=(d(2026, 4, 15),),
    statuses={"G1": "Active"},
)


def codes(facts, rules=RULES, as_of=AS_OF):
    return [r.code for r in check_account(facts, rules, as_of)[0]]


def test_an_account_passing_every_rule_is_eligible():
    reasons, notice, earliest = check_account(GOOD, RULES, AS_OF)
    assert reasons == () and notice == d(2026, 4, 15) and earliest is None


# 1. minimum


def test_balance_at_the_minimum_is_eligible_a_cent_under_is_not():
    assert codes(replace(GOOD, balance=5000)) == []
    assert codes(replace(GOOD, balance=4999)) == ["under_minimum"]


def test_nothing_owed_is_never_eligible_even_with_a_zero_minimum():
    assert codes(replace(GOOD, balance=0), replace(RULES, minimum=0)) == ["under_minimum"]


@given(
    balance=st.integers(min_value=-10_000, max_value=4999),
    age=st.integers(min_value=0, max_value=2000),
    notice_age=st.integers(min_value=0, max_value=2000),
    nonprofit=st.booleans(),
)
def test_a_balance_under_the_minimum_is_never_eligible_whatever_else_holds(
    balance, age, notice_age, nonprofit
):
    first = AS_OF - dt.timedelta(days=age)
    facts = replace(
        GOOD,
        balance=balance,
        first_statement=first,
        newest_statement=first,
        final_notices=(max(first, AS_OF - dt.timedelta(days=notice_age)),),
    )
    reasons, _, _ = check_account(facts, replace(RULES, nonprofit=nonprofit), AS_OF)
    assert "under_minimum" in [r.code for r in reasons]


# 2. age


def test_age_must_be_more_than_collections_days():
    exactly = replace(GOOD, first_statement=AS_OF - dt.timedelta(days=120))
    assert codes(exactly) == ["too_recent"]
    assert codes(replace(exactly, first_statement=AS_OF - dt.timedelta(days=121))) == []


def test_an_account_never_billed_is_not_eligible():
    facts = replace(GOOD, first_statement=None, newest_statement=None, final_notices=())
    assert codes(facts) == ["never_billed", "no_final_notice"]


def test_too_recent_reason_gives_the_date_and_the_days():
    facts = replace(GOOD, first_statement=d(2026, 3, 1))
    (reason,) = check_account(facts, RULES, AS_OF)[0]
    assert reason.message == (
        "The oldest open bill was first sent on 2026-03-01 (92 days ago); collections needs "
        "more than 120 days."
    )


# 3. final notice


def test_final_notice_must_be_at_least_final_notice_days_old():
    assert codes(replace(GOOD, final_notices=(AS_OF - dt.timedelta(days=30),))) == []
    assert codes(replace(GOOD, final_notices=(AS_OF - dt.timedelta(days=29),))) == [
        "final_notice_recent"
    ]


def test_no_final_notice_is_not_eligible():
    assert codes(replace(GOOD, final_notices=())) == ["no_final_notice"]


def test_a_final_notice_before_the_oldest_open_bill_does_not_count():
    facts = replace(GOOD, final_notices=(d(2025, 12, 1),))
    assert codes(facts) == ["no_final_notice"]


def test_a_final_notice_after_the_as_of_date_does_not_count():
    assert codes(replace(GOOD, final_notices=(d(2026, 6, 2),))) == ["no_final_notice"]


def test_the_earliest_final_notice_since_the_first_statement_counts():
    facts = replace(GOOD, final_notices=(d(2026, 5, 20), d(2026, 4, 1)))
    reasons, notice, _ = check_account(facts, RULES, AS_OF)
    assert reasons == () and notice == d(2026, 4, 1)


def test_policy_final_notice_days_are_used():
    facts = replace(GOOD, final_notices=(AS_OF - dt.timedelta(days=40),))
    assert codes(facts, replace(RULES, final_notice_days=45)) == ["final_notice_recent"]


# 4. plans and status


def test_an_active_payment_plan_blocks_collections():
    (reason,) = check_account(replace(GOOD, active_plans=("PP7",)), RULES, AS_OF)[0]
    assert (reason.code, reason.message) == ("active_plan", "Payment plan PP7 is active.")


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("Payment plan", "status_payment_plan"),
        ("Closed", "status_closed"),
        ("Collections", "status_collections"),
    ],
)
def test_a_member_with_a_blocking_account_status_blocks_collections(status, code):
    facts = replace(GOOD, statuses={"G1": "Active", "K1": status})
    (reason,) = check_account(facts, RULES, AS_OF)[0]
    assert reason.code == code and "K1" in reason.message


def test_blank_status_counts_as_active():
    assert codes(replace(GOOD, statuses={"G1": None})) == []


# 5. assistance


def test_a_pending_assistance_application_blocks_collections():
    (reason,) = check_account(replace(GOOD, assistance_applied=("G1",)), RULES, AS_OF)[0]
    assert reason.code == "assistance_pending"


def test_every_failed_rule_is_reported():
    facts = replace(
        GOOD,
        balance=100,
        first_statement=d(2026, 5, 1),
        final_notices=(),
        active_plans=("PP1",),
        statuses={"G1": "Payment plan"},
        assistance_applied=("G1",),
    )
    assert codes(facts) == [
        "under_minimum",
        "too_recent",
        "no_final_notice",
        "active_plan",
        "status_payment_plan",
        "assistance_pending",
    ]


# 6. 501(r) for nonprofit hospitals


def test_501r_worked_example_earliest_eca_is_the_later_of_the_two_dates():
    # first statement 2026-01-15 (+120 = 05-15), final notice 2026-05-01 (+30 = 05-31)
    facts = replace(GOOD, final_notices=(d(2026, 5, 1),))
    reasons, _, earliest = check_account(facts, NONPROFIT, d(2026, 5, 31))
    assert reasons == () and earliest == d(2026, 5, 31)
    assert "501r_too_early" in codes(facts, NONPROFIT, d(2026, 5, 30))


def test_501r_aggregated_bills_wait_120_days_from_the_most_recent_cares_first_statement():
    facts = replace(GOOD, newest_statement=d(2026, 4, 1))  # final notice 04-15
    assert codes(facts, RULES) == []  # a for-profit practice may place it now
    reasons, _, earliest = check_account(facts, NONPROFIT, AS_OF)
    assert [r.code for r in reasons] == ["501r_too_early"]
    assert earliest == d(2026, 7, 30)
    assert "2026-07-30" in reasons[0].message
    assert codes(facts, NONPROFIT, d(2026, 7, 30)) == []
    assert codes(facts, NONPROFIT, d(2026, 7, 29)) == ["501r_too_early"]


def test_501r_needs_a_final_notice_after_the_most_recent_cares_first_statement():
    facts = replace(GOOD, newest_statement=d(2026, 4, 20))  # final notice 04-15 is before it
    assert codes(facts, RULES) == []
    assert codes(facts, NONPROFIT, d(2026, 12, 1)) == ["501r_no_final_notice"]


def test_501r_never_shortens_the_statutory_periods():
    rules = replace(NONPROFIT, collections_days=90, final_notice_days=10)
    facts = replace(GOOD, final_notices=(d(2026, 3, 1),))
    # 95 days after the first statement: the Policy's 90 days have passed, 501(r)'s 120 not
    assert codes(facts, replace(rules, nonprofit=False), d(2026, 4, 20)) == []
    reasons, _, earliest = check_account(facts, rules, d(2026, 4, 20))
    assert [r.code for r in reasons] == ["501r_too_early"] and earliest == d(2026, 5, 15)


def test_501r_open_items_never_billed_block_collections():
    facts = replace(GOOD, unbilled=2500)
    assert codes(facts, RULES) == []
    assert codes(facts, NONPROFIT) == ["501r_unbilled"]


def test_501r_clock_is_not_checked_for_other_practices():
    facts = replace(GOOD, newest_statement=d(2026, 5, 30), unbilled=100)
    assert check_account(facts, RULES, AS_OF)[2] is None


# --- Policy ------------------------------------------------------------------------------------


def test_rules_are_read_from_the_policy():
    rules = CollectionsRules.from_policy(
        {
            "collections_minimum": "75.50",
            "collections_days": 150,
            "final_notice_days": 45,
            "nonprofit_hospital": True,
        }
    )
    assert rules == CollectionsRules(7550, 150, 45, True)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("collections_minimum", "-1"),
        ("collections_minimum", "12.345"),
        ("collections_days", -5),
        ("final_notice_days", 2.5),
        ("collections_days", "soon"),
    ],
)
def test_bad_policy_values_are_refused_with_the_setting_named(name, value):
    with pytest.raises(PaxlError, match=name):
        CollectionsRules.from_policy({name: value})


# --- a workbook --------------------------------------------------------------------------------


def patient(pid, **extra):
    row = {
        "PatientID": pid,
        "LastName": "Kent",
        "FirstName": "Clark",
        "DOB": d(1980, 1, 1),
        "Address1": "1 Main St",
        "City": "Smallville",
        "State": "KS",
        "ZIP": "66002",
        "AccountStatus": "Active",
    }
    row.update(extra)
    return row


def charge(cid, pid, amount="100.00"):
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": d(2026, 1, 5),
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


def billed_account(gid, *, amount="100.00", dependant=None, **patient_extra):
    people = [patient(gid, **patient_extra)]
    owner = gid
    if dependant:
        people.append(patient(dependant, Guarantor=gid))
        owner = dependant
    return {
        "Patients": people,
        "Charges": [charge(f"C-{gid}", owner, amount)],
        "Statements": [
            statement(f"S-{gid}-1", gid, d(2026, 1, 15)),
            statement(f"S-{gid}-2", gid, d(2026, 4, 15), final=True),
        ],
    }


def merge(*parts, **extra):
    records: dict[str, list] = {}
    for part in (*parts, extra):
        for name, rows in part.items():
            records.setdefault(name, []).extend(rows)
    return records


def test_review_of_a_workbook_splits_eligible_and_not_with_status_changes():
    records = merge(
        billed_account("G1", dependant="K1"),
        billed_account("G2", amount="20.00"),
        billed_account("G3", AssistanceStatus="Applied"),
        billed_account("G4", AccountStatus="Collections"),
    )
    review = review_collections(book_from_records(records), AS_OF)
    assert [x.account for x in review.eligible] == ["G1"]
    (placed,) = review.eligible
    assert placed.facts.patients == ("K1",)
    assert placed.facts.first_statement == d(2026, 1, 15)
    assert placed.final_notice == d(2026, 4, 15) and placed.days_past == 137
    changes = [(c.patient_id, c.sheet, c.row, c.old, c.new) for c in placed.status_changes]
    assert changes == [
        ("G1", "Patients", 2, "Active", "Collections"),
        ("K1", "Patients", 3, "Active", "Collections"),
    ]
    reasons = {x.account: [r.code for r in x.reasons] for x in review.ineligible}
    assert reasons == {
        "G2": ["under_minimum"],
        "G3": ["assistance_pending"],
        "G4": ["status_collections"],
    }
    assert all(x.status_changes == () for x in review.ineligible)


def test_review_finds_active_plans_of_a_dependant():
    plan = {
        "PlanNo": "PP1",
        "PatientID": "K1",
        "Created": d(2026, 5, 1),
        "Balance": "100.00",
        "Installment": "50.00",
        "Count": 2,
        "FirstDue": d(2026, 6, 1),
        "Status": "Active",
    }
    records = merge(billed_account("G1", dependant="K1"), PaymentPlans=[plan])
    (decision,) = review_collections(book_from_records(records), AS_OF).ineligible
    assert [r.code for r in decision.reasons] == ["active_plan"]


def test_review_of_a_nonprofit_hospital_applies_the_501r_dates():
    records = billed_account("G1")  # first statement 01-15, final notice 04-15
    later = charge("C-later", "G1", "60.00")
    later["ServiceDate"] = d(2026, 3, 1)
    records["Charges"].append(later)
    records["Statements"].append(statement("S-G1-3", "G1", d(2026, 3, 5)))  # bills it first
    for_profit = book_from_records(records)
    assert [x.account for x in review_collections(for_profit, d(2026, 7, 2)).eligible] == ["G1"]
    book = book_from_records(records, policy={"nonprofit_hospital": True})
    (early,) = review_collections(book, d(2026, 7, 2)).ineligible
    assert [r.code for r in early.reasons] == ["501r_too_early"]
    assert early.facts.newest_statement == d(2026, 3, 5)
    assert early.earliest_eca == d(2026, 7, 3)  # 03-05 + 120 days
    (placed,) = review_collections(book, d(2026, 7, 3)).eligible
    assert placed.earliest_eca == d(2026, 7, 3)


def test_accounts_with_nothing_due_are_not_reviewed():
    records = billed_account("G1")
    records["Payments"] = [
        {
            "PaymentID": "X1",
            "Date": d(2026, 5, 1),
            "PatientID": "G1",
            "Payer": "Patient",
            "Kind": "Payment",
            "Method": "Card",
            "Amount": "100.00",
        }
    ]
    review = review_collections(book_from_records(records), AS_OF)
    assert review.eligible == () and review.ineligible == ()
