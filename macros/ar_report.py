"""The ``AR report`` sheet: the accounts-receivable report's figures, written by Refresh accounts.

The same numbers as the deck (``paxl report``): :func:`addin.reports.figures.report_figures`
(definitions there) laid out as :func:`~addin.reports.figures.report_tables` gives them, so the
sheet, the deck and the ledger agree to the cent. From the top:

* the **headline** — A/R (open items with insurers and with patients), credits, net A/R (the sum
  of every balance), A/R with no aging line, the collections rate and net collection rate over
  the period, and how many payment plans are on track and behind;
* one block per table, in the deck's order: A/R by month-end, aging (patients and insurers),
  charges and collections by month, payments by payer, payments by method, top balances
  (**account IDs only**, no names), payment plans by state.

Money is written as ``Decimal`` dollars under the money format, rates as percentages with one
place (half-up, as the figures round them), counts as integers, IDs and labels as text. Charts
(A/R trend, aging, collections, plans) sit to the right of their blocks where the host has
charts; hosts without them skip them. The name has no ``/``: Excel forbids it in sheet names.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from addin.core.money import from_cents
from addin.core.plan_tracking import PlanState
from addin.reports.figures import FigureTable, ReportFigures, percent, report_tables
from addin.workbook.port import Block, Chart, SheetContent
from macros.layout import DATE, MONEY, TEXT, header_row, labelled_rows, title

__all__ = ["HEADLINE_ROW", "RATE", "SHEET", "ar_report_sheet", "headline"]

SHEET = "AR report"
HEADLINE_ROW = 4
RATE = "0.0"
#: the first column of the charts, right of the widest block (six columns)
CHART_COLUMN = 8
#: rows a chart covers (216 pt at Excel's default 15 pt rows, rounded up): the next block
#: starts below it
CHART_ROWS = 16
#: table name → (chart type, columns charted from the first, title); Total rows are not charted
_CHARTS: dict[str, tuple[str, int, str]] = {
    "ar_trend": ("column_stacked", 3, "A/R by month-end: insurance and patients"),
    "aging": ("column_stacked", 3, "Aging: patients and insurance"),
    "collections": ("column_clustered", 3, "Charges and payments by month"),
    "plans": ("column_clustered", 2, "Payment plans by state"),
}
_RATE_HEADERS = frozenset({"Rate %"})


def headline(figures: ReportFigures) -> tuple[tuple[str, object, str | None], ...]:
    """The headline rows: (label, value, number format); money as Decimal dollars, rates as
    percentages with one place (``None`` without charges), plan counts as int."""
    f, d = figures, from_cents
    c = f.collections
    counts = {g.state: g.count for g in f.plans}
    period = f"{c.start.isoformat()} to {c.end.isoformat()}"
    return (
        ("A/R (open items)", d(f.ar.total), MONEY),
        ("  with insurers", d(f.ar.insurance), MONEY),
        ("  due from patients", d(f.ar.patient), MONEY),
        ("Credits", d(f.ar.credit), MONEY),
        ("Net A/R (sum of balances)", d(f.ar.net), MONEY),
        ("A/R with no aging line", d(f.aging.unaged), MONEY),
        (f"Collections rate % ({period})", percent(c.rate), RATE),
        ("Net collection rate % (after contractual)", percent(c.net_rate), RATE),
        ("Payment plans on track", counts.get(str(PlanState.ON_TRACK), 0), "0"),
        ("Payment plans behind", counts.get(str(PlanState.BEHIND), 0), "0"),
    )


def ar_report_sheet(figures: ReportFigures, *, activate: bool = False) -> SheetContent:
    """The AR report sheet of the figures (layout: module doc)."""
    practice = f"{figures.practice}: " if figures.practice else ""
    blocks: list[Block] = [
        title(1, f"{practice}A/R report as of {figures.as_of.isoformat()}"),
        Block(
            2,
            1,
            (
                (
                    "The same figures as the paxl report deck (README: The report's figures). "
                    "Accounts by ID only. Written by Refresh accounts: do not type here.",
                ),
            ),
        ),
    ]
    rows = headline(figures)
    blocks.extend(labelled_rows(HEADLINE_ROW, rows))
    charts: list[Chart] = []
    row = HEADLINE_ROW + len(rows) + 1
    for table in report_tables(figures):
        blocks.append(title(row, table.title))
        blocks.append(header_row(row + 1, table.header))
        if table.rows:
            blocks.append(Block(row + 2, 1, table.rows, column_formats=_formats(table)))
        else:
            blocks.append(Block(row + 2, 1, (("None in the period.",),)))
        used = 3 + max(len(table.rows), 1)
        chart = _chart(table, row)
        if chart is not None:
            charts.append(chart)
            used = max(used, CHART_ROWS + 1)
        row += used
    widths = ((1, 44), *((c, 14) for c in range(2, 7)))
    return SheetContent(
        SHEET,
        blocks=tuple(blocks),
        column_widths=widths,
        charts=tuple(charts),
        activate=activate,
    )


def _chart(table: FigureTable, row: int) -> Chart | None:
    spec = _CHARTS.get(table.name)
    if spec is None:
        return None
    chart_type, columns, heading = spec
    data = [r for r in table.rows if r[0] != "Total"]
    if not data:
        return None
    return Chart(
        source=(row + 1, 1, 1 + len(data), columns),
        anchor=(row, CHART_COLUMN),
        chart_type=chart_type,
        title=heading,
    )


def _formats(table: FigureTable) -> tuple[str | None, ...]:
    """A number format per column from its header (rates) or its first non-blank value."""
    formats: list[str | None] = []
    for index, name in enumerate(table.header):
        if name in _RATE_HEADERS:
            formats.append(RATE)
            continue
        value = next((r[index] for r in table.rows if r[index] is not None), None)
        formats.append(_format_of(value))
    return tuple(formats)


def _format_of(value: object) -> str | None:
    if isinstance(value, Decimal):
        return MONEY
    if isinstance(value, dt.date):
        return DATE
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "0"
    if isinstance(value, str):
        return TEXT
    return None
