"""Whole columns of raw cell values → typed column arrays, fast, with the cells that do not fit.

The loader reads hundreds of thousands of cells per table; converting them one by one with
:func:`addin.workbook.frames.coerce` costs seconds. This module converts the common cell kinds
column-wise (text, numbers, dates and TRUE/FALSE as python-calamine returns them) and hands every
unusual cell to ``coerce``, so the result is exactly what ``coerce`` gives, cell for cell:

* money: a float is accepted when it is the nearest double to a whole number of cents — the same
  test as ``to_cents(float)`` (``repr`` with at most two decimals) — and becomes integer cents;
* integer: a float with no fraction becomes an int;
* date/datetime: ``date``/``datetime`` objects and Excel serial numbers (1900 system; a datetime
  serial's time is rounded to the microsecond, as ``coerce`` does); dates drop their time;
* two limits ``coerce`` does not have: whole numbers and cents of :data:`MAX_WHOLE` or more are
  "too large", and dates outside the years the frames can hold (:data:`FIRST_YEAR` to
  :data:`LAST_YEAR`, e.g. a mistyped 9026) are "not a date";
* text: stripped, ``None`` when blank, a whole number typed in an ID column reads ``"1001"``;
* boolean: TRUE/FALSE cells as they are.

Allowed values are matched ignoring case and surrounding spaces and normalised to the schema's
spelling (``"refund"`` → ``"Refund"``), so the core can compare exactly; the same applies to the
extra values a foreign key accepts (``"patient"`` → ``"Patient"`` in ``Payments.Payer``). Anything
else is left as typed and reported by the validator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.errors import OutOfBoundsDatetime

from addin.core.money import MoneyError, to_decimal
from addin.workbook.frames import EXCEL_EPOCH, CellError, coerce
from addin.workbook.schema import Column, ColumnType
from addin.workbook.sheet_columns import as_cells

#: whole numbers (and cents) at or beyond this size are refused as "too large"
MAX_WHOLE = 2**53
#: dates the typed frames can hold (``datetime64[ns]``): years FIRST_YEAR..LAST_YEAR
FIRST_YEAR, LAST_YEAR = 1678, 2261
_MAX_EXACT = float(MAX_WHOLE)
_MIN_SERIAL = 1.0  # 1900-01-01
_MAX_SERIAL = float((dt.date(LAST_YEAR + 1, 1, 1) - EXCEL_EPOCH.date()).days)
_DATE_TYPES = (dt.date, dt.datetime, pd.Timestamp)
#: day numbers (``date.toordinal``) of 1970-01-01 and of the first and last day a frame holds
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
_FIRST_DAY = dt.date(FIRST_YEAR, 1, 1).toordinal()
_LAST_DAY = dt.date(LAST_YEAR, 12, 31).toordinal()
#: the same bounds for columns read as ``datetime64[ms]``
_FIRST_MOMENT = np.datetime64(f"{FIRST_YEAR:04d}-01-01", "ms")
_AFTER_LAST_MOMENT = np.datetime64(f"{LAST_YEAR + 1:04d}-01-01", "ms")


@dataclass(frozen=True)
class TypeProblem:
    """A cell that does not fit its column: its position in the column and what is wrong.

    ``message`` and ``fix`` never contain the cell's value (it may be a birth date or an amount).
    """

    index: int
    message: str
    fix: str


def convert_column(column: Column, values: Sequence[object]) -> tuple[object, list[TypeProblem]]:
    """Convert a column of raw cell values to the typed values of :mod:`addin.workbook.schema`.

    Args:
        column: the schema column.
        values: raw cell values (python-calamine style: ``""`` for blank, floats for numbers,
            ``date``/``datetime`` for date-formatted cells, ``bool``, ``str``).

    Returns:
        The typed values (a list, or a pandas array for integer/money/date columns) ready for
        :func:`addin.workbook.frames.frame_from_columns`, and the cells that do not fit. A cell
        that does not fit is blank in the result.
    """
    kind = column.type
    if isinstance(values, np.ndarray):  # a column read column-wise (sheet_columns)
        if values.dtype.kind == "f" and kind in (ColumnType.MONEY, ColumnType.INTEGER):
            return _whole_numbers(column, values)
        if values.dtype.kind == "M" and kind in (ColumnType.DATE, ColumnType.DATETIME):
            return _date_array(column, values)
        values = as_cells(values)
    if kind is ColumnType.TEXT:
        return _text(column, values), []
    if kind in (ColumnType.MONEY, ColumnType.INTEGER):
        return _whole_numbers(column, values)
    if kind in (ColumnType.DATE, ColumnType.DATETIME):
        return _dates(column, values)
    if kind is ColumnType.BOOLEAN:
        return _booleans(column, values)
    return _per_cell(column, values)


def canonical_choices(column: Column) -> dict[str, str]:
    """Lower-case spelling → schema spelling of every value a text column accepts besides keys."""
    accepted = list(column.choices)
    if column.references is not None:
        accepted.extend(column.references.also)
    return {value.casefold(): value for value in accepted}


def type_problem(column: Column, value: object) -> tuple[str, str]:
    """One sentence saying what is wrong with a cell of ``column``, and the fix (no cell value)."""
    name = column.name
    kind = column.type
    if kind is ColumnType.MONEY:
        try:
            to_decimal(value)
        except MoneyError:
            return (
                f"{name} is not an amount.",
                "Enter dollars and cents as a number, such as 125.00.",
            )
        return (
            f"{name} has fractions of a cent.",
            "Enter dollars and cents only, such as 125.25 (amounts are never rounded for you).",
        )
    if kind is ColumnType.INTEGER:
        return f"{name} is not a whole number.", "Enter a whole number such as 2."
    if kind is ColumnType.RATE:
        return f"{name} is not a rate.", "Enter a number or a percentage, such as 0.2 or 20%."
    if kind is ColumnType.DATE:
        return f"{name} is not a date.", "Enter a date such as 2026-03-31 or 03/31/2026."
    if kind is ColumnType.DATETIME:
        return f"{name} is not a date and time.", "Enter a date and time such as 2026-03-31 14:05."
    if kind is ColumnType.BOOLEAN:
        return f"{name} is not TRUE or FALSE.", "Enter TRUE or FALSE."
    return f"{name} cannot be read.", "Retype the value."


def _problem(column: Column, index: int, value: object) -> TypeProblem:
    message, fix = type_problem(column, value)
    return TypeProblem(index, message, fix)


def _is_blank_cell(value: object) -> bool:
    return value is None or (type(value) is str and not value.strip())


def _text(column: Column, values: Sequence[object]) -> list[object]:
    canonical = canonical_choices(column)
    try:  # usually every cell is text: strip them all in one go
        stripped = list(map(str.strip, values))
    except TypeError:  # a number, date, TRUE/FALSE or None among them: cell by cell
        out = [
            (v.strip() or None) if type(v) is str else (None if v is None else coerce(column, v))
            for v in values
        ]
        if canonical:
            out = [canonical.get(v.casefold(), v) if v is not None else None for v in out]
        return out
    if canonical:  # few distinct values: look each up once
        distinct = set(stripped)
        spelled = {v: canonical[v.casefold()] for v in distinct if v.casefold() in canonical}
        spelled[""] = None
        if distinct <= spelled.keys():  # nothing but allowed values and blanks (the usual)
            return list(map(spelled.get, stripped))
        return [spelled.get(v, v) if v else None for v in stripped]
    if "" in stripped:
        return [v or None for v in stripped]
    return stripped


def _whole_numbers(column: Column, values: Sequence[object]) -> tuple[object, list[TypeProblem]]:
    """Money (→ integer cents) or integer columns: floats column-wise, the rest per cell."""
    n = len(values)
    if isinstance(values, np.ndarray):  # read column-wise: NaN is a blank cell
        numbers = values
    else:
        numbers = np.fromiter(
            (v if type(v) is float else np.nan for v in values), dtype=np.float64, count=n
        )
    with np.errstate(invalid="ignore", over="ignore"):  # NaN blanks, huge values: not exact
        if column.type is ColumnType.MONEY:
            scaled = np.rint(numbers * 100.0)
            exact = (scaled / 100.0 == numbers) & (np.abs(scaled) < _MAX_EXACT)
        else:
            scaled = np.rint(numbers)
            exact = (scaled == numbers) & (np.abs(scaled) < _MAX_EXACT)
    result = np.where(exact, scaled, 0.0).astype(np.int64)
    mask = ~exact
    problems: list[TypeProblem] = []
    for i in np.flatnonzero(mask).tolist():
        value = values[i]
        if type(value) is np.float64:
            if value != value:  # NaN: a blank cell
                continue
            value = float(value)
        if _is_blank_cell(value):
            continue
        try:
            typed = coerce(column, value)
        except (CellError, ArithmeticError):  # ArithmeticError: Decimal overflow
            problems.append(_problem(column, i, value))
            continue
        if typed is None:
            continue
        if abs(int(typed)) >= MAX_WHOLE:
            problems.append(TypeProblem(i, f"{column.name} is too large.", "Check the value."))
            continue
        result[i] = int(typed)
        mask[i] = False
    return pd.arrays.IntegerArray(result, mask), problems


def _dates(column: Column, values: Sequence[object]) -> tuple[object, list[TypeProblem]]:
    """Date or datetime columns: date objects and serial numbers column-wise, the rest per cell.

    Date objects are converted in one go and their years checked after; only the other cells
    (usually few: blanks) are looked at again. A date column holding nothing but ``date`` cells
    (the usual) is converted from their day numbers.
    """
    if column.type is ColumnType.DATE and set(map(type, values)) == {dt.date}:
        days = np.fromiter(map(dt.date.toordinal, values), dtype=np.int64, count=len(values))
        if ((days >= _FIRST_DAY) & (days <= _LAST_DAY)).all():
            midnights = (days - _EPOCH_DAY).astype("datetime64[D]").astype("datetime64[ns]")
            return pd.array(midnights), []
    try:
        result = pd.array(
            [v if isinstance(v, _DATE_TYPES) else None for v in values], dtype="datetime64[ns]"
        )
    except OutOfBoundsDatetime:  # a year far outside (e.g. 9026): leave those out first
        objects = [
            v if isinstance(v, _DATE_TYPES) and FIRST_YEAR <= v.year <= LAST_YEAR else None
            for v in values
        ]
        result = pd.array(objects, dtype="datetime64[ns]")
    years = result.year
    outside = (years < FIRST_YEAR) | (years > LAST_YEAR)
    if outside.any():
        result[outside] = pd.NaT
    rest = np.flatnonzero(result.isna()).tolist()
    serials = [i for i in rest if type(values[i]) is float or type(values[i]) is int]
    done: set[int] = set()
    if serials:
        numbers = np.array([values[i] for i in serials], dtype=np.float64)
        with np.errstate(invalid="ignore"):
            in_range = (numbers >= _MIN_SERIAL) & (numbers < _MAX_SERIAL)
        if in_range.any():
            micros = np.rint(numbers[in_range] * 86_400_000_000.0).astype(np.int64)
            at = np.array(serials)[in_range]
            result[at] = pd.Timestamp(EXCEL_EPOCH) + pd.to_timedelta(micros, unit="us")
            done.update(at.tolist())
    problems: list[TypeProblem] = []
    for i in rest:
        value = values[i]
        if i in done or _is_blank_cell(value):
            continue
        try:
            typed = coerce(column, value)
            if not FIRST_YEAR <= typed.year <= LAST_YEAR:
                raise CellError("outside the years a frame holds")
        except (CellError, ArithmeticError):  # ArithmeticError: Decimal overflow
            problems.append(_problem(column, i, value))
            continue
        result[i] = typed
    if column.type is ColumnType.DATE:
        result = result.normalize()
    return result, problems


def _date_array(column: Column, values: np.ndarray) -> tuple[object, list[TypeProblem]]:
    """Date or datetime columns read column-wise (``datetime64``, NaT for blank): dates outside
    the years a frame holds are reported, as :func:`_dates` reports them."""
    moments = values.astype("datetime64[ms]", copy=False)
    outside = ~np.isnat(moments) & ((moments < _FIRST_MOMENT) | (moments >= _AFTER_LAST_MOMENT))
    problems = [_problem(column, i, None) for i in np.flatnonzero(outside).tolist()]
    if problems:
        moments = np.where(outside, np.datetime64("NaT", "ms"), moments)
    result = pd.array(moments.astype("datetime64[ns]"))
    if column.type is ColumnType.DATE:
        result = result.normalize()
    return result, problems


def _booleans(column: Column, values: Sequence[object]) -> tuple[list[object], list[TypeProblem]]:
    """Boolean columns: TRUE/FALSE cells are already what ``coerce`` makes of them; the rest per
    cell."""
    out: list[object] = list(values)
    problems: list[TypeProblem] = []
    for i in [i for i, v in enumerate(values) if type(v) is not bool]:
        try:
            out[i] = coerce(column, values[i])
        except (CellError, ArithmeticError):  # ArithmeticError: Decimal overflow
            out[i] = None
            problems.append(_problem(column, i, values[i]))
    return out, problems


def _per_cell(column: Column, values: Sequence[object]) -> tuple[list[object], list[TypeProblem]]:
    out: list[object] = []
    problems: list[TypeProblem] = []
    for i, value in enumerate(values):
        try:
            out.append(coerce(column, value))
        except (CellError, ArithmeticError):  # ArithmeticError: Decimal overflow
            out.append(None)
            problems.append(_problem(column, i, value))
    return out, problems
