from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core.cost_share import Accumulators, CostLine, CostShareError, split_lines
from addin.core.cost_share_column import split_column
from addin.core.money import from_cents

D = Decimal
PIECES = ("contractual", "copay", "deductible", "coinsurance", "patient", "plan")


def rows(split):
    return [list(r) for r in zip(*(getattr(split, p).tolist() for p in PIECES), strict=True)]


def by_lines(allowed, billed, copay, rates, applies, deductible_left, oop_left):
    """What split_lines gives for the same lines, in cents."""
    lines = [
        CostLine(
            billed=from_cents(b),
            allowed=from_cents(a),
            copay=from_cents(c),
            coinsurance=r,
            deductible_applies=f,
        )
        for a, b, c, r, f in zip(allowed, billed, copay, rates, applies, strict=True)
    ]
    start = Accumulators(
        from_cents(deductible_left), None if oop_left is None else from_cents(oop_left)
    )
    return [[int(getattr(s, p) * 100) for p in PIECES] for s in split_lines(lines, start)]


def test_worked_example_deductible_then_coinsurance():
    split = split_column(
        [80000], billed=[120000], coinsurance=D("0.2"), deductible_left=50000, oop_left=350000
    )
    assert rows(split) == [[40000, 0, 50000, 6000, 56000, 24000]]


def test_deductible_carries_down_the_column_and_skips_lines_it_does_not_apply_to():
    split = split_column(
        [30000, 20000, 40000],
        coinsurance=D("0.2"),
        deductible_applies=[True, False, True],
        deductible_left=35000,
    )
    assert split.deductible.tolist() == [30000, 0, 5000]
    assert split.coinsurance.tolist() == [0, 4000, 7000]


def test_out_of_pocket_reached_mid_column_then_later_lines_cost_the_patient_nothing():
    split = split_column(
        [100000, 40000, 5000],
        copay=[0, 3000, 500],
        coinsurance=D("0.5"),
        deductible_left=10000,
        oop_left=30000,
    )
    assert split.patient.tolist() == [30000, 0, 0]
    assert (split.deductible[0], split.coinsurance[0]) == (10000, 20000)
    assert split.plan.tolist() == [70000, 40000, 5000]


def test_cap_cuts_coinsurance_first_then_deductible_then_copay():
    split = split_column(
        [50000], copay=[5000], coinsurance=D("0.2"), deductible_left=20000, oop_left=4000
    )
    assert rows(split) == [[0, 4000, 0, 0, 4000, 46000]]


def test_coinsurance_is_rounded_half_up_to_the_cent():
    split = split_column([1005, 9999, 1], coinsurance=[D("0.5"), D("0.2"), D("0.5")])
    assert split.coinsurance.tolist() == [503, 2000, 1]


def test_copay_is_capped_at_allowed_and_allowed_at_billed():
    split = split_column(
        [3000, 12000], billed=[10000, 10000], copay=[4000, 0], coinsurance=D("0.2")
    )
    assert rows(split) == [[7000, 3000, 0, 0, 3000, 0], [0, 0, 0, 2000, 2000, 8000]]


def test_an_empty_column_gives_empty_arrays():
    assert len(split_column([], coinsurance=[])) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"allowed": [100, -5]}, "allowed of line 2 is -0.05"),
        ({"billed": [-1, 0]}, "billed of line 1 is -0.01"),
        ({"copay": [1.5, 2]}, "copay: give whole numbers of cents"),
        ({"coinsurance": D("1.5")}, "coinsurance is 1.5; enter the patient's share"),
        ({"coinsurance": [D("0.2")]}, "coinsurance has 1 lines, allowed has 2"),
        ({"deductible_left": -100}, "deductible left is -1.00"),
        ({"oop_left": 10**30}, "too large to be an amount of money"),
    ],
)
def test_bad_inputs_are_refused_with_a_message_naming_them(kwargs, message):
    arguments = {"allowed": [100, 200], "coinsurance": D("0.2"), **kwargs}
    with pytest.raises(CostShareError, match=message):
        split_column(**arguments)


def test_amounts_beyond_int64_are_worked_in_python_integers():
    allowed = [10**20, 3 * 10**19]
    split = split_column(allowed, coinsurance=D("0.15"), deductible_left=10**19, oop_left=10**20)
    assert split.plan.dtype == object
    assert rows(split) == by_lines(
        allowed, allowed, [0, 0], [D("0.15")] * 2, [True] * 2, 10**19, 10**20
    )


