"""Where each field of a patient bill sits: the standard layout and a rep's moved ``bill_*`` names.

A practice restyles its bill in Excel by moving the ``bill_*`` defined names on its
``BillTemplate`` sheet; :class:`BillLayout` is that placement as a pure value, read from the names'
references (:meth:`BillLayout.from_names`) or the standard one the template is built with
(:meth:`BillLayout.standard`). Both bill writers (XlsxWriter and the live workbook) draw from it.

Geometry (all rows and columns 0-based, as XlsxWriter counts; Excel row = row + 1):

* every field is one cell (the top-left of its block: a merged or multi-row block keeps its
  standard size where it moves);
* ``bill_lines`` is the **header cell** of the itemised lines; line *i* (0-based) goes on row
  ``lines_row + 1 + i`` with the columns of :data:`LINE_COLUMNS` from the ``bill_lines`` column;
* the template holds :data:`LINES_CAPACITY` lines. **Growth rule**: a bill with more lines moves
  every field and label whose row is *below the last template line row*
  (``lines_row + LINES_CAPACITY``) down by the extra line count; fields above or beside the
  table stay (:meth:`BillLayout.cell`);
* ``bill_totals`` is the totals cell under the **Charge** column; the five money totals run right
  from it, and the row under it holds the bill's note; it must be below the lines;
* each fixed label (e.g. "Amount due") belongs to a field and moves by the same offset as it;
  where that falls off the sheet or onto another field it goes in the one cell left of its
  field, else the one above; with no room there either it is left out (with a warning).

Validation (:meth:`BillLayout.from_names`): every name must point at one cell of BillTemplate,
no two fields' blocks may overlap, and no field may sit inside the itemised lines or totals
(errors, naming the defined name and what to fix); a missing name falls back to the standard
position (a warning).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from addin.core.findings import Finding, Severity
from addin.errors import PaxlError
from addin.workbook.schema import BILL_FIELDS

BILL_SHEET = "BillTemplate"


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
#: money totals written right from ``bill_totals`` (Charge … You owe)
TOTALS_COUNT = sum(1 for c in LINE_COLUMNS if c.kind == "money")


@dataclass(frozen=True)
class BillCell:
    """Where one bill field goes: its cell (top-left of a merged block) and how it looks."""

    name: str
    row: int
    col: int
    style: str  # key of bill_layout.bill_formats()
    last_row: int | None = None  # merged block, if any
    last_col: int | None = None
    placeholder: str = ""

    @property
    def merged(self) -> bool:
        return self.last_row is not None

    @property
    def height(self) -> int:
        """Rows of the block (1 for a single cell)."""
        return 1 if self.last_row is None else self.last_row - self.row + 1

    @property
    def width(self) -> int:
        """Columns of the block (1 for a single cell)."""
        return 1 if self.last_col is None else self.last_col - self.col + 1


_HEADER_ROW = 13  # the lines' header row (Excel row 14)
_TOTALS_ROW = _HEADER_ROW + LINES_CAPACITY + 1
T = _TOTALS_ROW

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
    BillCell("bill_totals", T, 3, "total", placeholder="<Totals>"),
    BillCell("bill_previous_balance", T + 2, LAST_COL, "money", placeholder="<Amount>"),
    BillCell("bill_payments_since", T + 3, LAST_COL, "money", placeholder="<Amount>"),
    BillCell("bill_aging", T + 4, 0, "small", T + 4, LAST_COL, "<Aging by bucket>"),
    BillCell("bill_plan_options", T + 7, 0, "block", T + 9, LAST_COL, "<Payment plan options>"),
    BillCell(
        "bill_assistance_notice",
        T + 11,
        0,
        "notice",
        T + 12,
        LAST_COL,
        "<Financial assistance notice>",
    ),
    BillCell("bill_remit_to", T + 17, 0, "block", T + 19, 2, "<Remit to>"),
    BillCell("bill_slip_account", T + 16, 6, "slip", T + 16, 7, "<Account>"),
    BillCell("bill_slip_amount_due", T + 17, 6, "slip_due", T + 17, 7, "<Amount>"),
    BillCell("bill_slip_enclosed", T + 18, 6, "slip_entry", T + 18, 7, "$"),
)

#: every bill field → its standard cell (top-left of a merged block), styles and block size
BILL_CELLS: dict[str, BillCell] = {c.name: c for c in _CELLS}
#: every bill field → standard ``(row, col)``, 0-based, for a bill with at most LINES_CAPACITY lines
BILL_LAYOUT: dict[str, tuple[int, int]] = {c.name: (c.row, c.col) for c in _CELLS}
#: the last row of the printed page for a standard bill of at most LINES_CAPACITY lines
LAST_ROW = T + 20


@dataclass(frozen=True)
class BillLabel:
    """A fixed label of the bill; ``anchor`` is the field it moves with (``None``: never moves)."""

    row: int
    col: int
    last_col: int | None
    text: str
    style: str
    anchor: str | None


_CUT = (
    "- - - - - - - - - - - - - - - -  Please detach and return this part with your payment"
    "  - - - - - - - - - - - - - - - -"
)
_LABELS: tuple[BillLabel, ...] = (
    BillLabel(0, 5, LAST_COL, "PATIENT STATEMENT", "title", None),
    BillLabel(4, 0, None, "Bill to", "muted", "bill_guarantor_name"),
    BillLabel(4, 4, 5, "Account number", "box_label", "bill_account"),
    BillLabel(5, 4, 5, "Statement date", "box_label", "bill_statement_date"),
    BillLabel(6, 4, 5, "Patient", "box_label", "bill_patient_name"),
    BillLabel(7, 4, 5, "Payment due by", "box_label", "bill_due_date"),
    BillLabel(8, 4, 5, "Amount due", "box_due_label", "bill_amount_due"),
    BillLabel(T, 0, 2, "Totals", "total_label", "bill_totals"),
    BillLabel(T + 2, 4, LAST_COL - 1, "Previous balance", "label_right", "bill_previous_balance"),
    BillLabel(
        T + 3,
        4,
        LAST_COL - 1,
        "Payments since last statement",
        "label_right",
        "bill_payments_since",
    ),
    BillLabel(T + 6, 0, None, "Ways to pay", "section", "bill_plan_options"),
    BillLabel(T + 14, 0, LAST_COL, _CUT, "cut", "bill_remit_to"),
    BillLabel(T + 16, 0, None, "Make checks payable and mail to:", "strong", "bill_remit_to"),
    BillLabel(T + 16, 4, 5, "Account number", "slip_label", "bill_slip_account"),
    BillLabel(T + 17, 4, 5, "Amount due", "slip_label", "bill_slip_amount_due"),
    BillLabel(T + 18, 4, 5, "Amount enclosed", "slip_label", "bill_slip_enclosed"),
)

assert set(BILL_CELLS) == set(BILL_FIELDS), "every schema bill field has a cell, and only those"

Rect = tuple[int, int, int, int]  # first row, first col, last row, last col (inclusive)
LabelCell = tuple[int, int, int | None, str, str]  # row, col, last_col or None, text, style

_REFERENCE = re.compile(
    r"^=?(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!]+))!"
    r"\$?(?P<col>[A-Za-z]{1,3})\$?(?P<row>\d+)(?P<range>:\$?[A-Za-z]{1,3}\$?\d+)?$"
)
_MAX_ROW, _MAX_COL = 1_048_575, 16_383


@dataclass(frozen=True)
class BillLayout:
    """Field → ``(row, col)`` (0-based) for a bill of at most :data:`LINES_CAPACITY` lines.

    Build with :meth:`standard` or :meth:`from_names`; ask :meth:`cell`, :meth:`block` and
    :meth:`labels` for the places on a bill with a given number of lines.
    """

    positions: Mapping[str, tuple[int, int]]

    @classmethod
    def standard(cls) -> BillLayout:
        """The template's own layout (:data:`BILL_LAYOUT`)."""
        return _STANDARD

    @classmethod
    def from_names(
        cls, names: Mapping[str, str | None], sheet: str = BILL_SHEET
    ) -> tuple[BillLayout, tuple[Finding, ...]]:
        """The layout the ``bill_*`` defined names mark, and the problems with them.

        Args:
            names: defined name (any case) → what it refers to, e.g. ``"=BillTemplate!$G$9"``;
                other names are ignored, a missing or ``None`` one keeps its standard cell.
            sheet: the bill template sheet the names must point at.

        Returns:
            The layout (standard cells where a name is missing or unusable) and findings:
            errors for a name on another sheet, on a range, on a deleted cell, or a field
            overlapping another field or the itemised lines; warnings for a missing name and
            for a label left out because its field moved where the label has no room.
        """
        folded = {key.casefold(): value for key, value in names.items()}
        positions: dict[str, tuple[int, int]] = {}
        findings: list[Finding] = []
        for cell in _CELLS:
            place, problem = _parse(cell.name, folded.get(cell.name), sheet)
            if problem is not None:
                findings.append(problem)
            positions[cell.name] = place if place is not None else (cell.row, cell.col)
        layout = cls(MappingProxyType(positions))
        findings.extend(layout._overlaps(sheet))
        if not any(f.severity == Severity.ERROR for f in findings):
            findings.extend(layout._dropped_labels(sheet))
        return layout, tuple(findings)

    # --- geometry -------------------------------------------------------------------------

    @property
    def is_standard(self) -> bool:
        return dict(self.positions) == BILL_LAYOUT

    @property
    def lines_row(self) -> int:
        """The row of the lines' header."""
        return self.positions["bill_lines"][0]

    @property
    def lines_col(self) -> int:
        """The column of the lines' first column (Service date)."""
        return self.positions["bill_lines"][1]

    def shift(self, row: int, line_count: int) -> int:
        """Rows a field or label on ``row`` moves down on a bill of ``line_count`` lines: the
        lines beyond :data:`LINES_CAPACITY` when ``row`` is below the template's last line row."""
        below = row > self.lines_row + LINES_CAPACITY
        return max(0, line_count - LINES_CAPACITY) if below else 0

    def cell(self, name: str, line_count: int = 0) -> tuple[int, int]:
        """The ``(row, col)`` of field ``name`` on a bill of ``line_count`` lines."""
        row, col = self.positions[name]
        return row + self.shift(row, line_count), col

    def block(self, name: str, line_count: int = 0) -> Rect:
        """The cells field ``name`` covers: ``(row, col, last_row, last_col)``, its standard
        block's size from its cell, on a bill of ``line_count`` lines."""
        row, col = self.cell(name, line_count)
        cell = BILL_CELLS[name]
        return row, col, row + cell.height - 1, col + cell.width - 1

    def labels(self, line_count: int = 0) -> tuple[LabelCell, ...]:
        """The fixed labels, each ``(row, col, last_col or None, text, style)``, moved with
        their field; a label with no room where its field moved is left out."""
        return tuple(
            (rect[0] + self.shift(rect[0], line_count), rect[1], last_col, label.text, label.style)
            for label, rect, last_col in self._placed_labels()
        )

    def last_cell(self, line_count: int = 0) -> tuple[int, int]:
        """The last printed ``(row, col)`` of a bill of ``line_count`` lines."""
        extra = max(0, line_count - LINES_CAPACITY)
        rects = [self.block(name, line_count) for name in self.positions]
        rects.append(self._table(line_count))
        last_row = max([LAST_ROW + extra, *(r[2] for r in rects)])
        return last_row, max([LAST_COL, *(r[3] for r in rects)])

    # --- checks -----------------------------------------------------------------------------

    def _table(self, line_count: int = 0) -> Rect:
        """The itemised lines (header and rows)."""
        rows = max(LINES_CAPACITY, line_count)
        return self.lines_row, self.lines_col, self.lines_row + rows, self.lines_col + LAST_COL

    def _totals(self) -> Rect:
        """The totals row and the note row under it, across the totals and the lines' width."""
        row, col = self.positions["bill_totals"]
        first = min(col, self.lines_col)
        last = max(col + TOTALS_COUNT - 1, self.lines_col + LAST_COL)
        return row, first, row + 1, last

    def _field_rects(self) -> dict[str, Rect]:
        rects = {name: self.block(name) for name in self.positions}
        rects["bill_lines"] = self._table()
        rects["bill_totals"] = self._totals()
        return rects

    def _overlaps(self, sheet: str) -> list[Finding]:
        rects = self._field_rects()
        findings = []
        totals_row = self.positions["bill_totals"][0]
        if totals_row <= self.lines_row + LINES_CAPACITY:
            findings.append(
                _error(
                    "bill_totals",
                    sheet,
                    self.positions["bill_totals"],
                    "is not below the itemised lines",
                    f"point it at a cell in row {self.lines_row + LINES_CAPACITY + 2} or lower",
                )
            )
        names = list(rects)
        for i, name in enumerate(names):
            for other in names[i + 1 :]:
                if not _overlap(rects[name], rects[other]):
                    continue
                # blame the field the rep moved (the later one when both moved)
                stays = self._at_standard(other)
                moved, hit = (
                    (name, other) if stays and not self._at_standard(name) else (other, name)
                )
                findings.append(
                    _error(
                        moved,
                        sheet,
                        self.positions[moved],
                        f"overlaps {hit} ({_what(hit)})",
                        f"point {moved} at a free cell outside {_range(rects[hit])}",
                    )
                )
        return findings

    def _at_standard(self, name: str) -> bool:
        return self.positions[name] == BILL_LAYOUT[name]

    def _placed_labels(self) -> list[tuple[BillLabel, Rect, int | None]]:
        fields = self._field_rects()
        placed: list[tuple[BillLabel, Rect, int | None]] = []
        for label in _LABELS:
            dr, dc = self._offset(label.anchor)
            last = label.col if label.last_col is None else label.last_col
            taken = [r for n, r in fields.items() if n != label.anchor] + [p[1] for p in placed]
            moved = (label.row + dr, label.col + dc, label.row + dr, last + dc)
            if _free(moved, taken):
                placed.append((label, moved, None if label.last_col is None else moved[3]))
            elif label.anchor is not None:  # one cell left of its field, else above it
                row, col = self.positions[label.anchor]
                for rect in ((row, col - 1, row, col - 1), (row - 1, col, row - 1, col)):
                    if _free(rect, [*taken, fields[label.anchor]]):
                        placed.append((label, rect, None))
                        break
        return placed

    def _offset(self, anchor: str | None) -> tuple[int, int]:
        if anchor is None:
            return 0, 0
        row, col = self.positions[anchor]
        return row - BILL_CELLS[anchor].row, col - BILL_CELLS[anchor].col

    def _dropped_labels(self, sheet: str) -> list[Finding]:
        kept = {id(label) for label, _, _ in self._placed_labels()}
        return [
            Finding(
                "bill_label_dropped",
                f"{label.anchor} moved where its label “{label.text}” has no room; the bill "
                "shows the field without that label",
                sheet=sheet,
                row=self.positions[label.anchor][0] + 1,
                column=label.anchor,
                severity=Severity.WARNING,
                fix=f"leave room for the label at the same offset from {label.anchor} as on "
                "the standard bill, or accept the bill without it",
            )
            for label in _LABELS
            if id(label) not in kept and label.anchor is not None
        ]


