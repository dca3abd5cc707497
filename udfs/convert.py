"""The boundary between Excel values and the core: arguments in, results out, errors translated.

Excel hands a custom function a single value, or a range as a list of rows (``[[a], [b]]`` for a
column, ``[[a, b]]`` for a row); called from Python, the same functions take plain values and
lists. Everything is normalised here so the function modules stay thin:

* **shapes** — :func:`cells` reads any argument as a flat list plus its orientation; a single
  value, a list, a list of one-element rows and a one-row range are all accepted. Several
  arguments are lined up by :func:`broadcast`: each is one value (used for every row) or a column
  as long as the others.
* **values** — money through :func:`~addin.core.money.to_money` (two places, never rounded for
  you), rates through :func:`~addin.core.money.to_decimal`; an Excel float is first read at the
  15 significant digits Excel itself shows, so ``0.1+0.2`` is 0.3 rather than
  0.30000000000000004, while 12.345 still has fractions of a cent. Dates arrive as ``datetime``
  (Windows), as serial numbers (Excel on the web, xlwings Lite/Server) or as text; whole numbers,
  TRUE/FALSE and text go through the workbook's own cell rules
  (:func:`addin.workbook.frames.coerce`).
* **results** — money back as numbers rounded half-up to the cent, dates as dates, blanks as
  ``None``, tables as lists of rows (they spill). A function that returns one value per input
  returns one value for one input and otherwise mirrors the input's orientation (:func:`shaped`).
* **errors** — a bad argument raises :class:`ExcelArgumentError`, naming the argument and row and
  saying what to fix. Where the rows of a column are independent, a bad row shows its message in
  that row (``"Error: ..."``) and the other rows still compute; for a single value the function
  raises, and xlwings shows the message on the cell. :func:`excel_function` prefixes every
  message with the function's Excel name and turns anything unexpected (a bug) into a short
  message, logging the details.

xlwings reads a UDF's type annotations as converters, so the ``@xw.func`` functions themselves
take raw, unannotated arguments; everything typed starts here.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from addin.core.money import CENT, MoneyError, to_decimal, to_money
from addin.errors import PaxlError
from addin.workbook.frames import CellError, coerce, is_blank
from addin.workbook.schema import Column, ColumnType

__all__ = [
    "CATEGORY",
    "ERROR_PREFIX",
    "RANGE_OPTIONS",
    "Cells",
    "ExcelArgumentError",
    "broadcast",
    "cells",
    "date_arg",
    "error_row",
    "excel_function",
    "flag_arg",
    "leading",
    "money_arg",
    "number",
    "omitted",
    "rate_arg",
    "reader",
    "rows_or_errors",
    "shaped",
    "single",
    "table",
    "text_arg",
    "values_or_errors",
    "whole_arg",
]

logger = logging.getLogger(__name__)

#: the Excel function category (classic Excel's function wizard groups the functions under it)
CATEGORY = "paxl"
#: how every argument is read (``@xw.arg(name, **RANGE_OPTIONS, doc=...)``): as a list of rows, so
#: a row stays a row, and error cells (#N/A, #VALUE!) as their text, so they are refused by name
#: rather than read as blanks
RANGE_OPTIONS: dict[str, object] = {"ndim": 2, "err_to_str": True}
#: how a row that could not be computed starts (the rest of the message says what to fix)
ERROR_PREFIX = "Error: "

_F = TypeVar("_F", bound=Callable[..., Any])
_DATE = Column("value", ColumnType.DATE)
_WHOLE = Column("value", ColumnType.INTEGER)
_FLAG = Column("value", ColumnType.BOOLEAN)
_TEXT = Column("value", ColumnType.TEXT)


class ExcelArgumentError(PaxlError, ValueError):
    """An argument the function cannot use; the message names it and says what to fix."""


# --- shapes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cells:
    """One argument as a flat list of cell values and the shape it came in.

    ``single`` is true for one value (a scalar or a one-cell range); ``across`` is true for a
    one-row range of several cells (results then spill across rather than down).
    """

    values: tuple[object, ...]
    single: bool
    across: bool = False

    def __len__(self) -> int:
        return len(self.values)

    def at(self, i: int) -> object:
        """Row ``i``'s value (a single value serves every row)."""
        return self.values[0] if self.single else self.values[i]

    def row(self, i: int) -> int | None:
        """Row ``i``'s position in the range for messages (1 = first), ``None`` for one value."""
        return None if self.single else i + 1

    def blank(self, i: int) -> bool:
        """Whether row ``i``'s cell is blank."""
        value = self.at(i)
        return value != value if type(value) is float else is_blank(value)  # NaN is blank


