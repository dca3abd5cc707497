"""Typed table frames: cell values → the typed pandas DataFrames the core works on.

The loader reads raw cell values and uses :func:`coerce` per cell (collecting the problems it
reports); tests and the sample generator build typed frames directly with :func:`typed_frame`.
The typed conventions are documented in :mod:`addin.workbook.schema`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from addin.core.money import MoneyError, to_cents, to_decimal
from addin.workbook.schema import Column, ColumnType, Table, table

SHEET_COLUMN = "_sheet"
ROW_COLUMN = "_row"

_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}
EXCEL_EPOCH = dt.datetime(1899, 12, 30)

_DTYPES = {
    ColumnType.TEXT: object,
    ColumnType.INTEGER: "Int64",
    ColumnType.MONEY: "Int64",
    ColumnType.RATE: object,
    ColumnType.DATE: "datetime64[ns]",
    ColumnType.DATETIME: "datetime64[ns]",
    ColumnType.BOOLEAN: "boolean",
}


class CellError(ValueError):
    """A cell value that does not fit its column; the message says what is expected."""


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def coerce(column: Column, value: object) -> object:
    """Convert one raw cell value to the column's typed value (``None`` for blank).

    Raises:
        CellError: the value does not fit the column's type; the message says what is expected.
            Required/enum/foreign-key checks are the validator's, not done here.
    """
    if is_blank(value):
        return None
    kind = column.type
    try:
        if kind is ColumnType.TEXT:
            return _text(value)
        if kind is ColumnType.MONEY:
            return to_cents(value)
        if kind is ColumnType.RATE:
            return to_decimal(value)
        if kind is ColumnType.INTEGER:
            return _integer(value)
        if kind is ColumnType.DATE:
            return _datetime(value).replace(hour=0, minute=0, second=0, microsecond=0)
        if kind is ColumnType.DATETIME:
            return _datetime(value)
        if kind is ColumnType.BOOLEAN:
            return _boolean(value)
    except MoneyError as exc:
        what = "an amount in dollars and cents" if kind is ColumnType.MONEY else "a number"
        raise CellError(f"expected {what}: {exc}") from None
    raise AssertionError(f"unknown column type {kind}")


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an ID typed as a number: 1001.0 → "1001"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _integer(value: object) -> int:
    if isinstance(value, bool):
        raise CellError("expected a whole number, not TRUE/FALSE")
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise CellError(f"expected a whole number, got {value!r}")
    return int(number)


def _datetime(value: object) -> dt.datetime:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel serials 1900-01-01 .. 9999-12-31
            raise CellError(f"expected a date, got the number {value!r}")
        return EXCEL_EPOCH + dt.timedelta(days=float(value))
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
            try:
                return dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise CellError(f"expected a date such as 2026-03-31 or 03/31/2026, got {value!r}")
    raise CellError(f"expected a date, got {value!r}")


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"expected TRUE or FALSE, got {value!r}")


def empty_frame(schema: Table) -> pd.DataFrame:
    """A typed frame with no rows (a table that is present but empty)."""
    return typed_frame(schema, [])


def typed_frame(
    schema: Table | str,
    records: Iterable[Mapping[str, object]],
    *,
    sheet: str | None = None,
    first_row: int = 2,
) -> pd.DataFrame:
    """Build a typed frame from plain values (money as Decimal/str/float dollars, dates as dates).

    Missing columns are blank. ``_sheet`` is ``sheet`` (default: the table name) and ``_row``
    counts from ``first_row`` (the first data row under a header in row 1).

    Raises:
        CellError: a value does not fit its column; the message names the row and column.
    """
    if isinstance(schema, str):
        schema = table(schema)
    sheet = sheet or schema.name
    rows = list(records)
    data: dict[str, list[object]] = {c.name: [] for c in schema.columns}
    for i, record in enumerate(rows):
        unknown = set(record) - set(data)
        if unknown:
            raise CellError(f"{schema.name} has no column(s) {', '.join(sorted(unknown))}")
        for column in schema.columns:
            try:
                data[column.name].append(coerce(column, record.get(column.name)))
            except CellError as exc:
                raise CellError(f"{sheet} row {first_row + i}, {column.name}: {exc}") from None
    return frame_from_columns(schema, data, sheet=sheet, first_row=first_row, count=len(rows))


def frame_from_columns(
    schema: Table,
    data: Mapping[str, list[object]],
    *,
    sheet: str,
    first_row: int,
    count: int,
) -> pd.DataFrame:
    """Assemble already-coerced column lists into a typed frame with ``_sheet``/``_row``."""
    rows = range(first_row, first_row + count)
    return frame_from_sheet_rows(schema, data, sheets=[sheet] * count, rows=rows)


def frame_from_sheet_rows(
    schema: Table,
    data: Mapping[str, list[object]],
    *,
    sheets: Sequence[str],
    rows: Sequence[int],
) -> pd.DataFrame:
    """Like :func:`frame_from_columns`, for rows that each say where they came from:
    ``sheets[i]`` and ``rows[i]`` become row ``i``'s ``_sheet`` and ``_row`` (a table
    continued on several sheets)."""
    count = len(rows)
    columns: dict[str, pd.Series] = {}
    for column in schema.columns:
        values = data.get(column.name, [None] * count)
        dtype = _DTYPES[column.type]
        if column.type in (ColumnType.DATE, ColumnType.DATETIME):
            series = pd.Series(pd.to_datetime(values), dtype=dtype)
        elif dtype is object:
            series = pd.Series(values, dtype=object)
        else:
            series = pd.Series(pd.array(values, dtype=dtype))
        columns[column.name] = series
    columns[SHEET_COLUMN] = pd.Series(sheets, dtype=object)
    columns[ROW_COLUMN] = pd.Series(np.fromiter(rows, dtype=np.int64, count=count))
    return pd.DataFrame(columns)


def rate(value: object) -> Decimal | None:
    """A rate cell value (``None`` for blank)."""
    return None if is_blank(value) else to_decimal(value)
