"""Plain records → the values Excel hands a function for ``Table[#All]``: a header row, then one
list per row, money as floats (as Excel stores numbers), dates as ``datetime`` (Windows desktop)
or as serial numbers (Excel on the web, xlwings Lite/Server), blanks as ``None``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from addin.workbook.schema import table

EXCEL_EPOCH = dt.date(1899, 12, 30)


def serial(day: dt.date) -> float:
    """The Excel serial number of a date (1900 date system)."""
    return float((day - EXCEL_EPOCH).days)


def cell(value: object, *, serial_dates: bool = False) -> object:
    """One value as Excel passes it."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal | int):
        return float(value)
    if isinstance(value, dt.datetime):
        if serial_dates:
            since_midnight = value - dt.datetime.combine(value.date(), dt.time())
            return serial(value.date()) + since_midnight.total_seconds() / 86400
        return value
    if isinstance(value, dt.date):
        return serial(value) if serial_dates else dt.datetime(value.year, value.month, value.day)
    return value


def excel_range(
    records: Sequence[Mapping[str, object]],
    name: str,
    *,
    columns: Sequence[str] | None = None,
    serial_dates: bool = False,
) -> list[list[object]]:
    """``name[#All]`` for these records: the schema header (or ``columns``), then the rows."""
    header = list(columns or table(name).column_names)
    rows: list[list[object]] = [list(header)]
    for record in records:
        rows.append([cell(record.get(c), serial_dates=serial_dates) for c in header])
    return rows
