from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.errors import PaxlError
from udfs import pa_cob, pa_split

WORKED = [400.0, 0.0, 500.0, 60.0, 560.0, 240.0]


def test_split_worked_example_deductible_then_coinsurance():
    assert pa_split(800, 0.2, 500, 3500, billed=1200) == [WORKED]


@pytest.mark.parametrize("allowed", [[800, 400], [[800], [400]], [[800, 400]]])
def test_split_works_a_column_carrying_deductible_and_out_of_pocket(allowed):
    # line 1 uses the whole 500 deductible; line 2 has none left: 20% of 400
    assert pa_split(allowed, 0.2, 500, 3500) == [
        [0.0, 0.0, 500.0, 60.0, 560.0, 240.0],
        [0.0, 0.0, 0.0, 80.0, 80.0, 320.0],
    ]


def test_split_caps_the_patient_at_the_out_of_pocket_left_across_lines():
    rows = pa_split([[1000], [1000]], 0.5, 0, 700)
    assert [r[4] for r in rows] == [500.0, 200.0]
    assert [r[5] for r in rows] == [500.0, 800.0]


def test_split_takes_per_line_copay_billed_and_deductible_flag():
    rows = pa_split([[100], [200]], 0.2, 50, None, [[20], [0]], [[150], [None]], [[True], [False]])
    assert rows == [
        [50.0, 20.0, 50.0, 6.0, 76.0, 24.0],
        [0.0, 0.0, 0.0, 40.0, 40.0, 160.0],
    ]


def test_split_blank_out_of_pocket_means_no_maximum_and_blank_deductible_zero():
    assert pa_split(10000, 0.2, None, None) == [[0.0, 0.0, 0.0, 2000.0, 2000.0, 8000.0]]


def test_split_leaves_blank_lines_blank_without_moving_the_accumulators():
    rows = pa_split([[800], [None], [400]], 0.2, 500, None)
    assert rows[1] == [None] * 6
    assert rows[2] == [0.0, 0.0, 0.0, 80.0, 80.0, 320.0]


def test_split_rows_add_up_to_the_charge():
    billed = [150.0, 70.0, 1200.0]
    rows = pa_split([[123.45], [67.89], [1000]], 0.15, 100, 500, 10, [[b] for b in billed])
    for charge, (contractual, copay, deductible, coins, patient, plan) in zip(
        billed, rows, strict=True
    ):
        assert patient == pytest.approx(copay + deductible + coins)
        assert contractual + patient + plan == pytest.approx(charge)


def test_split_names_the_line_of_a_negative_amount():
    with pytest.raises(PaxlError, match=r"PA_SPLIT: allowed, row 2 is -5.00; enter the amount"):
        pa_split([[100], [-5]], 0.2, 0, None)


def test_split_refuses_a_coinsurance_above_one():
    with pytest.raises(PaxlError, match="coinsurance is 20; enter the patient's share as a rate"):
        pa_split(100, 20, 0, None)


def test_split_refuses_columns_of_different_lengths():
    with pytest.raises(PaxlError, match="allowed has 2, coinsurance has 3 values"):
        pa_split([100, 200], [0.1, 0.2, 0.3], 0, None)


def test_split_takes_one_deductible_left_for_the_whole_column():
    with pytest.raises(PaxlError, match="deductible_left takes one value, not 2"):
        pa_split([100, 200], 0.2, [[10], [20]], None)


cents = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(cents, min_size=1, max_size=6),
    rate=st.sampled_from([0, 0.1, 0.2, 0.25, 0.5, 1]),
    deductible=cents,
    oop=cents,
)
def test_a_column_call_equals_one_line_calls_carrying_what_is_left(lines, rate, deductible, oop):
    column = pa_split([[float(a)] for a in lines], rate, float(deductible), float(oop))
    left_deductible, left_oop = deductible, oop
    for allowed, row in zip(lines, column, strict=True):
        (one,) = pa_split(float(allowed), rate, float(left_deductible), float(left_oop))
        assert one == row
        left_deductible -= Decimal(str(row[2]))
        left_oop -= Decimal(str(row[4]))


def test_cob_worked_examples_both_methods():
    assert pa_cob(800, 480, 720, "non_duplication") == [[240.0, 80.0]]
    assert pa_cob(800, 480, 720) == [[320.0, 0.0]]
    assert pa_cob(800, 480, 720, "standard") == [[320.0, 0.0]]


@pytest.mark.parametrize("allowable", [[800, 100], [[800], [100]]])
def test_cob_works_a_column(allowable):
    assert pa_cob(allowable, [[480], [100]], [[720], [90]], "non_duplication") == [
        [240.0, 80.0],
        [0.0, 0.0],
    ]


def test_cob_shows_a_bad_rows_message_in_that_row_of_a_column():
    rows = pa_cob([[800], [800]], [[480], [900]], 720)
    assert rows[0] == [320.0, 0.0]
    assert rows[1][0].startswith("Error: the primary paid 900.00, more than the allowable")
    assert rows[1][1] is None


def test_cob_raises_for_a_single_bad_line():
    with pytest.raises(PaxlError, match=r"PA_COB: the primary paid 900\.00"):
        pa_cob(800, 900, 720)


def test_cob_names_the_choices_for_an_unknown_method():
    with pytest.raises(PaxlError, match="use standard or non_duplication"):
        pa_cob(800, 480, 720, "carve-out")
