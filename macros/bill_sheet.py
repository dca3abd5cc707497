"""A patient bill as an output sheet of the open workbook (``Bill <PatientID>``), through the port.

The bill is laid out exactly as the headless bill workbooks, at the places of a
:class:`~addin.workbook.bill_positions.BillLayout` — the one the open workbook's ``bill_*`` names
mark on its ``BillTemplate`` (:func:`bill_layout_on`), so a rep's moved fields are honoured — with
the same labels and line columns; many lines grow the itemised table and move everything below
it down, and says
exactly what they say (:mod:`addin.bills.sheet`: the field values, the itemised lines, the note
under the totals). Only the styling differs: the port writes values with number formats, bold and
a fill colour, the formatting every xlwings host implements, so a bill here has no merged cells,
borders or font sizes. Text blocks (address, remit-to, plan options, messages) are spread one line
per row over their block's rows instead of relying on wrapped text.

Renderers compute nothing: every figure comes from the :class:`~addin.core.statement.Statement`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

from addin.bills.sheet import bill_values, line_values, pending_note
from addin.core.statement import Statement
from addin.workbook.bill_layout import (
    BILL_CELLS,
    DATE_FORMAT,
    LAST_COL,
    LINE_COLUMNS,
    MONEY_FORMAT,
    SHADE,
)
from addin.workbook.bill_positions import BILL_LAYOUT, BILL_SHEET, BillLayout, checked_layout
from addin.workbook.port import Block, SheetContent, WorkbookPort
from macros.layout import HEADER_FILL, TEXT

#: style of bill_layout → (number format, bold, fill) the port can apply
STYLES: dict[str, tuple[str | None, bool, str | None]] = {
    "practice": (None, True, None),
    "title": (None, True, None),
    "final_title": (None, True, None),
    "text": (None, False, None),
    "phone": ('"Billing questions: "@', False, None),
    "strong": (None, True, None),
    "muted": (None, False, None),
    "block": (TEXT, False, None),
    "box_label": (None, False, SHADE),
    "box_value": (TEXT, True, SHADE),
    "box_date": (DATE_FORMAT, True, SHADE),
    "box_due_label": (None, True, SHADE),
    "box_due": (MONEY_FORMAT, True, SHADE),
    "message": (None, False, None),
    "line_header": (None, True, HEADER_FILL),
    "total_label": (None, True, None),
    "total": (MONEY_FORMAT, True, None),
    "label_right": (None, False, None),
    "money": (MONEY_FORMAT, False, None),
    "small": (None, False, None),
    "section": (None, True, None),
    "notice": (None, False, None),
    "note": (None, False, None),
    "cut": (None, False, None),
    "slip_label": (None, False, None),
    "slip": (TEXT, True, None),
    "slip_due": (MONEY_FORMAT, True, None),
    "slip_entry": (None, True, None),
}
LINE_FORMATS = tuple(
    {"date": DATE_FORMAT, "money": MONEY_FORMAT}.get(c.kind, TEXT if c.key == "code" else None)
    for c in LINE_COLUMNS
)
#: characters per row of a long text (message, notice) across the bill's width
TEXT_WIDTH = 115
#: the column a long list continues in, from its block's first (4: E on the standard bill)
SECOND_COLUMN = 4
FINAL_TITLE = "FINAL NOTICE"
TITLE_TEXT = "PATIENT STATEMENT"

Cell = tuple[int, int]


def bill_layout_on(port: WorkbookPort) -> tuple[BillLayout, tuple[str, ...]]:
    """Where the open workbook's ``bill_*`` names put each bill field, and notes for the rep
    (:func:`~addin.workbook.bill_positions.checked_layout`).

    Raises:
        PaxlError: a ``bill_*`` name is unusable, naming it and what to fix.
    """
    sheet = next((s for s in port.sheet_names() if s.casefold() == BILL_SHEET.casefold()), None)
    references = port.name_references(BILL_LAYOUT) if sheet is not None else {}
    return checked_layout(references, sheet, "this workbook")


def bill_sheet(
    statement: Statement,
    name: str,
    *,
    activate: bool = True,
    layout: BillLayout | None = None,
) -> SheetContent:
    """The bill of ``statement`` as the sheet ``name`` at the places of ``layout`` (standard
    if ``None``; see the module doc)."""
    layout = BillLayout.standard() if layout is None else layout
    lines = line_values(statement)
    n = len(lines)
    cells: dict[Cell, tuple[object, str]] = {}
    for row, col, _, text, style in layout.labels(n):
        if text == TITLE_TEXT and statement.final_notice:
            text, style = FINAL_TITLE, "final_title"
        cells[(row, col)] = (text, style)
    for field, value in bill_values(statement).items():
        _place(cells, field, value, layout.block(field, n))
    totals_row, totals_col = layout.cell("bill_totals", n)
    header_row, first_col = layout.lines_row, layout.lines_col
    note = pending_note(statement)
    if note:
        cells[(totals_row + 1, first_col)] = (note, "note")
    blocks = list(_runs(cells))
    headers = [tuple(c.header for c in LINE_COLUMNS)]
    blocks.append(_block(header_row, first_col, headers, "line_header"))
    if lines:
        blocks.append(
            Block(header_row + 2, first_col + 1, tuple(lines), column_formats=LINE_FORMATS)
        )
    blocks.append(_block(totals_row, totals_col, [statement.line_totals], "total"))
    # no wrapped header text here: a column is at least as wide as its header
    widths = tuple(
        (first_col + i + 1, float(max(c.width, len(c.header) + 2)))
        for i, c in enumerate(LINE_COLUMNS)
    )
    return SheetContent(name, blocks=tuple(blocks), column_widths=widths, activate=activate)


def _place(
    cells: dict[Cell, tuple[object, str]],
    field: str,
    value: object,
    block: tuple[int, int, int, int],
) -> None:
    """Put one field's value in its block (``row, col, last_row, last_col``); text of a
    multi-row block one line per row.

    A list (text with line breaks, e.g. the plan options) longer than its block continues in a
    second column (E on the standard bill) of a block as wide as the bill; prose (the message,
    the notice) is broken at words to the bill's width; what still does not fit shares the
    block's last row.
    """
    if value is None or value == "":
        return
    style = BILL_CELLS[field].style
    row, col, last_row, last_col = block
    rows = last_row - row + 1
    if not isinstance(value, str) or (rows == 1 and "\n" not in value):
        cells[(row, col)] = (value, style)
        return
    wide = last_col - col == LAST_COL
    parts = [line for line in value.split("\n") if line.strip()]
    listed = len(parts) > 1
    if wide and not listed:
        parts = textwrap.wrap(value, TEXT_WIDTH)
    columns = [col]
    if wide and listed and len(parts) > rows:
        columns.append(col + SECOND_COLUMN)
    room = rows * len(columns)
    if len(parts) > room:
        parts = [*parts[: room - 1], " ".join(parts[room - 1 :])]
    for i, part in enumerate(parts):
        cells[(row + i % rows, columns[i // rows])] = (part, style)


def _runs(cells: Mapping[Cell, tuple[object, str]]) -> Iterable[Block]:
    """One block per run of adjacent cells of a row that share a style."""
    by_row: dict[int, list[tuple[int, object, str]]] = {}
    for (row, col), (value, style) in cells.items():
        by_row.setdefault(row, []).append((col, value, style))
    for row in sorted(by_row):
        run: list[object] = []
        start, style = -1, ""
        for col, value, cell_style in sorted(by_row[row], key=lambda c: c[0]):
            if run and cell_style == style and col == start + len(run):
                run.append(value)
                continue
            if run:
                yield _block(row, start, [tuple(run)], style)
            run, start, style = [value], col, cell_style
        if run:
            yield _block(row, start, [tuple(run)], style)


def _block(row: int, col: int, values: list[tuple[object, ...]], style: str) -> Block:
    """A block at 0-based (row, col) in a bill_layout style."""
    number_format, bold, fill = STYLES[style]
    return Block(row + 1, col + 1, tuple(values), number_format=number_format, bold=bold, fill=fill)


__all__ = ["bill_layout_on", "bill_sheet"]
