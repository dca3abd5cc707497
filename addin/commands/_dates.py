"""Argument types for dates and moments on the command line (``type=`` of ``add_argument``)."""

from __future__ import annotations

import argparse
import datetime as dt


def iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD (surrounding spaces ignored).

    Raises:
        argparse.ArgumentTypeError: not such a date; argparse prints it and exits 2.
    """
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-15"
        ) from None


def iso_moment(text: str) -> dt.datetime | dt.date:
    """A date and time (``2026-11-15T10:30``, optionally with an offset) or a date alone.

    Naive times are returned naive: the command decides their zone (practice time).

    Raises:
        argparse.ArgumentTypeError: neither; argparse prints it and exits 2.
    """
    value = text.strip()
    try:
        if "T" in value or " " in value:
            return dt.datetime.fromisoformat(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date or time like 2026-11-15 or 2026-11-15T10:30"
        ) from None
