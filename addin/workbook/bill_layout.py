"""Where each field of a patient bill sits on a sheet, and how to draw that sheet with XlsxWriter.

The template's ``BillTemplate`` sheet is drawn by :func:`write_bill` with placeholder values; a
statements renderer that writes bill sheets with XlsxWriter calls the same function with a
statement's values, so the template and the bills cannot drift apart. Renderers working on a live
workbook (xlwings) use :data:`BILL_LAYOUT` — or better, the defined names of the same name on the
rep's own ``BillTemplate`` sheet, which the practice may have restyled.

Geometry (all rows and columns 0-based, as XlsxWriter counts; Excel row = row + 1):

* ``bill_lines`` is the **header cell** of the itemised lines (column A); line *i* (0-based) goes on
  row ``bill_lines.row + 1 + i`` with the columns of :data:`LINE_COLUMNS` from column A;
* the template holds :data:`LINES_CAPACITY` lines; a bill with more lines moves every field below
  the lines down by the extra count (:func:`field_cell` does the arithmetic);
* ``bill_totals`` is the totals cell under the **Charge** column; the totals of the money columns
  (Charge, Insurance paid, Adjustments, Paid by you, You owe) run right from it on the same row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from addin.workbook.schema import BILL_FIELDS
from addin.workbook.xlsx_values import excel_serial

MONEY_FORMAT = '_($* #,##0.00_);_($* (#,##0.00);_($* "-"??_);_(@_)'
DATE_FORMAT = "mm/dd/yyyy"
ACCENT = "#0D47A1"
MUTED = "#6C757D"
SHADE = "#ECF1F8"


@dataclass(frozen=True)
class LineColumn:
    """One column of the itemised lines table."""

    key: str  # the matching field of addin.core.statement.StatementLine
    header: str
    kind: str  # "date", "text" or "money"
    width: float


LINE_COLUMNS: tuple[LineColumn, ...] = (
    LineColumn("service_date", "Service date", "date", 11),
    LineColumn("code", "Code", "text", 8),
    LineColumn("description", "Description", "text", 30),
    LineColumn("charge", "Charge", "money", 11),
    LineColumn("insurance_paid", "Insurance paid", "money", 11),
    LineColumn("adjustments", "Adjustments", "money", 11),
    LineColumn("patient_paid", "Paid by you", "money", 11),
    LineColumn("patient_owes", "You owe", "money", 12),
)
LAST_COL = len(LINE_COLUMNS) - 1
LINES_CAPACITY = 12


@dataclass(frozen=True)
class BillCell:
    """Where one bill field goes: its cell (top-left of a merged block) and how it looks."""

    name: str
    row: int
    col: int
    style: str  # key of bill_formats()
    last_row: int | None = None  # merged block, if any
    last_col: int | None = None
    placeholder: str = ""

    @property
    def merged(self) -> bool:
        return self.last_row is not None


_HEADER_ROW = 13  # the lines' header row (Excel row 14)
_TOTALS_ROW = _HEADER_ROW + LINES_CAPACITY + 1

_CELLS: tuple[BillCell, ...] = (
    BillCell("bill_practice_name", 0, 0, "practice", placeholder="<Practice name>"),
    BillCell("bill_practice_address", 1, 0, "text", placeholder="<Practice address>"),
    BillCell("bill_practice_phone", 2, 0, "phone", placeholder="<Billing phone>"),
    BillCell("bill_guarantor_name", 5, 0, "strong", placeholder="<Guarantor name>"),
    BillCell("bill_address", 6, 0, "block", 8, 2, "<Street address>\n<City, ST ZIP>"),
    BillCell("bill_account", 4, 6, "box_value", 4, 7, "<Account>"),
    BillCell("bill_statement_date", 5, 6, "box_date", 5, 7, "<Statement date>"),
    BillCell("bill_patient_name", 6, 6, "box_value", 6, 7, "<Patient name>"),
    BillCell("bill_due_date", 7, 6, "box_date", 7, 7, "<Due date>"),
    BillCell("bill_amount_due", 8, 6, "box_due", 8, 7, "<Amount due>"),
    BillCell("bill_message", 10, 0, "message", 11, LAST_COL, "<Bill message for the level>"),
    BillCell("bill_lines", _HEADER_ROW, 0, "line_header", placeholder=LINE_COLUMNS[0].header),
    BillCell("bill_totals", _TOTALS_ROW, 3, "total", placeholder="<Totals>"),
    BillCell("bill_previous_balance", _TOTALS_ROW + 2, LAST_COL, "money", placeholder="<Amount>"),
    BillCell("bill_payments_since", _TOTALS_ROW + 3, LAST_COL, "money", placeholder="<Amount>"),
    BillCell(
        "bill_aging", _TOTALS_ROW + 4, 0, "small", _TOTALS_ROW + 4, LAST_COL, "<Aging by bucket>"
    ),
    BillCell(
        "bill_plan_options",
        _TOTALS_ROW + 7,
        0,
        "block",
        _TOTALS_ROW + 9,
        LAST_COL,
        "<Payment plan options>",
    ),
    BillCell(
        "bill_assistance_notice",
        _TOTALS_ROW + 11,
        0,
        "notice",
        _TOTALS_ROW + 12,
        LAST_COL,
        "<Financial assistance notice>",
    ),
    BillCell("bill_remit_to", _TOTALS_ROW + 17, 0, "block", _TOTALS_ROW + 19, 2, "<Remit to>"),
    BillCell("bill_slip_account", _TOTALS_ROW + 16, 6, "slip", _TOTALS_ROW + 16, 7, "<Account>"),
    BillCell(
        "bill_slip_amount_due", _TOTALS_ROW + 17, 6, "slip_due", _TOTALS_ROW + 17, 7, "<Amount>"
    ),
    BillCell("bill_slip_enclosed", _TOTALS_ROW + 18, 6, "slip_entry", _TOTALS_ROW + 18, 7, "$"),
)

#: every bill field → its cell (top-left of a merged block); ``BILL_LAYOUT[name].row/.col``
BILL_CELLS: dict[str, BillCell] = {c.name: c for c in _CELLS}
#: every bill field → ``(row, col)``, 0-based, for a bill with at most LINES_CAPACITY lines
BILL_LAYOUT: dict[str, tuple[int, int]] = {c.name: (c.row, c.col) for c in _CELLS}
#: the last row of the printed page for a bill of at most LINES_CAPACITY lines
LAST_ROW = _TOTALS_ROW + 20

# Fixed labels: (row, col, last_col or None, text, style).
_LABELS: tuple[tuple[int, int, int | None, str, str], ...] = (
    (0, 5, LAST_COL, "PATIENT STATEMENT", "title"),
    (4, 0, None, "Bill to", "muted"),
    (4, 4, 5, "Account number", "box_label"),
    (5, 4, 5, "Statement date", "box_label"),
    (6, 4, 5, "Patient", "box_label"),
    (7, 4, 5, "Payment due by", "box_label"),
    (8, 4, 5, "Amount due", "box_due_label"),
    (_TOTALS_ROW, 0, 2, "Totals", "total_label"),
    (_TOTALS_ROW + 2, 4, LAST_COL - 1, "Previous balance", "label_right"),
    (_TOTALS_ROW + 3, 4, LAST_COL - 1, "Payments since last statement", "label_right"),
    (_TOTALS_ROW + 6, 0, None, "Ways to pay", "section"),
    (
        _TOTALS_ROW + 14,
        0,
        LAST_COL,
        "- - - - - - - - - - - - - - - -  Please detach and return this part with your payment"
        "  - - - - - - - - - - - - - - - -",
        "cut",
    ),
    (_TOTALS_ROW + 16, 0, None, "Make checks payable and mail to:", "strong"),
    (_TOTALS_ROW + 16, 4, 5, "Account number", "slip_label"),
    (_TOTALS_ROW + 17, 4, 5, "Amount due", "slip_label"),
    (_TOTALS_ROW + 18, 4, 5, "Amount enclosed", "slip_label"),
)

assert set(BILL_CELLS) == set(BILL_FIELDS), "every schema bill field has a cell, and only those"


def field_cell(name: str, line_count: int = 0) -> tuple[int, int]:
    """The ``(row, col)`` of a bill field on a bill with ``line_count`` itemised lines.

    Fields below the lines move down by the lines beyond :data:`LINES_CAPACITY`.
    """
    cell = BILL_CELLS[name]
    return cell.row + _shift(cell.row, line_count), cell.col


def _shift(row: int, line_count: int) -> int:
    return max(0, line_count - LINES_CAPACITY) if row >= _TOTALS_ROW else 0


def bill_labels(line_count: int = 0) -> tuple[tuple[int, int, int | None, str, str], ...]:
    """The bill's fixed labels on a bill with ``line_count`` itemised lines, each as
    ``(row, col, last_col or None, text, style)`` (0-based; labels below the lines move down like
    the fields, :func:`field_cell`). Shared by :func:`write_bill` and the live-workbook writer."""
    return tuple(
        (row + _shift(row, line_count), col, last_col, text, style)
        for row, col, last_col, text, style in _LABELS
    )


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


def placeholders() -> dict[str, str]:
    """The template's placeholder text per bill field (``bill_lines`` holds its header)."""
    return {c.name: c.placeholder for c in _CELLS}