_STANDARD = BillLayout(MappingProxyType(dict(BILL_LAYOUT)))


def checked_layout(
    names: Mapping[str, str | None], sheet: str | None, source: str
) -> tuple[BillLayout, tuple[str, ...]]:
    """The layout a workbook's ``bill_*`` names mark, with notes for the rep, for a bill writer.

    Args:
        names: ``bill_*`` defined name → what it refers to (absent or ``None`` if undefined).
        sheet: the workbook's BillTemplate sheet as it is spelled there, ``None`` if it has none.
        source: the workbook's name, for the error message.

    Returns:
        The standard layout without notes when the workbook has no BillTemplate sheet or no
        ``bill_*`` name at all; else the names' layout and one note per warning.

    Raises:
        PaxlError: a name is unusable (see :meth:`BillLayout.from_names`), naming each such
            defined name and what to fix; nothing should be written.
    """
    if sheet is None or not any(names.values()):
        return _STANDARD, ()
    layout, findings = BillLayout.from_names(names, sheet)
    errors = [f for f in findings if f.severity == Severity.ERROR]
    if errors:
        raise PaxlError(
            f"{source}: the bill fields on {sheet} cannot be placed: "
            + "; ".join(_sentence(f) for f in errors)
        )
    return layout, tuple(_sentence(f) for f in findings)


