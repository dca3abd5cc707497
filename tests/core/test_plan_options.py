import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.amortize import amortize
from addin.core.plan_options import PlanPolicy, parse_terms, plan_options
from addin.core.plans import equal_installments
from addin.core.schedule import PlanError
from addin.workbook.book import default_policy

D = Decimal
DEFAULT = PlanPolicy.from_policy(default_policy())


def keys(result):
    return [o.key for o in result.options]


def test_default_policy_reads_as_the_schema_defaults():
    assert PlanPolicy() == DEFAULT


@pytest.mark.parametrize(
    ("cell", "terms"), [("3,6,12", (3, 6, 12)), ("12; 6, 6", (6, 12)), (12, (12,)), (None, ())]
)
def test_plan_terms_cell_is_read_as_sorted_months(cell, terms):
    assert parse_terms(cell) == terms


@pytest.mark.parametrize("cell", ["3,six", "0", "2.5"])
def test_bad_plan_terms_name_the_policy_cell(cell):
    with pytest.raises(PlanError, match="Policy plan_terms"):
        parse_terms(cell)


def test_bad_policy_rate_names_the_cell():
    with pytest.raises(PlanError, match="Policy plan_apr"):
        PlanPolicy.from_policy({**default_policy(), "plan_apr": D("8")})


def test_options_are_full_then_terms_then_income_plan():
    result = plan_options(D("4500"), DEFAULT, monthly_income=D("2500"))
    assert keys(result) == ["full", "equal-3", "equal-6", "equal-12", "income"]
    income = result.option("income")
    assert (income.installment, income.count, income.forgiven) == (D("100.00"), 36, D("900.00"))
    assert income.total_paid == D("3600.00")
    assert result.income_cap == D("100.00")


def test_no_affordable_standard_term_recommends_the_income_plan():
    result = plan_options(D("4500"), DEFAULT, monthly_income=D("2500"))
    assert result.recommended == "income"


def test_shortest_term_within_the_income_cap_is_recommended():
    result = plan_options(D("1200"), DEFAULT, monthly_income=D("2500"))
    # 3 × 400 and 6 × 200 exceed the $100 cap; 12 × 100 fits.
    assert result.recommended == "equal-12"
    assert result.recommended_option.installment == D("100.00")


def test_a_balance_within_the_cap_recommends_paying_in_full():
    assert plan_options(D("80"), DEFAULT, monthly_income=D("2500")).recommended == "full"


def test_unknown_income_recommends_the_lowest_standard_installment():
    result = plan_options(D("1200"), DEFAULT)
    assert "income" not in keys(result)
    assert result.income_cap is None
    assert result.recommended == "equal-12"
    assert "income unknown" in result.reason


def test_terms_below_the_minimum_installment_are_left_off_with_a_note():
    result = plan_options(D("120"), DEFAULT)
    assert keys(result) == ["full", "equal-3"]
    assert any("6 monthly payments not offered" in n for n in result.notes)
    assert result.recommended == "equal-3"


def test_only_the_final_installment_may_be_below_the_minimum():
    policy = PlanPolicy(terms=(4,), minimum_installment=D("25.00"))
    assert "equal-4" in keys(plan_options(D("99.99"), policy))  # 25, 25, 25, 24.99
    assert "equal-4" not in keys(plan_options(D("99.98"), policy))  # 25, 25, 24.99, 24.99


def test_small_balance_with_no_term_recommends_paying_in_full():
    result = plan_options(D("30"), DEFAULT)
    assert keys(result) == ["full"]
    assert result.recommended == "full"


def test_prompt_pay_discount_is_rounded_half_up():
    policy = PlanPolicy(prompt_pay_discount=D("0.05"))
    full = plan_options(D("100.10"), policy).option("full")
    assert full.discount == D("5.01")  # 5.005 → 5.01
    assert full.total_paid == D("95.09")
    assert "5% prompt-pay discount" in full.label


def test_professional_bills_use_the_professional_cap():
    result = plan_options(D("1230"), DEFAULT, monthly_income=D("2500"), biller_type="Professional")
    income = result.option("income")
    assert (income.installment, income.count, income.final_payment) == (D("50.00"), 25, D("30.00"))
    assert income.forgiven == D("0.00")


def test_unknown_biller_type_is_refused():
    with pytest.raises(PlanError, match="Hospital or Professional"):
        plan_options(D("100"), DEFAULT, biller_type="Clinic")


def test_zero_income_offers_no_income_plan_and_says_why():
    result = plan_options(D("1200"), DEFAULT, monthly_income=D("0"))
    assert "income" not in keys(result)
    assert any("no income-based plan is possible" in n for n in result.notes)
    assert result.recommended == "equal-12"


def test_blank_income_cap_offers_no_income_plan():
    policy = PlanPolicy(income_cap_professional=None)
    result = plan_options(D("1200"), policy, monthly_income=D("2500"), biller_type="Professional")
    assert "income" not in keys(result)
    assert any("income_cap_professional" in n for n in result.notes)


def test_with_an_apr_standard_terms_are_amortized():
    policy = PlanPolicy(apr=D("0.08"), terms=(12,))
    result = plan_options(D("1000"), policy, first_due=dt.date(2026, 1, 31))
    option = result.option("interest-12")
    assert option.rule == "Interest"
    assert (option.installment, option.final_payment) == (D("86.99"), D("86.97"))
    assert option.interest == D("43.86")
    assert option.amortization[-1].remaining == 0
    assert option.schedule[1].due_date == dt.date(2026, 2, 28)
    assert "8% APR" in option.label


def test_zero_or_negative_balances_get_no_options():
    with pytest.raises(PlanError, match="nothing"):
        plan_options(D("0"), DEFAULT)


@given(
    st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100),
    st.one_of(st.none(), st.integers(min_value=0, max_value=1_500_000).map(lambda c: D(c) / 100)),
    st.sampled_from(["Hospital", "Professional"]),
    st.sampled_from([D("0"), D("0.0599")]),
    st.sampled_from([D("0"), D("0.03")]),
)
def test_every_option_accounts_for_the_whole_balance(balance, income, biller, apr, discount):
    policy = PlanPolicy(apr=apr, prompt_pay_discount=discount)
    result = plan_options(balance, policy, monthly_income=income, biller_type=biller)
    assert result.recommended in keys(result)
    for option in result.options:
        paid = sum(i.amount for i in option.schedule)
        assert paid == option.total_paid
        assert option.total_paid + option.forgiven + option.discount == balance + option.interest
        assert option.count == len(option.schedule)
        assert option.final_payment == option.schedule[-1].amount
        if option.rule in ("Equal", "Interest"):
            assert all(i.amount >= policy.minimum_installment for i in option.schedule[:-1])
        if option.rule == "Income":
            assert all(i.amount <= result.income_cap for i in option.schedule)


@given(
    st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100),
    st.sampled_from([D("0"), D("0.0599")]),
    st.sampled_from([D("0"), D("25.00"), D("10.005")]),
)
def test_a_term_is_offered_exactly_when_its_full_schedule_meets_the_minimum(balance, apr, minimum):
    policy = PlanPolicy(apr=apr, minimum_installment=minimum, terms=(1, 2, 3, 6, 12, 24))
    offered = {o.count for o in plan_options(balance, policy).options if o.rule != "Full"}
    for term in policy.terms:
        try:
            if apr:
                schedule = amortize(balance, apr, term).installments
            else:
                schedule = equal_installments(balance, term)
        except PlanError:
            assert term not in offered
            continue
        meets = all(i.amount >= minimum for i in schedule[:-1])
        assert (term in offered) == meets, term
