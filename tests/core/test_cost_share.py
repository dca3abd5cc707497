import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.cost_share import (
    Accumulators,
    CostLine,
    CostShareError,
    split_line,
    split_lines,
)

D = Decimal


def test_worked_example_deductible_then_coinsurance():
    split = split_line(
        D("1200"), D("800"), deductible_left=D("500"), oop_left=D("3500"), coinsurance=D("0.2")
    )
    assert split.contractual == D("400.00")
    assert split.deductible == D("500.00")
    assert split.coinsurance == D("60.00")
    assert split.patient == D("560.00")
    assert split.plan == D("240.00")
    assert split.after == Accumulators(D("0"), D("2940"))
    assert [(a.label, a.amount) for a in split.adjustments] == [
        ("CO-45", D("400.00")),
        ("PR-1", D("500.00")),
        ("PR-2", D("60.00")),
    ]


def test_worked_example_out_of_pocket_cap_cuts_coinsurance():
    split = split_line(
        D("20000"), D("20000"), deductible_left=D("1300"), oop_left=D("4400"), coinsurance=D("0.2")
    )
    assert split.deductible == D("1300.00")
    assert split.coinsurance == D("3100.00")
    assert split.patient == D("4400.00")
    assert split.plan == D("15600.00")
    assert split.oop_cut == D("640.00")
    assert split.after.oop_left == D("0.00")


def test_copay_is_capped_at_allowed_amount():
    split = split_line(D("100"), D("30"), copay=D("40"), deductible_left=D("500"))
    assert split.copay == D("30.00")
    assert split.deductible == D("0.00")
    assert split.plan == D("0.00")
    assert split.contractual == D("70.00")
    assert split.after.deductible_left == D("500.00")


def test_copay_is_not_subject_to_deductible_and_does_not_count_toward_it_by_default():
    split = split_line(
        D("200"), D("150"), copay=D("25"), deductible_left=D("100"), coinsurance=D("0.2")
    )
    assert (split.copay, split.deductible, split.coinsurance) == (D("25"), D("100"), D("5.00"))
    assert split.after.deductible_left == D("0")


def test_copay_counts_toward_deductible_when_the_plan_says_so():
    split = split_line(
        D("200"),
        D("150"),
        copay=D("25"),
        deductible_left=D("100"),
        coinsurance=D("0.2"),
        copay_applies_to_deductible=True,
    )
    assert (split.copay, split.deductible, split.coinsurance) == (D("25"), D("75"), D("10.00"))
    assert split.after.deductible_left == D("0")


def test_deductible_not_applying_leaves_it_untouched():
    split = split_line(
        D("100"), D("80"), deductible_left=D("500"), coinsurance=D("0.2"), deductible_applies=False
    )
    assert split.deductible == D("0")
    assert split.coinsurance == D("16.00")
    assert split.after.deductible_left == D("500.00")


def test_deductible_spans_several_lines_in_service_date_order():
    lines = [
        CostLine(D("300"), D("200"), coinsurance=D("0.2"), service_date=dt.date(2026, 3, 1)),
        CostLine(D("500"), D("400"), coinsurance=D("0.2"), service_date=dt.date(2026, 1, 5)),
        CostLine(D("300"), D("200"), coinsurance=D("0.2"), service_date=dt.date(2026, 2, 1)),
    ]
    splits = split_lines(lines, Accumulators(D("700"), D("5000")))
    # worked in date order: Jan (400 ded), Feb (200 ded), Mar (100 ded + 20 coins)
    assert [s.deductible for s in splits] == [D("100"), D("400"), D("200")]
    assert splits[0].coinsurance == D("20.00")
    assert splits[0].after.deductible_left == D("0")
    assert [s.before.deductible_left for s in splits] == [D("100"), D("700"), D("300")]


def test_out_of_pocket_reached_mid_line_then_later_lines_cost_the_patient_nothing():
    lines = [
        CostLine(D("1000"), D("1000"), coinsurance=D("0.5"), key="A"),
        CostLine(D("400"), D("400"), copay=D("30"), coinsurance=D("0.5"), key="B"),
    ]
    first, second = split_lines(lines, Accumulators(D("100"), D("300")))
    assert first.patient == D("300.00")  # 100 deductible + 450 coinsurance, capped at 300
    assert (first.deductible, first.coinsurance) == (D("100"), D("200.00"))
    assert first.after.oop_left == D("0")
    assert second.patient == D("0")
    assert second.plan == D("400.00")
    assert second.key == "B"


def test_cap_cuts_coinsurance_first_then_deductible_then_copay():
    split = split_line(
        D("500"),
        D("500"),
        copay=D("50"),
        deductible_left=D("200"),
        oop_left=D("40"),
        coinsurance=D("0.2"),
    )
    assert (split.copay, split.deductible, split.coinsurance) == (D("40"), D("0"), D("0"))
    assert split.plan == D("460")