def test_rates_beyond_the_decimal_precision_round_as_split_lines_does():
    # 0.00499999...9 (29 digits) rounds to 0.005 at 28 digits, so split_lines charges a cent
    rate = D("0.49999999999999999999999999999")
    split = split_column([1], coinsurance=rate)
    assert split.coinsurance.tolist() == by_lines([1], [1], [0], [rate], [True], 0, None)[0][3:4]
    assert split.coinsurance.tolist() == [1]


# --- equal to split_lines for the lines PA_SPLIT gives --------------------------------------------

amounts = st.one_of(st.just(0), st.integers(1, 500), st.integers(0, 500_000), st.integers(0, 10**9))
rates = st.one_of(
    st.sampled_from([D(0), D(1), D("0.2"), D("0.15"), D("0.125"), D("0.005")]),
    st.integers(0, 6).flatmap(lambda k: st.integers(0, 10**k).map(lambda n: D(n).scaleb(-k))),
)


@st.composite
def columns(draw, max_lines=12):
    count = draw(st.integers(0, max_lines))
    allowed = draw(st.lists(amounts, min_size=count, max_size=count))
    billed = [draw(st.one_of(st.just(a), amounts)) for a in allowed]  # allowed > billed too
    copay = [draw(st.one_of(st.just(0), amounts, st.just(a + 1))) for a in allowed]
    one_rate = draw(st.booleans())
    rate = draw(rates)
    line_rates = (
        [rate] * count if one_rate else draw(st.lists(rates, min_size=count, max_size=count))
    )
    applies = draw(
        st.one_of(st.just([True] * count), st.lists(st.booleans(), min_size=count, max_size=count))
    )
    deductible_left = draw(amounts)
    uncapped = by_lines(allowed, billed, copay, line_rates, applies, deductible_left, None)
    totals = np.cumsum([0] + [r[4] for r in uncapped]).tolist()
    reached_at = draw(st.sampled_from(totals))
    oop_left = draw(
        st.one_of(
            st.none(),
            amounts,
            st.just(reached_at),  # reached exactly at the end of a line (or 0 at the start)
            st.just(reached_at + 1),  # a cent more: reached inside the next line with a share
            st.just(max(reached_at - 1, 0)),  # a cent less: reached inside that line
            st.just(totals[-1] + 100),  # never reached
        )
    )
    return {
        "allowed": allowed,
        "billed": billed,
        "copay": copay,
        "rates": line_rates,
        "one_rate": one_rate,
        "applies": applies,
        "deductible_left": deductible_left,
        "oop_left": oop_left,
    }


def column_split(c):
    return split_column(
        c["allowed"],
        billed=c["billed"],
        copay=c["copay"],
        coinsurance=c["rates"][0] if c["one_rate"] and c["rates"] else c["rates"],
        deductible_applies=c["applies"],
        deductible_left=c["deductible_left"],
        oop_left=c["oop_left"],
    )


@settings(max_examples=400, deadline=None)
@given(columns())
def test_the_column_split_equals_split_lines_line_for_line(c):
    expected = by_lines(
        c["allowed"],
        c["billed"],
        c["copay"],
        c["rates"],
        c["applies"],
        c["deductible_left"],
        c["oop_left"],
    )
    assert rows(column_split(c)) == expected


@settings(max_examples=200, deadline=None)
@given(columns())
def test_every_line_sums_to_billed(c):
    split = column_split(c)
    for billed, (contractual, copay, deductible, coinsurance, patient, plan) in zip(
        c["billed"], rows(split), strict=True
    ):
        assert contractual + patient + plan == billed
        assert patient == copay + deductible + coinsurance
        assert min(contractual, copay, deductible, coinsurance, plan) >= 0
    if c["oop_left"] is not None:
        assert int(split.patient.sum()) <= c["oop_left"]


huge = st.one_of(st.integers(10**15, 10**22), amounts)
many_places = st.integers(10, 30).flatmap(
    lambda k: st.integers(10 ** (k - 3), 10**k).map(lambda n: D(n).scaleb(-k))
)


@settings(max_examples=150, deadline=None)
@given(
    allowed=st.lists(huge, min_size=1, max_size=5),
    rate=st.one_of(rates, many_places),
    deductible_left=huge,
    oop_left=st.none() | huge,
)
def test_huge_amounts_and_long_rates_still_equal_split_lines(
    allowed, rate, deductible_left, oop_left
):
    split = split_column(
        allowed, coinsurance=rate, deductible_left=deductible_left, oop_left=oop_left
    )
    count = len(allowed)
    expected = by_lines(
        allowed, allowed, [0] * count, [rate] * count, [True] * count, deductible_left, oop_left
    )
    assert rows(split) == expected