_SEQUENCES = (list, tuple)


def _is_list(value: object) -> bool:
    return isinstance(value, _SEQUENCES)


def cells(value: object, name: str) -> Cells:
    """Read an argument as one value, a column or a row.

    Accepts a scalar, a flat list, a list of one-element rows (an Excel column) or a one-row
    list of rows (an Excel row). ``None`` (an omitted argument) is one blank value.

    Raises:
        ExcelArgumentError: a block of several rows and columns, or an empty list.
    """
    if not _is_list(value):
        return Cells((value,), single=True)
    items = value if isinstance(value, list) else list(value)  # type: ignore[arg-type]
    if not items:
        raise ExcelArgumentError(f"{name} is empty; give a value or a column of values")
    nested = [_is_list(item) for item in items]
    if not any(nested):
        return Cells(tuple(items), single=len(items) == 1)
    if all(nested) and all(len(item) == 1 for item in items):  # an Excel column: the usual case
        return Cells(tuple(item[0] for item in items), single=len(items) == 1)
    rows = [item if is_row else [item] for item, is_row in zip(items, nested, strict=True)]
    width = max(len(row) for row in rows)
    if width <= 1:
        return Cells(tuple(row[0] if row else None for row in rows), single=len(rows) == 1)
    if len(rows) == 1:
        return Cells(tuple(rows[0]), single=False, across=True)
    raise ExcelArgumentError(
        f"{name} has {len(rows)} rows and {width} columns; give one column (or one row) of values"
    )


def single(value: object, name: str) -> object:
    """The one value of an argument that takes a single value (a one-cell range is fine).

    Raises:
        ExcelArgumentError: the argument is a column or row of several values.
    """
    found = cells(value, name)
    if not found.single:
        raise ExcelArgumentError(
            f"{name} takes one value, not {len(found)}; point it at a single cell"
        )
    return found.values[0]


_REQUIRED = object()
_T = TypeVar("_T")


def reader(
    found: Cells, read: Callable[[object, int | None], _T], *, blank: object = _REQUIRED
) -> Callable[[int], _T]:
    """Row ``i``'s converted value of an argument: ``read(value, row)``, with ``row`` the
    position in the range (``None`` for a single value, which is converted only once).

    With ``blank`` given, a blank cell gives it instead of being read (``read`` refuses blanks).
    """

    def convert(value: object, row: int | None) -> _T:
        if blank is not _REQUIRED and type(value) is not float and is_blank(value):
            return blank  # type: ignore[return-value]
        return read(value, row)

    if found.single:
        value = convert(found.values[0], None)
        return lambda i: value
    values = found.values
    return lambda i: convert(values[i], i + 1)


def broadcast(**columns: Cells) -> int:
    """How many rows the arguments describe: each is one value or a column of the same length.

    Raises:
        ExcelArgumentError: two columns of different lengths (names both, with their lengths).
    """
    lengths = {name: len(c) for name, c in columns.items() if not c.single}
    distinct = sorted(set(lengths.values()))
    if len(distinct) > 1:
        shown = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ExcelArgumentError(
            f"the columns are not the same length ({shown} values); give each argument "
            "one value or a column as long as the others"
        )
    return distinct[0] if distinct else 1


