"""Building the output sheets macros write: names, number formats, titles, findings, row links.

Output sheets (vouchers, options, schedules, summaries, findings) are plain sheets paxl replaces
whole each time (:class:`~addin.workbook.port.SheetContent`); they never hold data tables. Values
are plain Python: money as ``Decimal`` dollars, dates as ``date``.

**Row links.** A findings row links to the row it is about with an Excel ``HYPERLINK`` formula
written as the cell's value (``=HYPERLINK("#'Charges'!A12","Charges row 12")``). Excel desktop,
Excel on the web and xlwings Lite/Server all turn a value starting with ``=`` into a formula, so
no host-specific API is needed; a host that kept it as text would show the formula, not break.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal

from addin.core.findings import Finding, Severity, sort_findings
from addin.core.money import from_cents
from addin.workbook import cells
from addin.workbook.port import Block, SheetContent
from addin.workbook.schema import ColumnType
from addin.workbook.template import NUMBER_FORMATS

MONEY = NUMBER_FORMATS[ColumnType.MONEY]
DATE = NUMBER_FORMATS[ColumnType.DATE]
DATETIME = NUMBER_FORMATS[ColumnType.DATETIME]
TEXT = NUMBER_FORMATS[ColumnType.TEXT]
HEADER_FILL = "#DDEBF7"
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(prefix: str, ident: str) -> str:
    """An Excel-valid sheet name ``"<prefix> <ident>"`` (at most 31 characters, without
    ``[]:*?/\\``), e.g. ``sheet_name("Refund", "P000123")`` → ``"Refund P000123"``."""
    name = _BAD_SHEET_CHARS.sub("-", f"{prefix} {ident}".strip()).strip("'")
    return name[:MAX_SHEET_NAME].rstrip("'")


def dollars(cents: object) -> Decimal | None:
    """Integer cents (a typed frame's money) as ``Decimal`` dollars; blank → ``None``."""
    if cents is None:
        return None
    try:
        return from_cents(int(cents))  # type: ignore[call-overload]
    except (TypeError, ValueError):  # pandas NA
        return None


def day(value: object) -> dt.date | None:
    """A typed date (``Timestamp``/``datetime``/``date``) as a ``date``; blank → ``None``."""
    if value is None:
        return None
    try:
        if value != value:  # NaT
            return None
    except TypeError:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    to_date = getattr(value, "date", None)
    return to_date() if callable(to_date) else None


def title(row: int, text: str) -> Block:
    """A bold one-cell title."""
    return Block(row, 1, ((text,),), bold=True)


def header_row(row: int, names: Sequence[str], column: int = 1) -> Block:
    """A bold, shaded header row."""
    return Block(row, column, (tuple(names),), bold=True, fill=HEADER_FILL)


def labelled_rows(row: int, pairs: Sequence[tuple[str, object, str | None]]) -> tuple[Block, ...]:
    """Label/value rows from ``row`` down, each value with its number format (``None``: none)."""
    return tuple(
        Block(row + i, 1, ((label, value),), column_formats=(None, fmt))
        for i, (label, value, fmt) in enumerate(pairs)
    )


def link(sheet: str | None, row: int | None, column: int = 1) -> str | None:
    """An Excel formula linking to ``sheet`` row ``row`` (``None`` without a sheet or row)."""
    if not sheet or not row:
        return None
    quoted = sheet.replace("'", "''")
    target = f"#'{quoted}'!{cells.column_letters(column)}{row}"
    text = f"{sheet} row {row}"
    return f'=HYPERLINK("{_quoted(target)}","{_quoted(text)}")'


def _quoted(text: str) -> str:
    return text.replace('"', '""')


FINDING_HEADER = ("Severity", "Problem", "Fix", "Sheet", "Row", "Column", "IDs", "Code", "Go to")
FINDING_FORMATS = (None, None, None, TEXT, "0", TEXT, TEXT, TEXT, None)
FINDING_WIDTHS = ((1, 10), (2, 70), (3, 60), (4, 14), (5, 7), (6, 14), (7, 24), (8, 22), (9, 22))


def findings_sheet(name: str, heading: str, findings: Sequence[Finding]) -> SheetContent:
    """A findings sheet: a title, a count line, then one row per finding, worst first, with a
    link to the row it is about. No findings → a "No problems found" line."""
    ordered = sort_findings(list(findings))
    counts = {s: sum(1 for f in ordered if f.severity == s) for s in Severity}
    summary = (
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} note(s); worst first. Fix errors before billing."
    )
    blocks = [title(1, heading), Block(2, 1, ((summary,),))]
    if not ordered:
        blocks.append(Block(4, 1, (("No problems found.",),), bold=True))
    else:
        blocks.append(header_row(4, FINDING_HEADER))
        rows = tuple(
            (
                str(f.severity),
                f.message,
                f.fix or None,
                f.sheet,
                f.row,
                f.column,
                ", ".join(f.ids) or None,
                f.code,
                link(f.sheet, f.row),
            )
            for f in ordered
        )
        blocks.append(Block(5, 1, rows, column_formats=FINDING_FORMATS))
    return SheetContent(name, blocks=tuple(blocks), column_widths=FINDING_WIDTHS)
