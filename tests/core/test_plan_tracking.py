import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from addin.core.plan_tracking import PlanState, track_plan, track_plans
from addin.workbook.frames import typed_frame

D = Decimal
ZERO = Decimal("0")
DAY = dt.date


def plan(**overrides):
    row = {
        "PlanNo": "PL1",
        "PatientID": "P1",
        "Created": "2026-01-05",
        "Balance": "1000.00",
        "Installment": "333.34",
        "Count": 3,
        "FirstDue": "2026-01-31",
        "Rule": "Equal",
        "Status": "Active",
    }
    row.update(overrides)
    return row


_ids = itertools.count(1)


def pay(date, amount, *, patient="P1", kind="Payment", payer="Patient"):
    return {
        "PaymentID": f"X{next(_ids)}",
        "Date": date,
        "PatientID": patient,
        "Payer": payer,
        "Kind": kind,
        "Method": "Card",
        "Amount": amount,
    }


def track(plans, payments, as_of, missed_to_default=3, apr=ZERO):
    result, findings = track_plans(
        typed_frame("PaymentPlans", plans),
        typed_frame("Payments", payments),
        as_of=as_of,
        missed_to_default=missed_to_default,
        apr=apr,
    )
    return result, findings


def one(plans, payments, as_of, **kw):
    result, findings = track(plans, payments, as_of, **kw)
    assert findings == []
    assert len(result) == 1
    return result[0]


def test_plan_paid_on_time_is_on_track_with_the_next_installment_due():
    t = one([plan()], [pay("2026-01-30", "333.34")], DAY(2026, 2, 10))
    assert t.status is PlanState.ON_TRACK
    assert (t.paid, t.installments_due, t.installments_covered, t.missed) == (D("333.34"), 1, 1, 0)
    assert t.next_due == DAY(2026, 2, 28)
    assert t.next_amount == D("333.33")
    assert t.remaining == D("666.66")
    assert t.past_due == D("0.00")


def test_missed_installments_are_due_minus_covered_and_partial_payments_do_not_cover():
    t = one([plan()], [pay("2026-01-30", "333.34"), pay("2026-03-01", "100")], DAY(2026, 3, 31))
    assert (t.installments_due, t.installments_covered, t.missed) == (3, 1, 2)
    assert t.status is PlanState.BEHIND
    assert t.next_due == DAY(2026, 2, 28)
    assert t.next_amount == D("233.33")
    assert t.past_due == D("566.66")


def test_plan_defaults_after_the_policy_number_of_missed_installments():
    t = one([plan()], [], DAY(2026, 3, 31), missed_to_default=3)
    assert t.missed == 3
    assert t.status is PlanState.DEFAULTED
    assert one([plan()], [], DAY(2026, 3, 31), missed_to_default=4).status is PlanState.BEHIND


def test_plan_paid_in_full_is_completed_even_before_the_last_due_date():
    t = one([plan()], [pay("2026-01-10", "1000")], DAY(2026, 1, 15))
    assert t.status is PlanState.COMPLETED
    assert t.next_due is None and t.next_amount is None
    assert t.remaining == D("0.00")


def test_refunds_and_insurer_payments_and_other_patients_do_not_count():
    payments = [
        pay("2026-01-30", "333.34"),
        pay("2026-02-01", "50", kind="Refund"),
        pay("2026-02-01", "900", payer="BCBS1"),
        pay("2026-02-01", "900", patient="P2"),
    ]
    t = one([plan()], payments, DAY(2026, 2, 10))
    assert t.paid == D("283.34")
    assert t.installments_covered == 0
    assert t.missed == 1
    assert t.status is PlanState.BEHIND


def test_payments_before_created_or_after_as_of_do_not_count():
    payments = [pay("2026-01-04", "333.34"), pay("2026-02-11", "333.34")]
    assert one([plan()], payments, DAY(2026, 2, 10)).paid == D("0.00")


