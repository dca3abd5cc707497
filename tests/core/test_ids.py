"""next_ids: new IDs continue the table's own numbering (buttons and importer alike)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.core.ids import next_ids


def test_ids_continue_after_the_highest_number_with_the_same_width():
    assert next_ids(["PAY0000001", "PAY0000009", None], 2, prefix="PAY") == (
        "PAY0000010",
        "PAY0000011",
    )


def test_unpadded_ids_grow_naturally():
    assert next_ids(["PAY1", "PAY9"], 1, prefix="PAY") == ("PAY10",)


def test_the_prefix_most_ids_share_wins_and_odd_ids_are_ignored():
    assert next_ids(["PP01", "PP02", "X99", "manual"], 1, prefix="PLAN") == ("PP03",)


def test_an_empty_table_starts_at_one_with_the_default_prefix_and_width():
    assert next_ids([], 2, prefix="PP", width=6) == ("PP000001", "PP000002")


@pytest.mark.parametrize(
    ("existing", "count", "expected"),
    [
        (["PAY0000001", "PAY0000417", None], 2, ("PAY0000418", "PAY0000419")),
        (["PAY1", "PAY9"], 2, ("PAY10", "PAY11")),
        (["X1", "PAY0001", "PAY0002", "ERA-TRN-1"], 1, ("PAY0003",)),
        ([], 2, ("PAY000001", "PAY000002")),
        (["abc", "", "  "], 1, ("PAY000001",)),
    ],
)
def test_the_importer_s_cases_continue_the_book_s_numbering(existing, count, expected):
    assert next_ids(existing, count, prefix="PAY", width=6) == expected


def test_the_buttons_re_export_the_same_function():
    from macros.ids import next_ids as from_macros

    assert from_macros is next_ids


@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1), st.integers(1, 20))
def test_new_ids_are_never_already_taken(numbers, count):
    existing = [f"PAY{n:07d}" for n in numbers]
    new = next_ids(existing, count, prefix="PAY")
    assert len(set(new)) == count
    assert not set(new) & set(existing)
