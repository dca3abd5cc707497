"""Export cells → typed column values: the formats practice-management exports write.

Exports are text (CSV) or workbook cells in whatever format the other system chose. Each column
is first **read** here — the export's own spellings turned into values the loader understands —
and then typed by :func:`addin.workbook.convert.convert_column`, the loader's own conversion, so
an imported cell means exactly what the same value typed in the workbook would mean:

* dates (US order, month first): ``03/31/2026``, ``3/31/26``, ``03-31-2026``, ``2026-03-31``,
  ``2026/03/31``, ``20260331``, ``Mar 31 2026``, ``Mar 31, 2026``, ``March 31, 2026``,
  ``31-Mar-2026``, each optionally followed by a time (``14:05``, ``2:05 PM``, ``14:05:09``).
  A two-digit year is 20yy, except a date of birth that would then lie after the import date,
  which is 19yy (``3/31/45`` is 1945 for DOB, 2045 elsewhere);
* amounts: ``$1,234.50``, ``1234.5``, ``(45.00)`` and ``45.00-`` (negative), ``-$45.00``. A
  negative amount is kept negative, so the validator reports it ("amounts are entered
  positive"); amounts are never rounded (``12.345`` is refused);
* whole numbers may have thousands separators (``1,000``);
* allowed values match ignoring case, plus the export words of
  :data:`~addin.workbook.column_mapping.VALUE_SYNONYMS` and the mapping file's ``values``
  (``VISA`` → Card, ``Self Pay`` → Patient, ``Primary`` → 1).

A cell that still does not fit is blank in the result and reported with its index (no value in
the message), like the loader's ``wrong_type``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence

from addin.workbook.column_mapping import normalise_value
from addin.workbook.convert import TypeProblem, convert_column
from addin.workbook.schema import Column, ColumnType

#: date layouts tried in order; ``%y`` ones get the two-digit-year rule of the module doc
DATE_FORMATS = (
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%m-%d-%y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%b %d %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%B %d, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %Y",
)
TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", "T%H:%M:%S", "T%H:%M")
_SPACES = re.compile(r"\s+")
_EIGHT_DIGITS = re.compile(r"^\d{8}$")
_TRAILING_MINUS = re.compile(r"^\(?\$?\s*[\d,]*\.?\d+\s*-$")


def read_column(
    column: Column,
    values: Sequence[object],
    *,
    value_map: Mapping[str, str] | None = None,
    as_of: dt.date,
) -> tuple[object, list[TypeProblem]]:
    """Type one column of export cells (rules in the module doc).

    Args:
        column: the schema column the cells go into.
        values: the export's cells (text from a CSV; numbers, dates or text from a workbook;
            ``""``/``None`` blank).
        value_map: export word (normalised by
            :func:`~addin.workbook.column_mapping.normalise_value`) → paxl value.
        as_of: the import date (for the two-digit-year rule of dates of birth).

    Returns:
        What :func:`~addin.workbook.convert.convert_column` returns: typed values and problems.
    """
    kind = column.type
    if kind in (ColumnType.DATE, ColumnType.DATETIME):
        past = column.name == "DOB"
        values = [read_date(v, as_of=as_of, past=past) if isinstance(v, str) else v for v in values]
    elif kind is ColumnType.MONEY:
        values = [read_amount(v) if isinstance(v, str) else v for v in values]
    if value_map:
        values = [value_map.get(normalise_value(v), v) if isinstance(v, str) else v for v in values]
    return convert_column(column, values)


def read_amount(text: str) -> str:
    """An amount as the exact reader takes it: ``"45.00-"`` → ``"-45.00"``; others unchanged."""
    cleaned = text.strip()
    if _TRAILING_MINUS.match(cleaned):
        return "-" + cleaned[:-1].strip()
    return cleaned


def read_date(text: str, *, as_of: dt.date, past: bool = False) -> dt.datetime | str:
    """A date (and time) in a US export format, or the text unchanged when it is none of them.

    Args:
        text: the cell's text.
        as_of: the import date.
        past: the date cannot be after ``as_of`` (a date of birth): a two-digit year that would
            put it there means 19yy.
    """
    parsed = _parse_date(_SPACES.sub(" ", text.strip()), as_of, past)
    return text if parsed is None else parsed


@functools.lru_cache(maxsize=4096)
def _parse_date(cleaned: str, as_of: dt.date, past: bool) -> dt.datetime | None:
    """Exports repeat the same dates on many rows: each distinct text is parsed once."""
    if not cleaned:
        return None
    times = TIME_FORMATS[1:] if ":" in cleaned else ("",)
    for date_format in DATE_FORMATS:
        if date_format == "%Y%m%d" and not _EIGHT_DIGITS.match(cleaned[:8]):
            continue
        for time_format in times:
            try:
                parsed = dt.datetime.strptime(cleaned, date_format + time_format)
            except ValueError:
                continue
            if "%y" in date_format:
                try:
                    parsed = parsed.replace(year=2000 + parsed.year % 100)
                    if past and parsed.date() > as_of:
                        parsed = parsed.replace(year=parsed.year - 100)
                except ValueError:  # 29 February of a year that has none
                    return None
            return parsed
    return None
