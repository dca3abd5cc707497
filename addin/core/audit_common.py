"""Small helpers shared by the audit rules (``audit_*`` modules): row records, IDs, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd

SHEET = "_sheet"
ROW = "_row"
VOID = "void"


def as_of_stamp(as_of: dt.date) -> pd.Timestamp:
    """The audit date as a midnight timestamp, comparable with typed date columns."""
    return pd.Timestamp(as_of).normalize()


def text(series: pd.Series) -> pd.Series:
    """A text column as an object Series with ``None`` for blanks (typed frames are stripped)."""
    values = series.to_numpy(dtype=object, na_value=None)
    return pd.Series(values, index=series.index, dtype=object)


def code_key(series: pd.Series) -> pd.Series:
    """Codes normalised for comparison (spaces removed, upper case; blank → ``""``).

    Same result as :func:`addin.core.codes.normalize_code` per value, computed once per
    distinct value with vectorised string operations (a Reference column is mostly distinct).
    """
    codes, uniques = pd.factorize(series.to_numpy(dtype=object, na_value=None))
    normal = pd.Series(np.asarray(uniques, dtype=object)).map(str)
    normal = normal.str.replace(r"\s+", "", regex=True).str.upper().to_numpy(dtype=object)
    keys = np.append(normal, "")[codes]  # factorize codes blanks as -1 → the trailing ""
    return pd.Series(keys, index=series.index, dtype=object)


def records(frame: pd.DataFrame, mask: np.ndarray | pd.Series) -> Iterator[dict[str, object]]:
    """The selected rows as plain dicts (blanks as ``None``), in Excel row order."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return
    chosen = frame.loc[mask]
    for record in chosen.to_dict("records"):
        yield {k: (None if _blank(v) else v) for k, v in record.items()}


def _blank(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def where(record: dict[str, object]) -> tuple[str | None, int | None]:
    """Sheet and Excel row of a record."""
    sheet = record.get(SHEET)
    row = record.get(ROW)
    return (None if sheet is None else str(sheet)), (None if row is None else int(row))


def label(record: dict[str, object], key: str, what: str, *, start: bool = False) -> str:
    """``"charge C-7"`` or, when the row has no ID, ``"the charge on Charges row 12"``.

    ``what`` is lower case; ``start=True`` capitalises the first letter to begin a sentence.
    """
    value = record.get(key)
    if value is not None:
        phrase = f"{what} {value}"
    else:
        sheet, row = where(record)
        phrase = f"the {what} on {sheet} row {row}"
    return phrase[0].upper() + phrase[1:] if start else phrase


def ids(*values: object) -> tuple[str, ...]:
    """Non-blank IDs, in order, without repeats."""
    seen: list[str] = []
    for value in values:
        if value is not None and str(value) not in seen:
            seen.append(str(value))
    return tuple(seen)


def repeats(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows repeating an earlier row's keys: their positions, and the position of that first row.

    Positions are 0-based row positions in ``keys``; blanks compare equal to blanks.
    """
    twice = keys.duplicated(keep=False).to_numpy()
    if not twice.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    candidates = keys.loc[twice].assign(_pos=np.flatnonzero(twice))
    group = candidates.groupby(list(keys.columns), sort=False, dropna=False)
    later = group.cumcount().to_numpy() > 0
    first = group["_pos"].transform("first").to_numpy()
    return candidates["_pos"].to_numpy()[later], first[later]


def repeated_rows(
    rows: pd.DataFrame, keys: pd.DataFrame
) -> Iterator[tuple[dict[str, object], pd.Series]]:
    """Each row of ``rows`` repeating an earlier row's ``keys`` (same index), with that first row.

    Yields the later row as a record (see :func:`records`) and the first row it repeats, in
    Excel row order of the later rows.
    """
    later, first_pos = repeats(keys)
    for record, first_index in zip(records(rows, at(later, len(rows))), first_pos, strict=True):
        yield record, rows.iloc[first_index]


def void(status: pd.Series) -> np.ndarray:
    """Which rows of a Charges Status column say ``Void`` (any case)."""
    return (text(status).fillna("").str.lower() == VOID).to_numpy()


def at(positions: np.ndarray, size: int) -> np.ndarray:
    """A boolean mask of ``size`` rows, true at ``positions`` (which must be increasing)."""
    mask = np.zeros(size, dtype=bool)
    mask[positions] = True
    return mask