def _sentence(finding: Finding) -> str:
    return f"{finding.message} — {finding.fix}" if finding.fix else finding.message


def _parse(
    name: str, reference: str | None, sheet: str
) -> tuple[tuple[int, int] | None, Finding | None]:
    if reference is None or not reference.strip():
        return None, Finding(
            "bill_name_missing",
            f"the defined name {name} is missing; the bill puts {_what(name)} at its standard "
            f"cell {_address(BILL_LAYOUT[name])}",
            sheet=sheet,
            column=name,
            severity=Severity.WARNING,
            fix=f"define {name} on a cell of {sheet} (Formulas > Name Manager) to place it",
        )
    text = reference.strip()
    match = _REFERENCE.match(text)
    if match is None:
        why = "refers to a deleted cell (#REF!)" if "#REF!" in text.upper() else "is not a cell"
        return None, _error(name, sheet, None, f"{why} ({text})", f"point it at a cell of {sheet}")
    target = match["quoted"].replace("''", "'") if match["quoted"] else match["plain"]
    place = (int(match["row"]) - 1, _column_index(match["col"]))
    if target.casefold() != sheet.casefold():
        return None, _error(
            name, None, None, f"points at {target}, not {sheet}", f"point it at a cell of {sheet}"
        )
    if match["range"] and match["range"].replace("$", "").upper()[1:] != _address(place):
        return None, _error(
            name,
            sheet,
            place,
            f"marks a range ({text.lstrip('=')}), not one cell",
            f"point it at the one (top-left) cell where {_what(name)} goes",
        )
    if place[0] > _MAX_ROW or place[1] > _MAX_COL:
        return None, _error(name, sheet, None, f"is off the sheet ({text})", "point it at a cell")
    return place, None


