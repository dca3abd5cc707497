import pytest

from addin.errors import PaxlError
from udfs import pa_assistance, pa_fpg, pa_fpl_percent

TIERS = [["MaxPercent", "Discount"], [2.0, 1.0], [3.0, 0.75], [3.5, 0.5], [4.0, 0.25]]


def test_fpg_is_base_plus_per_extra_person():
    assert pa_fpg(4, 2025) == 32150.0
    assert pa_fpg(1, 2026) == 15960.0


@pytest.mark.parametrize("sizes", [[1, 2, 3], [[1], [2], [3]]])
def test_fpg_works_a_column_of_households(sizes):
    assert pa_fpg(sizes, 2026) == [[15960.0], [21640.0], [27320.0]]


def test_fpg_spills_across_for_a_row():
    assert pa_fpg([[1, 2]], 2026) == [[15960.0, 21640.0]]


def test_fpg_unknown_year_says_which_table_to_extend():
    with pytest.raises(PaxlError, match=r"PA_FPG: no poverty guideline for 2030 .*2025, 2026"):
        pa_fpg(4, 2030)


def test_fpg_reads_a_guidelines_table_with_a_new_year():
    table = [["Year", "Base", "PerExtraPerson"], [2027, 16500, 5800]]
    assert pa_fpg(2, 2027, table) == 22300.0


def test_fpg_refuses_a_year_listed_twice():
    with pytest.raises(PaxlError, match="guidelines lists the year 2027 twice"):
        pa_fpg(2, 2027, [[2027, 16500, 5800], [2027, 16600, 5800]])


def test_fpl_percent_worked_examples():
    assert pa_fpl_percent(65000, 4, 2025) == 202.18
    assert pa_fpl_percent(65000, 4, 2026) == 196.97
    assert pa_fpl_percent(122800, 9, 2026) == 200.0


def test_fpl_percent_column_with_blank_rows_left_blank():
    assert pa_fpl_percent([[65000], [None]], [[4], [None]], 2025) == [[202.18], [None]]


def test_fpl_percent_a_bad_household_shows_in_its_row():
    rows = pa_fpl_percent([[65000], [65000]], [[4], [0]], 2025)
    assert rows[0] == [202.18]
    assert rows[1][0] == "Error: household_size, row 2 is 0; enter 1 or more"


def test_assistance_worked_examples_and_exact_tier_boundary():
    assert pa_assistance(65000, 4, 2025, TIERS) == 0.75
    assert pa_assistance(65000, 4, 2026, TIERS) == 1.0
    assert pa_assistance(122800, 9, 2026, TIERS) == 1.0  # exactly 200.00%


def test_assistance_above_every_tier_is_no_discount():
    assert pa_assistance(500000, 1, 2026, TIERS) == 0.0


def test_assistance_column_of_incomes():
    assert pa_assistance([[20000], [65000], [None]], 4, 2025, TIERS[1:]) == [
        [1.0],
        [0.75],
        [None],
    ]


def test_assistance_takes_percent_text_in_the_tiers():
    assert pa_assistance(65000, 4, 2025, [["200%", "100%"], ["300%", "75%"]]) == 0.75


def test_assistance_refuses_a_discount_above_one():
    with pytest.raises(PaxlError, match=r"tiers, row 2: .*discount from 0 to 1"):
        pa_assistance(65000, 4, 2025, [[2.0, 1.0], [3.0, 75]])
