import datetime as dt
from decimal import Decimal

from addin.core.benefits import PlanTerms, plans_from_frame
from addin.core.pricing import CONTRACT, NO_CONTRACT, NOT_COVERED, Pricing, Service, price_services
from tests.core.insurance_fixture import book

D = Decimal
DAY = dt.date(2026, 3, 10)


def _setup():
    b = book()
    return plans_from_frame(b["Plans"]), Pricing.from_frames(b["Fees"], b["Allowed"])


def test_fees_and_contract_rates_are_read_from_their_frames():
    _, pricing = _setup()
    fee = pricing.fee("99213")
    assert (fee.charge, fee.copay_type, fee.deductible_applies) == (D("150.00"), "Office", False)
    assert pricing.fee("j1100").deductible_applies is True  # blank = applies
    assert pricing.contract_rate("GOLD", "80053") == D("40.00")
    assert pricing.contract_rate("BRONZE", "70551") is None


def test_allowed_is_the_contract_rate_times_units_or_the_charge_without_a_contract():
    plans, pricing = _setup()
    services = [
        Service("80053", D("120"), units=2, service_date=DAY),
        Service("70551", D("1200"), service_date=DAY),
    ]
    lab, mri = price_services(plans["BRONZE"], services, pricing)
    assert (lab.line.allowed, lab.allowed_source) == (D("76.00"), CONTRACT)
    assert (mri.line.allowed, mri.allowed_source) == (D("1200"), NO_CONTRACT)


def test_copay_is_charged_once_per_visit_and_copay_type():
    plans, pricing = _setup()
    services = [
        Service("99213", D("150"), service_date=DAY, key="a"),
        Service("99213", D("150"), service_date=DAY, key="b"),
        Service("99213", D("150"), service_date=DAY + dt.timedelta(days=1), key="c"),
        Service("80053", D("60"), service_date=DAY, key="d"),
    ]
    priced = price_services(plans["GOLD"], services, pricing)
    assert [p.line.copay for p in priced] == [D("25"), D("0"), D("25"), D("0")]
    assert [p.line.deductible_applies for p in priced] == [False, False, False, True]
    assert [p.line.key for p in priced] == ["a", "b", "c", "d"]


def test_code_on_the_not_covered_list_is_not_covered_and_takes_no_copay():
    _, pricing = _setup()
    plan = PlanTerms("X", copay_office=D("25"), not_covered=("992",))
    (visit,) = price_services(plan, [Service("99213", D("150"), service_date=DAY)], pricing)
    assert not visit.line.covered
    assert visit.line.copay == D("0")
    assert visit.allowed_source == NOT_COVERED
