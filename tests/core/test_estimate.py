import datetime as dt
from decimal import Decimal

import pytest

from addin.core.benefits import plans_from_frame
from addin.core.estimate import (
    SELF_PAY_SOURCE,
    compare_plans,
    compare_plans_for_patient,
    estimate_for_patient,
    exceeds_good_faith_estimate,
    good_faith_excess,
)
from addin.core.pricing import CONTRACT, NO_CONTRACT, NOT_COVERED, Pricing
from addin.errors import PaxlError
from tests.core.insurance_fixture import RECORDS, book

D = Decimal
VISIT = dt.date(2026, 3, 10)


def _fields(line):
    return (
        line.billed,
        line.allowed,
        line.contractual,
        line.copay,
        line.deductible,
        line.coinsurance,
        line.plan,
        line.secondary,
        line.patient,
    )


def test_estimate_splits_each_line_and_the_secondary_pays_what_the_primary_left():
    estimate = estimate_for_patient(book().tables, "P1", ["99213", "80053"], VISIT)
    visit, lab = estimate.lines
    # GOLD: allowed 100, copay 25, no deductible on office visits, 20% of 75 = 15 → plan 60;
    # SILVER as if alone: allowed 110, copay 40, 30% of 70 = 21 → benefit 49; standard COB pays
    # min(49, 40 left) = 40.
    assert _fields(visit) == tuple(
        D(x) for x in ("150", "100", "50", "25", "0", "15", "60", "40", "0")
    )
    # GOLD: allowed 40 all deductible; SILVER's own benefit is 0 (its deductible) → pays 0.
    assert _fields(lab) == tuple(D(x) for x in ("60", "40", "20", "0", "40", "0", "0", "0", "40"))
    assert (estimate.plan_id, estimate.secondary_plan_id) == ("GOLD", "SILVER")
    assert estimate.patient_total == D("40")
    assert estimate.before.deductible_left == D("800")
    assert estimate.after.deductible_left == D("760")
    assert estimate.after.oop_left == D("3620")
    assert visit.allowed_source == CONTRACT
    assert visit.description == "Office visit"
    assert not estimate.self_pay and estimate.good_faith_total is None


def test_non_duplication_secondary_pays_only_beyond_what_the_primary_paid():
    plans = [dict(r) for r in RECORDS["Plans"]]
    plans[1]["COBMethod"] = "non_duplication"
    estimate = estimate_for_patient(book(Plans=plans).tables, "P1", ["99213"], VISIT)
    assert estimate.lines[0].secondary == D("0")  # 49 − 60 < 0
    assert estimate.patient_total == D("40")


def test_not_covered_code_is_the_patients_and_prior_auth_code_is_estimated_normally():
    estimate = estimate_for_patient(book().tables, "P2", ["70551", "97110"], dt.date(2026, 3, 12))
    mri, therapy = estimate.lines
    assert (mri.deductible, mri.plan, mri.patient) == (D("800"), D("0"), D("800"))
    assert (therapy.not_covered, therapy.patient, therapy.allowed_source) == (
        D("90"),
        D("90"),
        NOT_COVERED,
    )
    assert estimate.notes == ("not_verified:GOLD",)


def test_self_pay_patient_gets_a_good_faith_estimate_of_the_full_charges():
    estimate = estimate_for_patient(book().tables, "P3", ["99213", "80053"], VISIT)
    assert estimate.self_pay
    assert estimate.good_faith_total == D("210.00")
    assert [line.allowed_source for line in estimate.lines] == [SELF_PAY_SOURCE] * 2
    assert estimate.notes == ("self_pay",)


def test_coverage_ended_before_the_date_means_self_pay():
    estimate = estimate_for_patient(book().tables, "P4", ["99213"], dt.date(2026, 3, 15))
    assert estimate.self_pay
    assert estimate.patient_total == D("150.00")


def test_line_without_a_contract_rate_uses_the_charge_and_says_so():
    coverage = [dict(r) for r in RECORDS["Coverage"]]
    coverage[0]["PlanID"] = "BRONZE"
    estimate = estimate_for_patient(book(Coverage=coverage).tables, "P1", ["70551"], VISIT)
    line = estimate.lines[0]
    assert (line.allowed, line.allowed_source) == (D("1200.00"), NO_CONTRACT)


@pytest.mark.parametrize(
    ("patient", "codes", "message"),
    [
        ("P9", ["99213"], "PatientID P9 is not on the Patients sheet"),
        ("P1", ["12345"], "code 12345 is not on the Fees sheet"),
        ("P1", [], "no service codes"),
    ],
)
def test_bad_requests_are_refused_with_what_to_fix(patient, codes, message):
    with pytest.raises(PaxlError, match=message):
        estimate_for_patient(book().tables, patient, codes, VISIT)


def test_plan_comparison_is_sorted_by_patient_cost_and_leaves_out_self_pay():
    b = book()
    options = compare_plans(
        ["99213", "80053"],
        service_date=VISIT,
        pricing=Pricing.from_frames(b["Fees"], b["Allowed"]),
        plans=plans_from_frame(b["Plans"]),
    )
    # BRONZE: 40% of 95 + 38 deductible; GOLD: 25 + 15 + 40; SILVER: 40 + 21 + 45
    assert [(o.plan_id, o.patient_total) for o in options] == [
        ("BRONZE", D("76.00")),
        ("GOLD", D("80.00")),
        ("SILVER", D("106.00")),
    ]
    assert options[1].before.deductible_left == D("1000")
    for option in options:
        for line in option.lines:
            assert line.contractual + line.patient + line.plan == line.billed


def test_plan_comparison_with_the_patients_own_usage_for_plans_they_hold():
    coverage = [dict(r) for r in RECORDS["Coverage"]]
    coverage[0]["DeductibleMet"] = 1000
    tables = book(Coverage=coverage).tables
    fresh = compare_plans_for_patient(tables, "P1", ["99213", "80053"], VISIT)
    own = compare_plans_for_patient(tables, "P1", ["99213", "80053"], VISIT, own_usage=True)
    assert {o.plan_id: o.patient_total for o in fresh}["GOLD"] == D("80.00")
    # deductible met: the lab is 20% of 40 = 8
    assert next((o.plan_id, o.patient_total) for o in own) == ("GOLD", D("48.00"))


@pytest.mark.parametrize(
    ("billed", "estimate", "flag"),
    [("610.00", "210.00", True), ("609.99", "210.00", False), ("100", "210", False)],
)
def test_bill_exceeding_the_good_faith_estimate_by_400_or_more_is_flagged(billed, estimate, flag):
    assert exceeds_good_faith_estimate(D(billed), D(estimate)) is flag


def test_good_faith_excess_is_never_negative():
    assert good_faith_excess(D("100"), D("210")) == D("0")
    assert good_faith_excess(D("700.50"), D("210")) == D("490.50")
