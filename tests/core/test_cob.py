from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.cob import COBMethod, cob_method, secondary_payment
from addin.core.cost_share import CostShareError

D = Decimal


def test_standard_cob_pays_what_the_primary_left_unpaid_up_to_its_benefit():
    result = secondary_payment(
        allowable=D("800"), primary_paid=D("480"), secondary_benefit=D("720"), method="standard"
    )
    assert result.secondary_paid == D("320.00")
    assert result.unpaid == D("320.00")
    assert result.patient_remaining == D("0.00")


def test_non_duplication_pays_its_benefit_minus_what_the_primary_paid():
    result = secondary_payment(
        allowable=D("800"),
        primary_paid=D("480"),
        secondary_benefit=D("720"),
        method=COBMethod.NON_DUPLICATION,
    )
    assert result.secondary_paid == D("240.00")
    assert result.patient_remaining == D("80.00")


def test_non_duplication_pays_nothing_when_the_primary_paid_more_than_its_benefit():
    result = secondary_payment(
        allowable=D("800"),
        primary_paid=D("640"),
        secondary_benefit=D("600"),
        method="non_duplication",
    )
    assert result.secondary_paid == D("0")
    assert result.patient_remaining == D("160")


def test_standard_cob_pays_only_its_own_benefit_when_that_is_smaller():
    result = secondary_payment(
        allowable=D("800"), primary_paid=D("0"), secondary_benefit=D("300"), method="standard"
    )
    assert result.secondary_paid == D("300")
    assert result.patient_remaining == D("500")


@pytest.mark.parametrize(
    ("text", "method"),
    [
        (None, COBMethod.STANDARD),
        ("", COBMethod.STANDARD),
        ("Standard", COBMethod.STANDARD),
        ("non-duplication", COBMethod.NON_DUPLICATION),
        ("Non duplication", COBMethod.NON_DUPLICATION),
    ],
)
def test_cob_method_reads_what_reps_type(text, method):
    assert cob_method(text) is method


def test_unknown_cob_method_is_refused_listing_the_choices():
    with pytest.raises(CostShareError, match="standard or non_duplication"):
        cob_method("carve-out")


def test_primary_paying_more_than_the_allowable_is_refused():
    with pytest.raises(CostShareError, match="more than the allowable"):
        secondary_payment(allowable=D("100"), primary_paid=D("120"), secondary_benefit=D("50"))


money = st.integers(0, 1_000_000).map(lambda c: Decimal(c) / 100)


@given(money, money, money, st.sampled_from(list(COBMethod)))
def test_secondary_never_pays_more_than_the_primary_left_unpaid(a, b, benefit, method):
    allowable, primary = max(a, b), min(a, b)
    result = secondary_payment(
        allowable=allowable, primary_paid=primary, secondary_benefit=benefit, method=method
    )
    assert 0 <= result.secondary_paid <= allowable - primary
    assert result.secondary_paid <= benefit
    assert result.primary_paid + result.secondary_paid + result.patient_remaining == allowable
    if method is COBMethod.NON_DUPLICATION:
        standard = secondary_payment(
            allowable=allowable, primary_paid=primary, secondary_benefit=benefit
        )
        assert result.secondary_paid <= standard.secondary_paid
