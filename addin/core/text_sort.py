"""Sort codes for text keys (IDs), computed in C when every value is text.

``pd.factorize(values, sort=True)`` orders the distinct values with Python comparisons, one
object at a time; on tens of thousands of IDs read from a workbook (each its own ``str`` object,
scattered in memory) that is a large share of a statement run. Strings compare by code point,
which is also the byte order of their UTF-8 encoding, so numpy's variable-width string dtype sorts
them in the same order without a Python call per comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

__all__ = ["sort_codes"]


def sort_codes(values: np.ndarray) -> np.ndarray:
    """The position of each value among the sorted distinct values (equal values, equal codes):
    exactly ``pd.factorize(values, sort=True)[0]``.

    Args:
        values: a 1-d object array, usually of ``str`` IDs.

    Returns:
        ``intp`` codes, ``0`` for the smallest value. When any value is not text (a blank, a
        number, text that cannot be encoded) pandas computes them as ``pd.factorize`` does.
    """
    try:
        keys = values.astype(StringDType(coerce=False))
    except (ValueError, TypeError, UnicodeEncodeError):  # not all text: sort as pandas does
        return pd.factorize(values, sort=True)[0]
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.empty(len(keys), dtype=bool)  # where a new distinct value begins
    starts[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    codes = np.empty(len(keys), dtype=np.intp)
    codes[order] = np.cumsum(starts) - 1
    return codes
