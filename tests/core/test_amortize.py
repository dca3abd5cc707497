import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from addin.core.amortize import amortize, level_payment, periodic_rate
from addin.core.schedule import PlanError

D = Decimal


def annuity(principal: Decimal, apr: Decimal, n: int) -> Decimal:
    """The unrounded annuity payment, computed independently at high precision."""
    from decimal import localcontext

    with localcontext() as ctx:
        ctx.prec = 50
        r = apr / 12
        return principal * r / (1 - 1 / (1 + r) ** n)


def test_level_payment_of_a_known_loan():
    # $1,000 at 8% over 12 months: the textbook payment is $86.99.
    assert level_payment(D("1000"), D("0.08"), 12) == D("86.99")


def test_last_payment_absorbs_the_rounding_and_the_plan_ends_at_zero():
    plan = amortize(D("1000"), D("0.08"), 12)
    assert [r.payment for r in plan.rows[:-1]] == [D("86.99")] * 11
    assert plan.final_payment == D("86.97")
    assert plan.rows[-1].remaining == D("0.00")
    assert plan.total_interest == D("43.86")
    assert plan.total_paid == D("1043.86")


def test_interest_is_rounded_half_up_each_period():
    # 0.5% a month on 1,001.00 is 5.005 → 5.01 (half-up), not 5.00 (banker's rounding).
    plan = amortize(D("1001"), D("0.06"), 6)
    assert plan.rows[0].interest == D("5.01")


def test_each_row_splits_the_payment_into_interest_and_principal():
    plan = amortize(D("2500"), D("0.12"), 24, first_due=dt.date(2026, 1, 31))
    remaining = D("2500")
    for row in plan.rows:
        assert row.payment == row.interest + row.principal
        remaining -= row.principal
        assert row.remaining == remaining
    assert plan.rows[1].due_date == dt.date(2026, 2, 28)


def test_quarterly_payments_use_a_quarter_of_the_apr():
    assert periodic_rate(D("0.12"), 3) == D("0.03")


@pytest.mark.parametrize("apr", [D("0"), D("-0.01"), D("1.5")])
def test_interest_plans_need_an_apr_above_zero_and_below_100_percent(apr):
    with pytest.raises(PlanError, match="APR"):
        amortize(D("1000"), apr, 12)


def test_a_balance_too_small_for_the_count_is_refused_rather_than_overpaid():
    with pytest.raises(PlanError, match="too small"):
        amortize(D("0.05"), D("0.10"), 12)


@given(
    st.integers(min_value=2_500, max_value=5_000_000).map(lambda c: Decimal(c) / 100),
    st.integers(min_value=1, max_value=3_000).map(lambda bp: Decimal(bp) / 10_000),
    st.integers(min_value=1, max_value=60),
)
@example(Decimal("25"), Decimal("0.2999"), 59)  # small payments at a high rate: drift compounds
def test_amortization_ends_at_exactly_zero_and_agrees_with_the_annuity_formula(principal, apr, n):
    plan = amortize(principal, apr, n)
    exact = annuity(principal, apr, n)
    assert plan.rows[-1].remaining == 0
    assert all(r.remaining >= 0 and r.payment > 0 for r in plan.rows)
    assert sum(r.principal for r in plan.rows) == principal
    assert plan.total_paid == principal + plan.total_interest
    for row in plan.rows[:-1]:
        assert abs(row.payment - exact) <= D("0.005")
    # the last payment absorbs the rounding: at most a cent per period (payment and interest
    # each half-up), and each period's cent grows with interest until the end
    rate = apr / 12
    growth = sum((1 + rate) ** k for k in range(n))
    drift = D("0.01") * growth
    assert abs(plan.final_payment - exact) <= drift
    assert abs(plan.total_paid - exact * n) <= drift + D("0.005") * (n - 1)