def _error(name: str, sheet: str | None, place, problem: str, fix: str) -> Finding:
    where = "" if place is None else f" ({_address(place)})"
    return Finding(
        "bill_name_invalid",
        f"the defined name {name}{where} {problem}",
        sheet=sheet,
        row=None if place is None else place[0] + 1,
        column=name,
        fix=fix,
    )


def _what(name: str) -> str:
    special = {"bill_lines": "the itemised lines", "bill_totals": "the totals and their note"}
    return special.get(name, name.removeprefix("bill_").replace("_", " "))


def _free(rect: Rect, taken: list[Rect]) -> bool:
    """On the sheet and clear of every rectangle in ``taken``."""
    on_sheet = rect[0] >= 0 and rect[1] >= 0 and rect[2] <= _MAX_ROW and rect[3] <= _MAX_COL
    return on_sheet and not any(_overlap(rect, other) for other in taken)


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def _letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _address(place: tuple[int, int]) -> str:
    return f"{_letters(place[1])}{place[0] + 1}"


def _range(rect: Rect) -> str:
    first, last = _address((rect[0], rect[1])), _address((rect[2], rect[3]))
    return first if first == last else f"{first}:{last}"


def field_cell(name: str, line_count: int = 0) -> tuple[int, int]:
    """The standard ``(row, col)`` of a bill field on a bill with ``line_count`` lines."""
    return _STANDARD.cell(name, line_count)


def bill_labels(line_count: int = 0) -> tuple[LabelCell, ...]:
    """The standard bill's fixed labels on a bill of ``line_count`` lines (see
    :meth:`BillLayout.labels`)."""
    return _STANDARD.labels(line_count)


def placeholders() -> dict[str, str]:
    """The template's placeholder text per bill field (``bill_lines`` holds its header)."""
    return {c.name: c.placeholder for c in _CELLS}