def write_bill(
    worksheet: Worksheet,
    formats: Mapping[str, Format],
    values: Mapping[str, object],
    lines: Sequence[Sequence[object]] = (),
    totals: Sequence[object] | None = None,
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
    """
    extra = max(0, len(lines) - LINES_CAPACITY)
    for i, column in enumerate(LINE_COLUMNS):
        worksheet.set_column(i, i, column.width)
    for row, col, last_col, text, style in bill_labels(len(lines)):
        if last_col is None or last_col == col:
            worksheet.write_string(row, col, text, formats[style])
        else:
            worksheet.merge_range(row, col, row, last_col, text, formats[style])
    for cell in _CELLS:
        if cell.name in ("bill_lines", "bill_totals"):
            continue
        shift = _shift(cell.row, len(lines))
        value = values.get(cell.name)
        if cell.merged:
            worksheet.merge_range(
                cell.row + shift,
                cell.col,
                cell.last_row + shift,
                cell.last_col,
                "",
                formats[cell.style],
            )
        _write_value(worksheet, cell.row + shift, cell.col, value, formats[cell.style])
    _write_lines(worksheet, formats, lines)
    _write_totals(worksheet, formats, totals, values.get("bill_totals"), _TOTALS_ROW + extra)
    worksheet.set_row(10, 30)
    worksheet.set_row(11, 30)
    worksheet.set_row(_HEADER_ROW, 24)
    worksheet.hide_gridlines(2)
    worksheet.set_paper(1)  # US Letter
    worksheet.set_portrait()
    worksheet.set_margins(left=0.5, right=0.5, top=0.5, bottom=0.5)
    worksheet.fit_to_pages(1, 0)
    worksheet.print_area(0, 0, LAST_ROW + extra, LAST_COL)


def _write_lines(
    worksheet: Worksheet, formats: Mapping[str, Format], lines: Sequence[Sequence[object]]
) -> None:
    for i, column in enumerate(LINE_COLUMNS):
        style = "line_header_right" if column.kind == "money" else "line_header"
        worksheet.write_string(_HEADER_ROW, i, column.header, formats[style])
    for n in range(max(LINES_CAPACITY, len(lines))):
        row = _HEADER_ROW + 1 + n
        shade = "_shade" if n % 2 else ""
        line = lines[n] if n < len(lines) else None
        for i, column in enumerate(LINE_COLUMNS):
            fmt = formats[f"line_{column.kind}{shade}"]
            _write_value(worksheet, row, i, None if line is None else line[i], fmt)


def _write_totals(
    worksheet: Worksheet,
    formats: Mapping[str, Format],
    totals: Sequence[object] | None,
    placeholder: object,
    row: int,
) -> None:
    money_columns = [i for i, c in enumerate(LINE_COLUMNS) if c.kind == "money"]
    for n, col in enumerate(money_columns):
        value = totals[n] if totals is not None else (placeholder if n == 0 else None)
        _write_value(worksheet, row, col, value, formats["total"])


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
