"""How to draw a patient bill with XlsxWriter, at the places of a :class:`BillLayout`.

The template's ``BillTemplate`` sheet is drawn by :func:`write_bill` with placeholder values and the
standard layout; a statements renderer that writes bill sheets with XlsxWriter calls the same
function with a statement's values and the layout read from the input's ``bill_*`` defined names,
so the template and the bills cannot drift apart. Where each field goes, the growth rule for long
bills and the validation of moved names are in :mod:`addin.workbook.bill_positions` (re-exported
here: :data:`BILL_CELLS`, :data:`BILL_LAYOUT`, :data:`LINE_COLUMNS`, :func:`field_cell`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from addin.workbook.bill_positions import (
    BILL_CELLS,
    BILL_LAYOUT,
    LAST_COL,
    LAST_ROW,
    LINE_COLUMNS,
    LINES_CAPACITY,
    BillCell,
    BillLayout,
    LabelCell,
    LineColumn,
    bill_labels,
    field_cell,
    placeholders,
)
from addin.workbook.xlsx_values import excel_serial

__all__ = [
    "ACCENT",
    "BILL_CELLS",
    "BILL_LAYOUT",
    "DATE_FORMAT",
    "LAST_COL",
    "LAST_ROW",
    "LINES_CAPACITY",
    "LINE_COLUMNS",
    "MONEY_FORMAT",
    "MUTED",
    "SHADE",
    "BillCell",
    "BillLayout",
    "LineColumn",
    "bill_formats",
    "bill_labels",
    "field_cell",
    "placeholders",
    "write_bill",
]

MONEY_FORMAT = '_($* #,##0.00_);_($* (#,##0.00);_($* "-"??_);_(@_)'
DATE_FORMAT = "mm/dd/yyyy"
ACCENT = "#0D47A1"
MUTED = "#6C757D"
SHADE = "#ECF1F8"


def bill_formats(workbook: Workbook) -> dict[str, Format]:
    """The cell formats of a bill sheet; create once per workbook and reuse for every sheet."""
    base = {"font_size": 10, "valign": "top"}
    box = {"bg_color": SHADE}
    specs: dict[str, dict[str, object]] = {
        "text": {},
        "practice": {"bold": True, "font_size": 16, "font_color": ACCENT},
        "title": {"bold": True, "font_size": 14, "font_color": ACCENT, "align": "right"},
        "phone": {"num_format": '"Billing questions: "@'},
        "strong": {"bold": True},
        "muted": {"font_color": MUTED, "font_size": 8},
        "block": {"text_wrap": True},
        "box_label": {**box, "font_size": 9},
        "box_value": {**box, "bold": True, "align": "right"},
        "box_date": {**box, "bold": True, "align": "right", "num_format": DATE_FORMAT},
        "box_due_label": {**box, "bold": True, "font_size": 12, "top": 1},
        "box_due": {
            **box,
            "bold": True,
            "font_size": 12,
            "top": 1,
            "num_format": MONEY_FORMAT,
        },
        "message": {"text_wrap": True, "border": 1, "border_color": ACCENT},
        "line_header": {
            "bold": True,
            "font_size": 8,
            "font_color": "#FFFFFF",
            "bg_color": ACCENT,
            "text_wrap": True,
        },
        "line_header_right": {
            "bold": True,
            "font_size": 8,
            "font_color": "#FFFFFF",
            "bg_color": ACCENT,
            "text_wrap": True,
            "align": "right",
        },
        "line_date": {"font_size": 9, "num_format": DATE_FORMAT, "align": "left"},
        "line_text": {"font_size": 9},
        "line_money": {"font_size": 9, "num_format": MONEY_FORMAT},
        "line_date_shade": {
            "font_size": 9,
            "num_format": DATE_FORMAT,
            "align": "left",
            "bg_color": SHADE,
        },
        "line_text_shade": {"font_size": 9, "bg_color": SHADE},
        "line_money_shade": {"font_size": 9, "num_format": MONEY_FORMAT, "bg_color": SHADE},
        "total_label": {"bold": True, "align": "right", "top": 1},
        "total": {"bold": True, "num_format": MONEY_FORMAT, "top": 1},
        "label_right": {"align": "right"},
        "money": {"num_format": MONEY_FORMAT},
        "small": {"font_size": 8},
        "section": {"bold": True, "font_size": 11, "font_color": ACCENT},
        "notice": {"italic": True, "font_size": 8, "text_wrap": True},
        "cut": {"top": 3, "font_size": 7, "font_color": MUTED, "align": "center"},
        "slip_label": {"border": 1, "font_size": 9},
        "slip": {"border": 1, "bold": True, "align": "right"},
        "slip_due": {"border": 1, "bold": True, "num_format": MONEY_FORMAT},
        "slip_entry": {"border": 2, "bold": True, "font_size": 12},
    }
    return {key: workbook.add_format({**base, **spec}) for key, spec in specs.items()}


def write_bill(
    worksheet: Worksheet,
    formats: Mapping[str, Format],
    values: Mapping[str, object],
    lines: Sequence[Sequence[object]] = (),
    totals: Sequence[object] | None = None,
    layout: BillLayout | None = None,
) -> None:
    """Draw one bill on an empty worksheet: layout, labels, field values, lines and print setup.

    Args:
        worksheet: a new XlsxWriter worksheet.
        formats: from :func:`bill_formats` for the worksheet's workbook.
        values: bill field name → value (text, ``Decimal`` dollars, or a date); a missing field
            is left blank. ``bill_lines`` and ``bill_totals`` are ignored here (see below).
        lines: itemised lines, each a sequence in :data:`LINE_COLUMNS` order (date, code,
            description, then five ``Decimal`` amounts in dollars).
        totals: the five money totals (Charge … You owe); ``None`` leaves the totals row blank.
        layout: where the fields go (a valid :class:`BillLayout`); ``None`` is the standard one.
    """
    layout = BillLayout.standard() if layout is None else layout
    n = len(lines)
    plan = bill_plan(layout, n)
    for col, width in plan.widths:
        worksheet.set_column(col, col, width)
    for row, col, last_col, text, style in plan.labels:
        if last_col is None or last_col == col:
            worksheet.write_string(row, col, text, formats[style])
        else:
            worksheet.merge_range(row, col, row, last_col, text, formats[style])
    for name, (row, col, last_row, last_col), merged, style in plan.fields:
        fmt = formats[style]
        if merged:
            worksheet.merge_range(row, col, last_row, last_col, "", fmt)
        _write_value(worksheet, row, col, values.get(name), fmt)
    _write_lines(worksheet, formats, lines, layout)
    _write_totals(worksheet, formats, totals, values.get("bill_totals"), plan.totals)
    for row in plan.message_rows:
        worksheet.set_row(row, 30)
    worksheet.set_row(layout.lines_row, 24)
    worksheet.hide_gridlines(2)
    worksheet.set_paper(1)  # US Letter
    worksheet.set_portrait()
    worksheet.set_margins(left=0.5, right=0.5, top=0.5, bottom=0.5)
    worksheet.fit_to_pages(1, 0)
    worksheet.print_area(0, 0, *plan.last_cell)


@dataclass(frozen=True)
class BillPlan:
    """Where everything of a bill goes for one layout and line count: what :func:`write_bill`
    draws besides the statement's values, worked out once and reused for every bill alike.

    Attributes:
        widths: ``(column, width)`` of the itemised lines' columns.
        labels: the fixed labels, as :meth:`BillLayout.labels` gives them.
        fields: ``(name, (row, col, last_row, last_col), merged, style)`` of every field drawn
            from ``values`` (all but ``bill_lines`` and ``bill_totals``), in :data:`BILL_CELLS`
            order.
        totals: the ``bill_totals`` cell.
        message_rows: the rows of the bill message (drawn taller).
        last_cell: the last printed cell.
    """

    widths: tuple[tuple[int, float], ...]
    labels: tuple[LabelCell, ...]
    fields: tuple[tuple[str, tuple[int, int, int, int], bool, str], ...]
    totals: tuple[int, int]
    message_rows: tuple[int, ...]
    last_cell: tuple[int, int]


def _new_plan(layout: BillLayout, line_count: int) -> BillPlan:
    first_col = layout.lines_col
    message = layout.block("bill_message", line_count)
    return BillPlan(
        widths=tuple((first_col + i, c.width) for i, c in enumerate(LINE_COLUMNS)),
        labels=layout.labels(line_count),
        fields=tuple(
            (cell.name, layout.block(cell.name, line_count), cell.merged, cell.style)
            for cell in BILL_CELLS.values()
            if cell.name not in ("bill_lines", "bill_totals")
        ),
        totals=layout.cell("bill_totals", line_count),
        message_rows=tuple(range(message[0], message[2] + 1)),
        last_cell=layout.last_cell(line_count),
    )


#: (layout positions, rows the bill grows by) → its plan; a run draws hundreds of bills of one
#: layout, and placing the labels (free-cell search) and fields is the same for each
_PLANS: dict[tuple[tuple[tuple[str, tuple[int, int]], ...], int], BillPlan] = {}


def bill_plan(layout: BillLayout, line_count: int) -> BillPlan:
    """The :class:`BillPlan` of a bill of ``line_count`` lines, worked out once per layout and
    growth (a pure value of both: kept for the process, at most 256 of them)."""
    key = (tuple(sorted(layout.positions.items())), max(0, line_count - LINES_CAPACITY))
    plan = _PLANS.get(key)
    if plan is None:
        plan = _new_plan(layout, line_count)
        if len(_PLANS) < 256:
            _PLANS[key] = plan
    return plan


def placed_labels(layout: BillLayout, line_count: int) -> tuple[LabelCell, ...]:
    """``layout.labels(line_count)``, computed once per layout and growth."""
    return bill_plan(layout, line_count).labels


def _write_lines(
    worksheet: Worksheet,
    formats: Mapping[str, Format],
    lines: Sequence[Sequence[object]],
    layout: BillLayout,
) -> None:
    header, first_col = layout.lines_row, layout.lines_col
    for i, column in enumerate(LINE_COLUMNS):
        style = "line_header_right" if column.kind == "money" else "line_header"
        worksheet.write_string(header, first_col + i, column.header, formats[style])
    plain = [formats[f"line_{column.kind}"] for column in LINE_COLUMNS]
    shaded = [formats[f"line_{column.kind}_shade"] for column in LINE_COLUMNS]
    for n in range(max(LINES_CAPACITY, len(lines))):
        row = header + 1 + n
        row_formats = shaded if n % 2 else plain
        if n < len(lines):
            line = lines[n]
            for i, fmt in enumerate(row_formats):
                _write_value(worksheet, row, first_col + i, line[i], fmt)
        else:  # the template's empty line rows keep their shading
            for i, fmt in enumerate(row_formats):
                worksheet.write_blank(row, first_col + i, None, fmt)


def _write_totals(
    worksheet: Worksheet,
    formats: Mapping[str, Format],
    totals: Sequence[object] | None,
    placeholder: object,
    cell: tuple[int, int],
) -> None:
    row, first = cell
    for n in range(sum(1 for c in LINE_COLUMNS if c.kind == "money")):
        value = totals[n] if totals is not None else (placeholder if n == 0 else None)
        _write_value(worksheet, row, first + n, value, formats["total"])


def _write_value(worksheet: Worksheet, row: int, col: int, value: object, fmt: Format) -> None:
    if value is None:
        worksheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        worksheet.write_string(row, col, value, fmt)
    elif isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        worksheet.write_number(row, col, float(value), fmt)
    elif hasattr(value, "toordinal"):
        worksheet.write_number(row, col, excel_serial(value), fmt)
    else:
        worksheet.write_string(row, col, str(value), fmt)