def test_a_newer_plan_takes_over_the_payments_from_its_created_date():
    plans = [
        plan(Status="Cancelled"),
        plan(
            PlanNo="PL2",
            Created="2026-03-01",
            FirstDue="2026-03-15",
            Balance="600",
            Installment="200",
        ),
    ]
    payments = [pay("2026-01-30", "333.34"), pay("2026-03-10", "200")]
    (old, new), findings = track(plans, payments, DAY(2026, 3, 20))
    assert findings == []
    assert old.paid == D("333.34") and old.status is PlanState.CANCELLED
    assert old.next_due is None
    assert new.paid == D("200.00") and new.status is PlanState.ON_TRACK


def test_income_plan_total_is_balance_less_forgiven():
    row = plan(Balance="4500", Installment="100", Count=36, Rule="Income", Forgiven="900")
    t = one([row], [pay("2026-01-31", "100")], DAY(2026, 2, 1))
    assert t.total == D("3600.00")
    assert t.forgiven == D("900.00")
    assert t.remaining == D("3500.00")
    assert t.status is PlanState.ON_TRACK


def test_income_plan_final_installment_is_the_rest():
    row = plan(Balance="1230", Installment="50", Count=25, Rule="Income")
    payments = [pay("2026-01-31", "1200")]
    t = one([row], payments, DAY(2026, 2, 1))
    assert t.installments_covered == 24
    assert t.next_amount == D("30.00")
    assert t.next_due == DAY(2028, 1, 31)


def test_interest_plan_follows_the_amortization_at_the_policy_apr():
    row = plan(Rule="Interest", Installment="86.99", Count=12, Balance="1000")
    t = one([row], [pay("2026-01-31", "86.99")], DAY(2026, 2, 1), apr=D("0.08"))
    assert t.total == D("1043.86")
    assert t.remaining == D("956.87")


def test_interest_plan_with_a_mismatched_installment_is_a_finding():
    row = plan(Rule="Interest", Installment="80", Count=12, Balance="1000")
    result, findings = track([row], [], DAY(2026, 2, 1), apr=D("0.08"))
    assert result == ()
    assert [(f.sheet, f.row, f.column, f.ids) for f in findings] == [
        ("PaymentPlans", 2, "Installment", ("PL1",))
    ]


def test_impossible_plan_row_becomes_a_finding_and_others_are_still_tracked():
    rows = [plan(Installment="600"), plan(PlanNo="PL2", PatientID="P2")]
    result, findings = track(rows, [], DAY(2026, 1, 1))
    assert [t.plan_no for t in result] == ["PL2"]
    assert findings[0].row == 2 and findings[0].column == "Installment"
    assert "1000" not in findings[0].message  # no balances in messages


def test_equal_plan_with_a_rounded_down_installment_puts_the_extra_on_the_last():
    t = one([plan(Installment="333.33")], [pay("2026-01-31", "666.66")], DAY(2026, 2, 28))
    assert t.installments_covered == 2
    assert t.next_amount == D("333.34")
    assert t.status is PlanState.ON_TRACK


SIX_MONTHS = typed_frame("PaymentPlans", [plan(Count=6, Installment="166.67")]).to_dict("records")[
    0
]


@given(st.integers(min_value=-5_000, max_value=150_000), st.integers(min_value=0, max_value=400))
def test_tracking_counts_are_consistent(paid_cents, days):
    as_of = DAY(2026, 1, 5) + dt.timedelta(days)
    t = track_plan(SIX_MONTHS, paid_cents, as_of=as_of, missed_to_default=3)
    assert 0 <= t.installments_covered <= t.count
    assert t.missed == max(0, t.installments_due - t.installments_covered)
    assert t.remaining == max(D(0), t.total - t.paid)
    assert (t.status is PlanState.COMPLETED) == (t.paid >= t.total)
    assert (t.next_due is None) == (t.status is PlanState.COMPLETED)
    assert t.past_due <= t.remaining
    if t.next_amount is not None:
        assert 0 < t.next_amount <= D("166.67")


def test_no_plans_track_to_nothing():
    assert track([], [pay("2026-01-30", "10")], DAY(2026, 2, 1)) == ((), [])


def test_refunds_beyond_the_plan_payments_do_not_raise_what_the_plan_asks():
    t = one([plan()], [pay("2026-01-20", "50", kind="Refund")], DAY(2026, 1, 25))
    assert t.paid == D("0.00")
    assert t.next_amount == D("333.34")