def test_zero_allowed_denied_line_is_all_contractual():
    split = split_line(D("250"), D("0"), copay=D("25"), deductible_left=D("100"), oop_left=D("50"))
    assert split.contractual == D("250")
    assert split.patient == D("0")
    assert split.plan == D("0")
    assert split.after == split.before


def test_coinsurance_is_rounded_half_up_to_the_cent():
    assert split_line(D("99.99"), D("99.99"), coinsurance=D("0.2")).coinsurance == D("20.00")
    assert split_line(D("10.05"), D("10.05"), coinsurance=D("0.5")).coinsurance == D("5.03")


def test_allowed_above_billed_is_reduced_to_billed():
    split = split_line(D("100"), D("120"), coinsurance=D("0.2"))
    assert split.allowed == D("100")
    assert split.contractual == D("0")
    assert split.allowed_reduced
    assert split.plan == D("80.00")


def test_not_covered_line_is_the_patients_and_moves_no_accumulator():
    split = split_line(D("90"), D("60"), deductible_left=D("100"), oop_left=D("50"), covered=False)
    assert split.not_covered == D("90")
    assert split.patient == D("90")
    assert split.plan == D("0")
    assert split.after == split.before
    assert [a.label for a in split.adjustments] == ["PR-96"]


def test_no_out_of_pocket_maximum_means_no_cap():
    split = split_line(D("10000"), D("10000"), coinsurance=D("0.3"))
    assert split.patient == D("3000.00")
    assert split.after.oop_left is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"billed": D("-1"), "allowed": D("0")}, "billed is -1.00"),
        ({"billed": D("10"), "allowed": D("-5")}, "allowed is -5.00"),
        ({"billed": D("10"), "allowed": D("5"), "coinsurance": D("20")}, "from 0 to 1"),
        ({"billed": D("10"), "allowed": D("5"), "copay": D("1.234")}, "fractions of a cent"),
        ({"billed": D("10"), "allowed": D("5"), "deductible_left": D("-1")}, "deductible left"),
        ({"billed": D("10"), "allowed": D("5"), "oop_left": "abc"}, "out-of-pocket left"),
    ],
)
def test_bad_inputs_are_refused_with_a_message_naming_them(kwargs, message):
    billed, allowed = kwargs.pop("billed"), kwargs.pop("allowed")
    with pytest.raises(CostShareError, match=message):
        split_line(billed, allowed, **kwargs)


def test_cost_share_error_is_a_value_error():
    with pytest.raises(ValueError):
        split_line(D("-1"), D("0"))


cents = st.integers(min_value=0, max_value=5_000_000).map(lambda c: Decimal(c) / 100)
rates = st.integers(min_value=0, max_value=100).map(lambda p: Decimal(p) / 100)
optional_cents = st.none() | cents


@st.composite
def lines(draw):
    billed = draw(cents)
    allowed = draw(st.one_of(cents, st.just(billed)))
    return CostLine(
        billed=billed,
        allowed=allowed,
        copay=draw(st.integers(0, 10_000).map(lambda c: Decimal(c) / 100)),
        coinsurance=draw(rates),
        deductible_applies=draw(st.booleans()),
        copay_applies_to_deductible=draw(st.booleans()),
        covered=draw(st.booleans() | st.just(True)),
        service_date=draw(st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
    )


@given(st.lists(lines(), max_size=8), cents, optional_cents)
def test_every_line_sums_to_billed_and_never_exceeds_out_of_pocket_left(items, ded, oop):
    splits = split_lines(items, Accumulators(ded, oop))
    assert len(splits) == len(items)
    for split in splits:
        assert split.contractual + split.patient + split.plan == split.billed
        for amount in (split.contractual, split.copay, split.deductible, split.coinsurance):
            assert amount >= 0
        assert split.plan >= 0
        assert split.after.deductible_left >= 0
        if split.before.oop_left is not None:
            covered_share = split.patient - split.not_covered
            assert covered_share <= split.before.oop_left
            assert split.after.oop_left >= 0
            assert split.after.oop_left == split.before.oop_left - covered_share


@given(st.lists(lines(), min_size=1, max_size=8), cents, cents)
def test_accumulators_carry_from_line_to_line_in_date_order(items, ded, oop):
    splits = split_lines(items, Accumulators(ded, oop))
    order = sorted(
        range(len(items)),
        key=lambda i: (items[i].service_date is None, items[i].service_date or dt.date.min),
    )
    worked = [splits[i] for i in order]
    assert worked[0].before == Accumulators(ded, oop)
    for earlier, later in itertools.pairwise(worked):
        assert later.before == earlier.after
    total_patient = sum((s.patient - s.not_covered for s in splits), Decimal(0))
    assert total_patient <= oop
