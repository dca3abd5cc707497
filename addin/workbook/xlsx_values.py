"""Plain Python values → what XlsxWriter stores in a cell (the file adapter's one conversion).

Money and rates arrive as ``Decimal`` (or ``int``/``float``/text) and are stored as Excel numbers;
dates and datetimes are stored as Excel serial numbers (days since 1899-12-30, the 1900 date
system) under a date number format. Nothing here rounds: a ``Decimal`` with two places becomes the
nearest binary double, which reads back exactly through :func:`addin.core.money.to_decimal`.
"""

from __future__ import annotations

import datetime as dt

_EPOCH_ORDINAL = dt.date(1899, 12, 30).toordinal()
_SECONDS_PER_DAY = 86400.0
#: Excel's 1900 date system is wrong before 1900-03-01 (it counts a 29 February 1900).
FIRST_SAFE_DATE = dt.date(1900, 3, 1)


def excel_serial(value: dt.date) -> float | int:
    """The Excel serial number of a date (whole days) or datetime (fraction of a day = time).

    A timezone-aware datetime is written as its wall-clock time (Excel has no time zones).

    Raises:
        ValueError: for dates before 1900-03-01, which the 1900 date system cannot store exactly.
    """
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < FIRST_SAFE_DATE:
        raise ValueError(f"{value!r} is before 1900-03-01; Excel cannot store it as a date")
    days = value.toordinal() - _EPOCH_ORDINAL
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return days + (seconds + value.microsecond / 1e6) / _SECONDS_PER_DAY
    return days


def parse_iso_date(text: str) -> dt.date | dt.datetime | None:
    """``"2026-03-31"`` → a date, ``"2026-03-31 14:05"`` → a datetime; anything else → ``None``."""
    text = text.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None
