from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.money import (
    MoneyError,
    allocate,
    allocate_by_weights,
    allocate_cents,
    floor_cents,
    from_cents,
    round_half_up,
    to_cents,
    to_decimal,
    to_money,
)


def test_float_enters_through_its_shortest_text_not_its_binary_value():
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_money(1234.5) == Decimal("1234.50")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234.50", "1234.50"), ("$12", "12"), ("(45.00)", "-45.00"), ("20%", "0.2"), (" 7 ", "7")],
)
def test_text_amounts_as_reps_type_them(text, expected):
    assert to_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("bad", ["", "abc", None, True, float("nan"), float("inf"), [1]])
def test_values_that_are_not_numbers_are_refused(bad):
    with pytest.raises(MoneyError):
        to_decimal(bad)


def test_input_amounts_with_fractions_of_a_cent_are_refused_not_rounded():
    with pytest.raises(MoneyError, match="fractions of a cent"):
        to_money(12.345)


def test_cents_round_trip():
    assert to_cents("12.34") == 1234
    assert from_cents(1234) == Decimal("12.34")
    assert from_cents(-5) == Decimal("-0.05")


def test_named_rounding_modes():
    assert round_half_up(Decimal("19.998")) == Decimal("20.00")
    assert round_half_up(Decimal("0.005")) == Decimal("0.01")
    assert floor_cents(Decimal("93.8268")) == Decimal("93.82")


def test_split_gives_extra_cents_to_the_earliest_parts():
    assert allocate(Decimal("1000.00"), 3) == [
        Decimal("333.34"),
        Decimal("333.33"),
        Decimal("333.33"),
    ]
    assert allocate(Decimal("0.05"), 3) == [Decimal("0.02"), Decimal("0.02"), Decimal("0.01")]


def test_split_into_zero_parts_is_refused():
    with pytest.raises(ValueError, match="parts"):
        allocate_cents(100, 0)


@given(st.integers(min_value=-(10**10), max_value=10**10), st.integers(min_value=1, max_value=500))
def test_split_parts_sum_to_the_whole_and_differ_by_at_most_a_cent(total, parts):
    result = allocate_cents(total, parts)
    assert sum(result) == total
    assert len(result) == parts
    assert max(result) - min(result) <= 1
    assert result == sorted(result, key=abs, reverse=True)


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20).filter(any),
)
def test_weighted_split_sums_to_the_whole(total_cents, weights):
    parts = allocate_by_weights(from_cents(total_cents), [Decimal(w) for w in weights])
    assert sum(parts) == from_cents(total_cents)
    for part, weight in zip(parts, weights, strict=True):
        if weight == 0:
            assert part == 0


def test_amounts_too_large_for_cents_are_refused_with_a_sentence():
    with pytest.raises(MoneyError, match="too large"):
        to_money(1e30)
