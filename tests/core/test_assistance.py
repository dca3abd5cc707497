from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.assistance import (
    AssistanceError,
    Guideline,
    Tier,
    annual_income,
    guidelines_from_frame,
    poverty_guideline,
    screen,
    tiers_from_frame,
)
from addin.workbook.book import default_policy_tables
from addin.workbook.frames import typed_frame
from addin.workbook.schema import POLICY_TABLES_BY_NAME, Table

D = Decimal
TABLES = default_policy_tables()
GUIDELINES = guidelines_from_frame(TABLES["PovertyGuidelines"])
TIERS = tiers_from_frame(TABLES["AssistanceTiers"])


def policy_frame(name, records):
    pt = POLICY_TABLES_BY_NAME[name]
    return typed_frame(Table(name, pt.columns), records, sheet="Policy", first_row=40)


def test_default_guidelines_for_2025_and_2026():
    assert poverty_guideline(1, 2025, GUIDELINES) == D("15650.00")
    assert poverty_guideline(4, 2025, GUIDELINES) == D("32150.00")
    assert poverty_guideline(4, 2026, GUIDELINES) == D("33000.00")


def test_household_of_four_in_2025_is_just_above_200_percent():
    result = screen(D("65000"), 4, 2025, GUIDELINES, TIERS)
    assert result.percent == D("202.18")
    assert result.discount == D("0.75")
    assert result.tier == Tier(D("3.00"), D("0.75"))


def test_same_household_in_2026_is_under_200_percent():
    result = screen(D("65000"), 4, 2026, GUIDELINES, TIERS)
    assert result.percent == D("196.97")
    assert result.discount == D("1.00")


def test_exactly_200_percent_is_in_the_200_percent_tier():
    result = screen(D("122800"), 9, 2026, GUIDELINES, TIERS)
    assert result.guideline == D("61400.00")
    assert result.ratio == 2
    assert result.percent == D("200.00")
    assert result.discount == D("1.00")


def test_one_cent_over_a_boundary_falls_to_the_next_tier_even_when_it_displays_as_200():
    result = screen(D("122800.01"), 9, 2026, GUIDELINES, TIERS)
    assert result.percent == D("200.00")  # display rounds ...
    assert result.discount == D("0.75")  # ... the comparison does not


def test_above_every_tier_gets_no_discount():
    result = screen(D("200000"), 1, 2026, GUIDELINES, TIERS)
    assert result.tier is None
    assert result.discount == 0


def test_discounted_balance_rounds_the_discount_half_up():
    result = screen(D("65000"), 4, 2025, GUIDELINES, TIERS, balance=D("100.02"))
    assert result.discount_amount == D("75.02")  # 75.015 → 75.02
    assert result.discounted_balance == D("25.00")


def test_unknown_year_names_the_policy_table_to_extend():
    with pytest.raises(AssistanceError, match="PovertyGuidelines") as info:
        screen(D("50000"), 3, 2027, GUIDELINES, TIERS)
    assert "2027" in str(info.value)
    assert "2025, 2026" in str(info.value)


def test_more_years_come_from_the_policy_table():
    frame = policy_frame(
        "PovertyGuidelines", [{"Year": 2027, "Base": "16000", "PerExtraPerson": "5800"}]
    )
    assert poverty_guideline(3, 2027, guidelines_from_frame(frame)) == D("27600.00")


def test_tiers_from_the_policy_table_are_sorted_and_state_rates_work():
    frame = policy_frame(
        "AssistanceTiers",
        [{"MaxPercent": "4.00", "Discount": "0.25"}, {"MaxPercent": "2.50", "Discount": "1"}],
    )
    tiers = tiers_from_frame(frame)
    assert [t.max_percent for t in tiers] == [D("2.50"), D("4.00")]
    assert screen(D("82500"), 4, 2026, GUIDELINES, tiers).discount == D("1")  # exactly 250%


def test_blank_cells_in_policy_tables_name_the_row_and_column():
    frame = policy_frame("AssistanceTiers", [{"MaxPercent": "2.00", "Discount": None}])
    with pytest.raises(AssistanceError, match="AssistanceTiers, row 40, column Discount"):
        tiers_from_frame(frame)


def test_duplicate_years_are_refused():
    row = {"Year": 2026, "Base": "15960", "PerExtraPerson": "5680"}
    with pytest.raises(AssistanceError, match="twice"):
        guidelines_from_frame(policy_frame("PovertyGuidelines", [row, row]))


@pytest.mark.parametrize(("income", "size"), [(D("-1"), 2), (D("1000"), 0)])
def test_negative_income_and_empty_households_are_refused(income, size):
    with pytest.raises(AssistanceError):
        screen(income, size, 2026, GUIDELINES, TIERS)


def test_annual_income_is_twelve_monthly_incomes():
    assert annual_income(D("5416.67")) == D("65000.04")


@given(
    st.integers(min_value=0, max_value=100_000_000).map(lambda c: Decimal(c) / 100),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=1_000_000).map(lambda c: Decimal(c) / 100),
)
def test_screening_picks_the_lowest_tier_the_income_fits_and_splits_the_balance(
    income, size, balance
):
    result = screen(income, size, 2026, GUIDELINES, TIERS, balance=balance)
    fitting = [t for t in TIERS if income <= t.max_percent * result.guideline]
    assert result.tier == (fitting[0] if fitting else None)
    assert result.discount_amount + result.discounted_balance == balance
    assert 0 <= result.discounted_balance <= balance


def test_guideline_record_adds_per_extra_person():
    assert Guideline(2030, D("100"), D("10")).for_household(3) == D("120")
