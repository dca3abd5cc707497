import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.benefits import (
    BenefitUsage,
    PlanTerms,
    code_matches,
    parse_code_list,
    plans_from_frame,
    split_by_benefit_year,
    starting_accumulators,
)
from addin.core.cob import COBMethod
from addin.core.cost_share import Accumulators, CostLine
from addin.errors import PaxlError
from addin.workbook.frames import typed_frame

D = Decimal
PLAN = PlanTerms("GOLD", deductible=D("1000"), oop_max=D("3000"), coinsurance=D("0.2"))


def test_accumulators_left_are_plan_limits_minus_what_was_used_this_year():
    usage = BenefitUsage(2026, deductible_met=D("400"), oop_used=D("900"))
    assert starting_accumulators(PLAN, usage, 2026) == Accumulators(D("600"), D("2100"))


def test_usage_above_the_limits_leaves_zero_not_negative():
    usage = BenefitUsage(2026, deductible_met=D("1500"), oop_used=D("3500"))
    assert starting_accumulators(PLAN, usage, 2026) == Accumulators(D("0"), D("0"))


def test_a_new_benefit_year_starts_from_zero_used():
    usage = BenefitUsage(2025, deductible_met=D("1000"), oop_used=D("3000"))
    assert starting_accumulators(PLAN, usage, 2026) == Accumulators(D("1000"), D("3000"))


def test_plan_without_out_of_pocket_maximum_has_no_cap():
    plan = PlanTerms("BASIC", deductible=D("500"))
    assert starting_accumulators(plan, BenefitUsage(), 2026).oop_left is None


def test_lines_across_new_year_reset_the_accumulators_line_by_line():
    usage = BenefitUsage(2025, deductible_met=D("900"), oop_used=D("900"))
    lines = [
        CostLine(D("500"), D("500"), coinsurance=D("0.2"), service_date=dt.date(2026, 1, 3)),
        CostLine(D("300"), D("300"), coinsurance=D("0.2"), service_date=dt.date(2025, 12, 20)),
        CostLine(D("200"), D("200"), coinsurance=D("0.2"), service_date=dt.date(2025, 12, 28)),
    ]
    january, december, late_december = split_by_benefit_year(lines, PLAN, usage)
    assert december.before == Accumulators(D("100"), D("2100"))
    assert december.deductible == D("100")
    assert late_december.before.deductible_left == D("0")
    assert january.before == Accumulators(D("1000"), D("3000"))
    assert january.deductible == D("500")


def test_blank_benefit_year_belongs_to_the_first_lines_year():
    usage = BenefitUsage(None, deductible_met=D("1000"), oop_used=D("1000"))
    lines = [
        CostLine(D("100"), D("100"), coinsurance=D("0.2"), service_date=dt.date(2026, 5, 1)),
        CostLine(D("100"), D("100"), coinsurance=D("0.2"), service_date=dt.date(2027, 1, 2)),
    ]
    this_year, next_year = split_by_benefit_year(lines, PLAN, usage)
    assert this_year.deductible == D("0")
    assert next_year.deductible == D("100")


def test_code_lists_take_codes_and_prefixes_case_insensitively():
    entries = parse_code_list(" 97110, j*, 0 ,")
    assert entries == ("97110", "J", "0")
    assert code_matches("J1100", entries) == "J"
    assert code_matches("0591T", entries) == "0"
    assert code_matches("97110", entries) == "97110"
    assert code_matches("99213", entries) is None


def test_copay_by_fee_copay_type():
    plan = PlanTerms("P", copay_office=D("25"), copay_specialist=D("50"), copay_er=D("250"))
    assert plan.copay_for("Office") == D("25")
    assert plan.copay_for("specialist") == D("50")
    assert plan.copay_for("ER") == D("250")
    assert plan.copay_for("None") == D("0")
    assert plan.copay_for(None) == D("0")


def test_plans_frame_becomes_plan_terms_with_blanks_as_zero():
    frame = typed_frame(
        "Plans",
        [
            {
                "PlanID": "GOLD",
                "Payer": "Acme Health",
                "PlanType": "Commercial",
                "Deductible": 1000,
                "OOPMax": 4000,
                "Coinsurance": "20%",
                "CopayOffice": 25,
                "COBMethod": "non_duplication",
                "NotCovered": "97110, J",
                "PriorAuth": "70551",
            },
            {"PlanID": "CASH", "Payer": "Self", "PlanType": "Self-pay"},
        ],
    )
    plans = plans_from_frame(frame)
    gold = plans["GOLD"]
    assert gold.deductible == D("1000.00")
    assert gold.oop_max == D("4000.00")
    assert gold.coinsurance == D("0.2")
    assert gold.copay_specialist == D("0")
    assert gold.cob_method is COBMethod.NON_DUPLICATION
    assert not gold.covers("J3490")
    assert gold.needs_prior_auth("70551")
    assert gold.row == 2
    assert plans["CASH"].is_self_pay
    assert plans["CASH"].oop_max is None


def test_plan_coinsurance_above_100_percent_is_refused_naming_row_and_column():
    frame = typed_frame(
        "Plans", [{"PlanID": "BAD", "Payer": "X", "PlanType": "Other", "Coinsurance": 20}]
    )
    with pytest.raises(PaxlError, match="Plans row 2, Coinsurance"):
        plans_from_frame(frame)


def test_unknown_cob_method_is_refused_naming_row_and_column():
    frame = typed_frame(
        "Plans", [{"PlanID": "BAD", "Payer": "X", "PlanType": "Other", "COBMethod": "carve"}]
    )
    with pytest.raises(PaxlError, match="Plans row 2, COBMethod"):
        plans_from_frame(frame)


money = st.integers(0, 500_000).map(lambda c: Decimal(c) / 100)


@given(
    st.lists(
        st.tuples(money, st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31))),
        min_size=1,
        max_size=10,
    ),
    money,
    money,
    st.sampled_from([None, 2025, 2026, 2027]),
)
def test_accumulators_never_go_negative_across_years(items, met, used, year):
    lines = [CostLine(a, a, coinsurance=D("0.3"), service_date=day) for a, day in items]
    splits = split_by_benefit_year(lines, PLAN, BenefitUsage(year, met, used))
    for split in splits:
        assert split.after.deductible_left >= 0
        assert split.after.oop_left >= 0
        assert split.patient <= split.before.oop_left
        assert split.contractual + split.patient + split.plan == split.billed
    per_year: dict[int, Decimal] = {}
    for line, split in zip(lines, splits, strict=True):
        per_year[line.service_date.year] = per_year.get(line.service_date.year, D(0)) + (
            split.patient
        )
    assert all(total <= PLAN.oop_max for total in per_year.values())
