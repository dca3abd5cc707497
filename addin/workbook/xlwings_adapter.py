"""The workbook port on an ``xw.Book``: live Excel (Windows/macOS), xlwings Lite, xlwings Server.

Only the API every xlwings host implements is used (DESIGN §2): range values, sheets
add/delete, tables (``range``, ``header_row_range``, ``data_body_range``, ``resize``, ``add``),
number formats, fill colour, bold, defined names, ``app.alert``. Column widths are set on desktop
Excel only; charts are added where the host has them and skipped where it raises
``NotImplementedError``.

On xlwings Server and Lite the book is a snapshot sent with the click and every write is queued
as an action the client runs after the script returns: reads never see this run's own writes.
The adapter therefore remembers where it appended, so two appends to one table in one run land
one after the other, and the write plan writes each table once.
"""

from __future__ import annotations

from collections.abc import Iterable

from addin.errors import PaxlError
from addin.workbook import cells
from addin.workbook.frames import is_blank
from addin.workbook.port import (
    HEADER_SEARCH_ROWS,
    Block,
    Chart,
    Selection,
    SheetContent,
    TableCells,
    WorkbookPort,
    plain_sheet_record,
    record_at,
)


class XlwingsWorkbook(WorkbookPort):
    """:class:`~addin.workbook.port.WorkbookPort` on an ``xlwings.Book``.

    Args:
        book: the workbook, e.g. ``xw.Book.caller()`` on desktop, the ``book`` an
            ``@xw.script`` receives, or ``xw.Book(json=...)`` in tests.
    """

    def __init__(self, book) -> None:
        self.book = book
        #: table (casefolded) → (last filled row, last body row) after this run's writes
        self._written: dict[str, tuple[int, int]] = {}
        self._where: dict[str, tuple[str, str]] | None = None

    # --- locating ------------------------------------------------------------------------

    def _locate(self) -> dict[str, tuple[str, str]]:
        """Every Excel table: casefolded name → (its name, its sheet); read once per run."""
        if self._where is None:
            self._where = {}
            for sheet in self.book.sheets:
                for table in sheet.tables:
                    self._where.setdefault(table.name.casefold(), (table.name, sheet.name))
        return self._where

    def _find(self, name: str):
        located = self._locate().get(name.casefold())
        if located is None:
            return None, None
        sheet = self.book.sheets[located[1]]
        for table in sheet.tables:
            if table.name.casefold() == name.casefold():
                return sheet, table
        return None, None

    def _require_table(self, name: str):
        sheet, table = self._find(name)
        if table is None:
            raise PaxlError(f"The workbook has no {name} table; add it (see the template).")
        if table.header_row_range is None:
            raise PaxlError(f"Table {name} has its Header Row turned off; turn it on.")
        if table.totals_row_range is not None:
            raise PaxlError(f"Table {name} has a Total Row; turn it off so paxl can add rows.")
        return sheet, table

    # --- port primitives: reading --------------------------------------------------------

    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.book.sheets)

    def table_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self._locate().values())

    def table_sheet(self, name: str) -> str | None:
        located = self._locate().get(name.casefold())
        return located[1] if located else None

    def table_cells(self, name: str) -> TableCells | None:
        sheet, table = self._find(name)
        if table is None or table.header_row_range is None:
            return None
        header = table.header_row_range.options(ndim=1).value
        body_range = table.data_body_range
        body = body_range.options(ndim=2).value if body_range is not None else []
        return TableCells(
            sheet.name,
            table.header_row_range.row,
            table.header_row_range.column,
            tuple(header),
            tuple(tuple(row) for row in body),
        )

    def _part_fingerprint(self, name: str) -> str:
        """The port's fingerprint of one table, reading only its last rows (cheap when long)."""
        sheet, table = self._find(name)
        if table is None or table.header_row_range is None:
            return ""
        header_range = table.header_row_range
        header = header_range.options(ndim=1).value
        body_range = table.data_body_range
        if body_range is None:
            return cells.fingerprint_tail(
                sheet.name, header_range.row, header_range.column, header, 0, []
            )
        rows = body_range.rows.count
        first = body_range.row + max(0, rows - cells.FINGERPRINT_TAIL)
        last = body_range.row + rows - 1
        tail = (
            sheet.range(
                (first, body_range.column), (last, body_range.column + body_range.columns.count - 1)
            )
            .options(ndim=2)
            .value
        )
        return cells.fingerprint_tail(
            sheet.name, header_range.row, header_range.column, header, rows, tail
        )

    def name_values(self, names: Iterable[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        for name in names:
            if not self.book.names.contains(name):
                continue
            try:
                target = self.book.names[name].refers_to_range
            except (ValueError, KeyError):  # a constant or formula, not a cell
                continue
            if target is not None and target.shape == (1, 1):
                found[name] = target.value
        return found

    def name_references(self, names: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for name in names:
            if self.book.names.contains(name):
                refers_to = self.book.names[name].refers_to
                if refers_to:
                    found[name] = str(refers_to)
        return found

    def selection(self) -> Selection:
        active = self.book.sheets.active
        try:
            cell = self.book.selection
            row, column, sheet = cell.row, cell.column, cell.sheet
        except (AttributeError, TypeError, KeyError):  # nothing, or a shape, selected
            return Selection(active.name, None, None)
        for table in sheet.tables:
            whole = table.range
            last = whole.last_cell
            if whole.row < row <= last.row and whole.column <= column <= last.column:
                header = table.header_row_range.options(ndim=1).value
                values = sheet.range((row, whole.column), (row, last.column))
                record = record_at(header, values.options(ndim=1).value)
                return Selection(sheet.name, row, column, table.name, record)
        width = sheet.used_range.last_cell.column
        top = max(1, row - HEADER_SEARCH_ROWS)
        above = sheet.range((top, 1), (row - 1, width)).options(ndim=2).value if row > 1 else []
        current = sheet.range((row, 1), (row, width)).options(ndim=1).value
        return Selection(sheet.name, row, column, None, plain_sheet_record(above, current))

    # --- port primitives: writing --------------------------------------------------------

    def _append_cells(self, name: str, rows: list[list[object]], formats: list[str | None]) -> None:
        sheet, table = self._require_table(name)
        whole = table.range
        header_row, first_column = whole.row, whole.column
        last_column = whole.last_cell.column
        filled, body_end = self._extent(name, sheet, table)
        start, end = filled + 1, filled + len(rows)
        if end > body_end:
            table.resize(sheet.range((header_row, first_column), (end, last_column)))
        for offset, width, fmt in _runs(formats):
            column = first_column + offset
            target = sheet.range((start, column), (end, column + width - 1))
            target.number_format = fmt
        sheet.range((start, first_column), (end, last_column)).value = rows
        self._written[name.casefold()] = (end, max(end, body_end))

    def _extent(self, name: str, sheet, table) -> tuple[int, int]:
        """(last non-blank body row or the header row, last body row) of the table."""
        if name.casefold() in self._written:
            return self._written[name.casefold()]
        header_row = table.range.row
        body = table.data_body_range
        if body is None:
            return header_row, header_row
        rows = body.rows.count
        body_end = body.row + rows - 1
        chunk_end = body_end
        while chunk_end >= body.row:
            chunk_start = max(body.row, chunk_end - cells.FINGERPRINT_TAIL + 1)
            values = (
                sheet.range(
                    (chunk_start, body.column), (chunk_end, body.column + body.columns.count - 1)
                )
                .options(ndim=2)
                .value
            )
            for i in range(len(values) - 1, -1, -1):
                if any(not is_blank(v) for v in values[i]):
                    return chunk_start + i, body_end
            chunk_end = chunk_start - 1
        return header_row, body_end

    def _clear_cells(self, name: str) -> None:
        sheet, table = self._require_table(name)
        whole = table.range
        body = table.data_body_range
        if body is not None:
            body.clear_contents()
        header_row = whole.row
        table.resize(
            sheet.range((header_row, whole.column), (header_row + 1, whole.last_cell.column))
        )
        self._written[name.casefold()] = (header_row, header_row + 1)

    def _write_sheet(self, content: SheetContent) -> None:
        sheets = self.book.sheets
        existing = next((s for s in sheets if s.name.casefold() == content.name.casefold()), None)
        if existing is not None:
            index = existing.index  # 1-based
            existing.delete()
            if index > 1:
                sheet = sheets.add(content.name, after=sheets[index - 2])
            else:
                sheet = sheets.add(content.name, before=sheets[0])
        else:
            sheet = sheets.add(content.name, after=sheets[len(sheets) - 1])
        self._where = None  # tables may have gone with the old sheet or come with the new one
        for block in content.blocks:
            _write_block(sheet, block)
        if content.column_widths and self._desktop:
            for column, width in content.column_widths:
                sheet.range((1, column)).column_width = width
        for chart in content.charts:
            _add_chart(sheet, chart)
        if content.activate:
            sheet.activate()

    def set_name(self, name: str, sheet: str, address: str) -> None:
        r1, c1, r2, c2 = cells.parse_address(address)
        absolute = _absolute(r1, c1, r2, c2)
        refers_to = f"='{sheet.replace(chr(39), chr(39) * 2)}'!{absolute}"
        if self.book.names.contains(name):
            self.book.names[name].refers_to = refers_to
        else:
            self.book.names.add(name, refers_to)

    def alert(self, message: str, title: str = "paxl") -> None:
        self.book.app.alert(message, title=title)

    @property
    def _desktop(self) -> bool:
        return self.book.app.engine.type == "desktop"


def _absolute(r1: int, c1: int, r2: int, c2: int) -> str:
    first = f"${cells.column_letters(c1)}${r1}"
    if (r1, c1) == (r2, c2):
        return first
    return f"{first}:${cells.column_letters(c2)}${r2}"


def _runs(formats: list[str | None]) -> list[tuple[int, int, str]]:
    """Adjacent columns with the same format as (offset, width, format) — one action each."""
    runs: list[tuple[int, int, str]] = []
    for offset, fmt in enumerate(formats):
        if fmt is None:
            continue
        if runs and runs[-1][2] == fmt and runs[-1][0] + runs[-1][1] == offset:
            start, width, _ = runs[-1]
            runs[-1] = (start, width + 1, fmt)
        else:
            runs.append((offset, 1, fmt))
    return runs


def _write_block(sheet, block: Block) -> None:
    rows, columns = block.shape
    if not rows or not columns:
        return
    target = sheet.range(
        (block.row, block.column), (block.row + rows - 1, block.column + columns - 1)
    )
    if block.number_format:
        target.number_format = block.number_format
    for offset, width, fmt in _runs(list(block.column_formats)):
        column = block.column + offset
        sheet.range(
            (block.row, column), (block.row + rows - 1, column + width - 1)
        ).number_format = fmt
    target.value = [[cells.cell_value(v) for v in row] for row in block.values]
    if block.bold:
        target.font.bold = True
    if block.fill:
        target.color = block.fill
    if block.table:
        sheet.tables.add(source=target, name=block.table)


def _add_chart(sheet, chart: Chart) -> None:
    row, column, rows, columns = chart.source
    source = sheet.range((row, column), (row + rows - 1, column + columns - 1))
    try:
        added = sheet.charts.add(
            width=chart.width,
            height=chart.height,
            chart_type=chart.chart_type,
            source=source,
            anchor=sheet.range(chart.anchor),
        )
        if chart.title:
            added.title = chart.title
    except NotImplementedError:  # a host without charts: they are optional
        return