def table(value: object, name: str, width: int) -> list[tuple[int, list[object]]]:
    """A small table argument (a range of ``width`` columns) as numbered rows.

    A first row starting with text that is not a number is a header and skipped; blank rows are
    skipped. Each row comes with its position in the range (1 = the first row).

    Raises:
        ExcelArgumentError: the range is not ``width`` columns wide, or has no rows.
    """
    if not _is_list(value):
        rows = [[value]]
    elif not any(_is_list(item) for item in value):  # type: ignore[union-attr]
        rows = [list(value)]  # type: ignore[arg-type]  # a flat list is one row
    else:
        rows = [list(r) if _is_list(r) else [r] for r in value]  # type: ignore[union-attr]
    found = []
    for position, row in enumerate(rows, 1):
        if all(is_blank(v) for v in row):
            continue
        if len(row) != width:
            raise ExcelArgumentError(
                f"{name} has {len(row)} columns; give a range of {width} columns"
            )
        if position == 1 and isinstance(row[0], str) and not _looks_numeric(row[0]):
            continue
        found.append((position, row))
    if not found:
        raise ExcelArgumentError(f"{name} has no rows; point it at the filled table")
    return found


def _looks_numeric(text: str) -> bool:
    try:
        to_decimal(text)
    except MoneyError:
        return False
    return True


# --- values in -------------------------------------------------------------------------------


def _where(name: str, row: int | None) -> str:
    return name if row is None else f"{name}, row {row}"


def omitted(value: object) -> bool:
    """Whether an argument was left out: ``None``, a blank cell or a range of blank cells."""
    if _is_list(value):
        return all(omitted(v) for v in value)  # type: ignore[union-attr]
    return is_blank(value)


def _excel_number(value: object) -> object:
    """A finite float as Excel shows it, 15 significant digits, as ``Decimal``; else unchanged."""
    if type(value) is float and math.isfinite(value):
        return Decimal(format(value, ".15g"))
    return value


def _problem(number: object, exc: MoneyError) -> str:
    if isinstance(number, Decimal):  # an Excel number: say it as Excel shows it
        return f"{number} has fractions of a cent; enter dollars and cents"
    return str(exc)


def money_arg(
    value: object, name: str, *, row: int | None = None, non_negative: bool = False
) -> Decimal:
    """Dollars and cents as a two-place ``Decimal``.

    Raises:
        ExcelArgumentError: blank, not a number, fractions of a cent, or negative when
            ``non_negative``.
    """
    number = _excel_number(value)
    if type(number) is not Decimal and is_blank(value):  # an Excel number is never blank
        raise ExcelArgumentError(f"{_where(name, row)} is blank; enter an amount such as 125.00")
    try:
        amount = to_money(number)
    except MoneyError as exc:
        raise ExcelArgumentError(f"{_where(name, row)}: {_problem(number, exc)}") from None
    if non_negative and amount < 0:
        raise ExcelArgumentError(
            f"{_where(name, row)} is {amount}; enter the amount as a positive number"
        )
    return amount


def rate_arg(value: object, name: str, *, row: int | None = None) -> Decimal:
    """A rate or fraction as ``Decimal`` (0.2 or "20%" for 20 percent).

    Raises:
        ExcelArgumentError: blank or not a number.
    """
    if is_blank(value):
        raise ExcelArgumentError(f"{_where(name, row)} is blank; enter a rate such as 0.2 or 20%")
    try:
        return to_decimal(_excel_number(value))
    except MoneyError as exc:
        raise ExcelArgumentError(f"{_where(name, row)}: {exc}; enter a rate such as 0.2") from None


def whole_arg(
    value: object, name: str, *, row: int | None = None, minimum: int | None = None
) -> int:
    """A whole number (4 and 4.0 are fine, 4.5 is not).

    Raises:
        ExcelArgumentError: blank, not a whole number, or below ``minimum``.
    """
    if is_blank(value):
        raise ExcelArgumentError(f"{_where(name, row)} is blank; enter a whole number")
    try:
        shown = format(value, ".15g") if type(value) is float and math.isfinite(value) else value
        number = coerce(_WHOLE, shown)
    except (CellError, MoneyError) as exc:
        raise ExcelArgumentError(f"{_where(name, row)}: {exc}") from None
    assert isinstance(number, int)
    if minimum is not None and number < minimum:
        raise ExcelArgumentError(f"{_where(name, row)} is {number}; enter {minimum} or more")
    return number


