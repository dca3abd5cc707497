"""Sort codes for text keys agree with pandas' factorize, whatever the values."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from addin.core.text_sort import sort_codes

# any text; lone surrogates cannot be encoded and take pandas' path
_text = st.text(max_size=6) | st.sampled_from(["\ud800", "a\udfff"])
_ids = st.from_regex(r"[A-Z]{1,2}[0-9]{0,4}", fullmatch=True)


def _expected(values: np.ndarray) -> np.ndarray:
    return pd.factorize(values, sort=True)[0]


@given(st.lists(st.one_of(_ids, _text), max_size=60))
def test_text_gets_the_codes_factorize_gives(values):
    array = np.array(values, dtype=object)
    assert sort_codes(array).tolist() == _expected(array).tolist()


@given(st.lists(st.one_of(_ids, st.none(), st.integers(-5, 5)), max_size=30))
def test_blanks_and_numbers_get_the_codes_factorize_gives(values):
    array = np.array(values, dtype=object)
    try:
        expected = _expected(array).tolist()
    except TypeError:  # pandas cannot order these either
        return
    assert sort_codes(array).tolist() == expected


def test_ids_sort_by_code_point_and_equal_ids_share_a_code():
    ids = np.array(["C10", "C2", "c1", "C10", "É", "E", "C1\x00", "C1"], dtype=object)
    # C1 < C1\x00 < C10 < C2 < E < c1 < É
    assert sort_codes(ids).tolist() == [2, 3, 5, 2, 6, 4, 1, 0]
    assert sort_codes(np.array([], dtype=object)).tolist() == []
