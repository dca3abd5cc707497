import contextlib
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import udfs.insurance
from addin.core.cost_share import Accumulators, CostLine, split_lines
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
    assert rows[1] == [""] * 6  # shown blank; PA_SPLIT's rows go to Excel unconverted
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


# --- plain numbers (the column path) and every other cell (the per-cell path) agree ---------------

RATES = [0, 1, 0.2, 0.15, 0.125, 0.0375, 0.333, 0.07125]


@st.composite
def split_sheets(draw):
    """PA_SPLIT's arguments as Excel passes plain cells: whole-cent floats, rates, TRUE/FALSE,
    blanks as None or "" (Office.js); with the same amounts as Decimals (Currency cells on
    Windows), which take the per-cell path."""
    count = draw(st.integers(1, 8))
    cents = st.integers(0, 10**9) | st.sampled_from([0, 1, 5, 99, 100])
    blank = st.sampled_from([None, ""])

    def column(values):
        return [[v] for v in values]

    allowed = draw(st.lists(cents | blank, min_size=count, max_size=count))
    billed = draw(st.lists(cents | blank, min_size=count, max_size=count))
    copay = draw(st.lists(st.integers(0, 5_000) | blank, min_size=count, max_size=count))
    rates = draw(
        st.sampled_from(RATES) | st.lists(st.sampled_from(RATES), min_size=count, max_size=count)
    )
    flags = draw(st.none() | st.lists(st.booleans() | blank, min_size=count, max_size=count))
    deductible = draw(cents | blank)
    oop = draw(st.none() | st.integers(0, 10**7))

    def money(c, decimal):
        if c is None or c == "":
            return c
        return Decimal(c) / 100 if decimal else c / 100

    def args(decimal):
        return [
            column([money(c, decimal) for c in allowed]),
            column(rates) if isinstance(rates, list) else rates,
            money(deductible, decimal),
            money(oop, decimal),
            column([money(c, decimal) for c in copay]),
            column([money(c, decimal) for c in billed]),
            None if flags is None else column(flags),
        ]

    return args(decimal=False), args(decimal=True)


def expected_rows(allowed, rate, deductible, oop, copay, billed, flags):
    """The rows from the Decimal core, for arguments given as Decimals or blanks."""

    def blank(v):
        return v is None or v == ""

    count = len(allowed)
    rates = [r[0] for r in rate] if isinstance(rate, list) else [rate] * count
    lines, rows = [], []
    for i in range(count):
        if blank(allowed[i][0]):
            continue
        lines.append(
            CostLine(
                billed=allowed[i][0] if blank(billed[i][0]) else billed[i][0],
                allowed=allowed[i][0],
                copay=Decimal(0) if blank(copay[i][0]) else copay[i][0],
                coinsurance=Decimal(repr(rates[i])),
                deductible_applies=flags is None or blank(flags[i][0]) or flags[i][0],
            )
        )
        rows.append(i)
    start = Accumulators(
        Decimal(0) if blank(deductible) else deductible, None if blank(oop) else oop
    )
    out = [[""] * 6 for _ in range(count)]
    for i, s in zip(rows, split_lines(lines, start), strict=True):
        out[i] = [
            float(x)
            for x in (s.contractual, s.copay, s.deductible, s.coinsurance, s.patient, s.plan)
        ]
    return out


def exactly(rows):
    """Rows with every float shown by repr, so 0.0 and -0.0 differ."""
    return [[repr(v) for v in row] for row in rows]


def outcome(args):
    """The rows exactly, or the message the call raised."""
    try:
        return exactly(pa_split(*args))
    except PaxlError as exc:
        return str(exc)


@settings(max_examples=150, deadline=None)
@given(split_sheets())
def test_plain_numbers_give_what_currency_cells_and_the_decimal_core_give(sheets):
    plain, currency = sheets
    assert outcome(plain) == outcome(currency)
    if not isinstance(outcome(plain), str):  # (one blank allowed amount is refused by both)
        assert outcome(plain) == exactly(expected_rows(*currency))


@pytest.fixture
def column_calls(monkeypatch):
    """The calls of the column rule (the plain-cell path), counted."""
    calls = []
    real = udfs.insurance.split_column

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(udfs.insurance, "split_column", spy)
    return calls


def test_plain_columns_take_the_column_path_and_other_cells_the_per_cell_path(column_calls):
    pa_split([[800.0], [None], [""], [400]], 0.2, 500, 3500, None, [[1200.0], [None], [None], [""]])
    pa_split([[800.0], [400.0]], 0.2, 500, 3500, 0, 1200)
    assert len(column_calls) == 2
    pa_split(800, 0.2, 500, 3500, 0, 1200)  # one line: cheaper per cell
    pa_split([[800.0]], 0.2, 500, 3500)
    assert len(column_calls) == 2
    for odd in (Decimal("800.00"), "800", 0.30000000000000004, 12.345, -0.0, True, math.nan):
        with contextlib.suppress(PaxlError):
            pa_split([[odd], [400.0]], 0.2, 500, 3500)
    pa_split(800, "20%", 500, 3500)
    pa_split(800, -0.0, 500, 3500)
    pa_split([[800], [400]], 0.2, 500, 3500, None, None, [[1], [0]])
    assert len(column_calls) == 2


@pytest.mark.parametrize(
    ("plain", "other"),
    [
        (0.3, 0.30000000000000004),  # 0.1+0.2 reads as Excel shows it, 0.3
        (800.0, Decimal("800.00")),
        (800.0, "800"),
        (800.0, "$800.00"),
    ],
)
def test_cells_the_column_path_leaves_alone_give_the_same_rows(plain, other):
    assert pa_split([[plain], [400.0]], 0.2, 500, 3500) == pa_split(
        [[other], [400.0]], 0.2, 500, 3500
    )


def test_a_negative_zero_allowed_amount_gives_what_it_gave_before():
    # Decimal("-0.00") flows through the per-cell path and shows as -0.0 in the plan column
    assert outcome((-0.0, 0.2, 500, 3500)) == exactly([[0.0, 0.0, 0.0, 0.0, 0.0, -0.0]])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([[100.0], [12.345]], 0.2, 0, None), "allowed, row 2: 12.345 has fractions of a cent"),
        (([[100.0], ["abc"]], 0.2, 0, None), "allowed, row 2: 'abc' is not a number"),
        (([[100.0], [True]], 0.2, 0, None), "allowed, row 2: True is a TRUE/FALSE value"),
        ((100.0, [[0.2], [1.5]], 0, None, None, None), "coinsurance, row 2 is 1.5; enter the"),
        ((100.0, 0.2, 0, None, -1.0), "copay is -1.00; enter the amount as a positive number"),
        (
            (100.0, 0.2, 0, None, None, None, "perhaps"),
            "deductible_applies: expected TRUE or FALSE",
        ),
        ((None, 0.2, 0, None), "allowed is blank; enter an amount such as 125.00"),
    ],
)
def test_odd_cells_still_get_their_messages(args, message):
    with pytest.raises(PaxlError, match=message):
        pa_split(*args)


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