def date_arg(value: object, name: str, *, row: int | None = None) -> dt.date:
    """A date: a date cell, an Excel serial number or text such as 2026-03-31 or 03/31/2026.

    Raises:
        ExcelArgumentError: blank or not a date.
    """
    if is_blank(value):
        raise ExcelArgumentError(f"{_where(name, row)} is blank; enter a date")
    try:
        when = coerce(_DATE, value)
    except CellError as exc:
        raise ExcelArgumentError(f"{_where(name, row)}: {exc}") from None
    assert isinstance(when, dt.datetime)
    return when.date()


def flag_arg(value: object, name: str, *, row: int | None = None) -> bool:
    """TRUE/FALSE (also 1/0, yes/no).

    Raises:
        ExcelArgumentError: anything else.
    """
    try:
        flag = coerce(_FLAG, value)
    except CellError as exc:
        raise ExcelArgumentError(f"{_where(name, row)}: {exc}") from None
    if flag is None:
        raise ExcelArgumentError(f"{_where(name, row)} is blank; enter TRUE or FALSE")
    return bool(flag)


def text_arg(value: object, name: str, *, row: int | None = None) -> str:
    """Text, stripped; a whole number typed in the cell reads without ``.0`` (1001 → "1001").

    Raises:
        ExcelArgumentError: blank.
    """
    text = coerce(_TEXT, value)
    if text is None:
        raise ExcelArgumentError(f"{_where(name, row)} is blank; fill it in")
    return str(text)


# --- results out -----------------------------------------------------------------------------


def number(amount: Decimal) -> float:
    """Money for Excel: a number rounded half-up to the cent."""
    return float(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def shaped(results: Sequence[object], like: Cells) -> object:
    """Per-input results in the input's shape: one value, a column (rows of one) or a row."""
    if like.single and len(results) == 1:
        return results[0]
    if like.across:
        return [list(results)]
    return [[r] for r in results]


def leading(*found: Cells) -> Cells:
    """The argument that gives the results their shape: the first column or row, if any."""
    return next((c for c in found if not c.single), found[0])


def values_or_errors(count: int, compute: Callable[[int], object], *, single: bool) -> list[object]:
    """Like :func:`rows_or_errors` for functions giving one value per input row."""
    rows = rows_or_errors(count, lambda i: [compute(i)], width=1, single=single)
    return [r[0] for r in rows]


def error_row(message: str, width: int) -> list[object]:
    """A result row that could not be computed: the message, then blanks."""
    return [ERROR_PREFIX + message] + [None] * (width - 1)


def rows_or_errors(
    count: int, compute: Callable[[int], list[object]], *, width: int, single: bool
) -> list[list[object]]:
    """``compute(i)`` for each row; a row whose inputs are wrong shows its message instead.

    With ``single`` (one input row) the error is raised, so it shows on the cell.
    """
    out = []
    for i in range(count):
        try:
            out.append(compute(i))
        except PaxlError as exc:
            if single:
                raise
            out.append(error_row(str(exc), width))
    return out


# --- the function wrapper --------------------------------------------------------------------


def _wizard_text(doc: str | None) -> str:
    """The docstring as one paragraph of text, as Excel's function wizard shows it."""
    return " ".join((doc or "").split())


def excel_function(func: _F) -> _F:
    """Make a function an Excel function body: wizard-ready docstring, one kind of error.

    Put it directly above ``def`` (below the ``@xw.arg``/``@xw.ret`` decorators, which read the
    docstring). User errors (:class:`~addin.errors.PaxlError`) come out as ``PaxlError`` with the
    function's Excel name in front; anything else is a bug: logged, and shown as a short message.
    """
    label = func.__name__.upper()

    @functools.wraps(func)
    def run(*args: object, **kwargs: object) -> object:
        try:
            return func(*args, **kwargs)
        except PaxlError as exc:
            raise PaxlError(f"{label}: {exc}") from None
        except Exception:
            logger.exception("%s failed", label)
            raise PaxlError(
                f"{label} failed because of a problem in paxl, not in your data; "
                "the details are in the log. Please report it."
            ) from None

    run.__doc__ = _wizard_text(func.__doc__)
    return run  # type: ignore[return-value]
