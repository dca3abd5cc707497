"""The workbook port in memory: a small grid of sheets, tables and names, for macro tests.

It keeps raw cell values as Excel would (dollars as numbers, dates as ``datetime``, blanks as
``None``), so reads go through the same typing as the live adapters and appended rows go
through the same typed → cell conversion. Build one from a typed :class:`Book` (each schema
table on its own sheet, header in row 1, Policy names on a ``Policy`` sheet) and inspect what a
macro wrote with :meth:`MemoryWorkbook.values`, :attr:`formats`, :attr:`alerts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from addin.workbook import cells
from addin.workbook.book import Book, book_from_records
from addin.workbook.frames import is_blank, typed_frame
from addin.workbook.port import (
    HEADER_SEARCH_ROWS,
    POLICY_SHEET,
    Block,
    Chart,
    Selection,
    SheetContent,
    TableCells,
    WorkbookPort,
    plain_sheet_record,
    record_at,
)
from addin.workbook.schema import POLICY_TABLES, SETTINGS, TABLES, Table

Cell = tuple[int, int]


@dataclass
class _Sheet:
    name: str
    cells: dict[Cell, object] = field(default_factory=dict)
    formats: dict[Cell, dict[str, object]] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)


@dataclass
class _Table:
    name: str
    sheet: str
    header_row: int
    first_column: int
    columns: int
    body_rows: int  # always ≥ 1: an empty Excel table keeps one blank body row


class MemoryWorkbook(WorkbookPort):
    """An in-memory workbook implementing :class:`~addin.workbook.port.WorkbookPort`."""

    def __init__(self, name: str = "memory.xlsx") -> None:
        self.name = name
        self._sheets: list[_Sheet] = []
        self._tables: dict[str, _Table] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self._active: tuple[str, int, int] | None = None
        #: every alert shown, in order (message, title)
        self.alerts: list[tuple[str, str]] = []

    # --- building ------------------------------------------------------------------------

    @classmethod
    def from_book(
        cls,
        book: Book,
        *,
        tables: Iterable[str] | None = None,
        with_policy: bool = True,
    ) -> MemoryWorkbook:
        """A workbook laid out like the template: each table (default: every schema table) on
        a sheet of its name with the header in row 1; Policy settings as named cells on a
        ``Policy`` sheet (unless ``with_policy`` is false). The first sheet's A1 is selected."""
        workbook = cls()
        wanted = set(tables) if tables is not None else {t.name for t in TABLES}
        for schema in TABLES:
            if schema.name in wanted:
                workbook.add_table(schema, book.tables[schema.name])
        if with_policy:
            workbook._add_policy(book)
        if workbook._sheets:
            workbook.select(workbook._sheets[0].name, 1, 1)
        return workbook

    @classmethod
    def from_records(
        cls,
        records: Mapping[str, list[Mapping[str, object]]],
        *,
        policy: Mapping[str, object] | None = None,
        tables: Iterable[str] | None = None,
        with_policy: bool = True,
    ) -> MemoryWorkbook:
        """:meth:`from_book` on plain records per table (``book_from_records``); ``policy``
        overrides settings (plain values, money as ``Decimal``)."""
        book = book_from_records(records, policy=policy)
        return cls.from_book(book, tables=tables, with_policy=with_policy)

    def add_table(
        self,
        schema: Table,
        rows: pd.DataFrame | Iterable[Mapping[str, object]] = (),
        *,
        sheet: str | None = None,
        at: Cell = (1, 1),
        header: Iterable[str] | None = None,
    ) -> None:
        """Add an Excel table: ``rows`` typed (a frame) or plain records; ``header`` may reorder
        or omit columns or add the rep's own (default: the schema's columns)."""
        frame = rows if isinstance(rows, pd.DataFrame) else typed_frame(schema, list(rows))
        names = list(header) if header is not None else list(schema.column_names)
        sheet_name = sheet or schema.name
        target = self._sheet(sheet_name) or self._add_sheet(sheet_name)
        row, column = at
        for j, name in enumerate(names):
            target.cells[(row, column + j)] = name
        body = cells.cells_from_frame(schema, frame, names)
        for i, values in enumerate(body):
            for j, value in enumerate(values):
                if value is not None:
                    target.cells[(row + 1 + i, column + j)] = value
        self._tables[schema.name.casefold()] = _Table(
            schema.name, sheet_name, row, column, len(names), max(1, len(body))
        )

    def _add_policy(self, book: Book) -> None:
        sheet = self._sheet(POLICY_SHEET) or self._add_sheet(POLICY_SHEET)
        for i, setting in enumerate(SETTINGS, start=1):
            sheet.cells[(i, 1)] = setting.label
            value = book.policy.get(setting.name, setting.default)
            sheet.cells[(i, 2)] = cells.cell_value(value)
            self._names[setting.name] = (POLICY_SHEET, f"B{i}")
        column = 4
        for pt in POLICY_TABLES:
            schema = Table(pt.name, pt.columns)
            self.add_table(schema, book.policy_tables[pt.name], sheet=POLICY_SHEET, at=(1, column))
            column += len(pt.columns) + 1

    def select(self, sheet: str, row: int, column: int = 1) -> None:
        """Make ``sheet`` active with the cursor at (row, column)."""
        self._active = (self._require_sheet(sheet).name, row, column)

    def set_cell(self, sheet: str, row: int, column: int, value: object) -> None:
        """Type a value into a cell, as a rep would (``None`` empties it)."""
        target = self._require_sheet(sheet)
        if value is None:
            target.cells.pop((row, column), None)
        else:
            target.cells[(row, column)] = value

    def type_row(self, table: str, values: Mapping[str, object]) -> int:
        """Type a row right under a table, as a rep would, letting the table grow over it
        (Excel's auto-expansion); returns its Excel row."""
        t = self._table(table)
        assert t is not None, table
        header = self._header(t)
        row = self._last_filled_row(t) + 1
        for j, name in enumerate(cells.header_names(header)):
            if name in values:
                self.set_cell(t.sheet, row, t.first_column + j, cells.cell_value(values[name]))
        t.body_rows = max(t.body_rows, row - t.header_row)
        return row

    # --- inspecting ----------------------------------------------------------------------

    def values(self, sheet: str) -> list[list[object]]:
        """The sheet's cells from A1 to its last used cell (blanks as ``None``)."""
        target = self._require_sheet(sheet)
        if not target.cells:
            return []
        rows = max(r for r, _ in target.cells)
        columns = max(c for _, c in target.cells)
        return [
            [target.cells.get((r, c)) for c in range(1, columns + 1)] for r in range(1, rows + 1)
        ]

    def cell(self, sheet: str, row: int, column: int) -> object:
        return self._require_sheet(sheet).cells.get((row, column))

    def formats(self, sheet: str) -> dict[Cell, dict[str, object]]:
        """Per cell: ``number_format``, ``bold``, ``fill`` as last set by paxl."""
        return self._require_sheet(sheet).formats

    def charts(self, sheet: str) -> list[Chart]:
        return list(self._require_sheet(sheet).charts)

    def column_widths(self, sheet: str) -> dict[int, float]:
        return dict(self._require_sheet(sheet).widths)

    def table_address(self, name: str) -> str:
        """The table's range, header included, e.g. ``"A1:L4"``."""
        t = self._table(name)
        assert t is not None, name
        return cells.range_address(
            t.header_row, t.first_column, t.header_row + t.body_rows, t.first_column + t.columns - 1
        )

    def names(self) -> dict[str, tuple[str, str]]:
        """Each defined name → (sheet, address)."""
        return dict(self._names)

    # --- port primitives -----------------------------------------------------------------

    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self._sheets)

    def table_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self._tables.values())

    def table_sheet(self, name: str) -> str | None:
        t = self._table(name)
        return t.sheet if t else None

    def table_cells(self, name: str) -> TableCells | None:
        t = self._table(name)
        if t is None:
            return None
        sheet = self._require_sheet(t.sheet)
        body = tuple(
            tuple(sheet.cells.get((r, c)) for c in self._columns(t))
            for r in range(t.header_row + 1, t.header_row + 1 + t.body_rows)
        )
        return TableCells(t.sheet, t.header_row, t.first_column, self._header(t), body)

    def name_values(self, names: Iterable[str]) -> dict[str, object]:
        found = {}
        for name in names:
            if name not in self._names:
                continue
            sheet, address = self._names[name]
            r1, c1, r2, c2 = cells.parse_address(address)
            if (r1, c1) == (r2, c2) and self._sheet(sheet):
                found[name] = self.cell(sheet, r1, c1)
        return found

    def name_references(self, names: Iterable[str]) -> dict[str, str]:
        found = {}
        for name in names:
            if name in self._names:
                sheet, address = self._names[name]
                r1, c1, r2, c2 = cells.parse_address(address)
                first = f"${cells.column_letters(c1)}${r1}"
                last = f"${cells.column_letters(c2)}${r2}"
                target = first if (r1, c1) == (r2, c2) else f"{first}:{last}"
                found[name] = f"='{sheet.replace(chr(39), chr(39) * 2)}'!{target}"
        return found

    def selection(self) -> Selection:
        if self._active is None:
            return Selection(
                sheet=self._sheets[0].name if self._sheets else "", row=None, column=None
            )
        sheet, row, column = self._active
        for t in self._tables.values():
            inside_rows = t.header_row < row <= t.header_row + t.body_rows
            inside_columns = t.first_column <= column < t.first_column + t.columns
            if t.sheet == sheet and inside_rows and inside_columns:
                values = [self.cell(sheet, row, c) for c in self._columns(t)]
                return Selection(sheet, row, column, t.name, record_at(self._header(t), values))
        grid = self._require_sheet(sheet).cells
        width = max((c for _, c in grid), default=0)
        top = max(1, row - HEADER_SEARCH_ROWS)
        above = [[grid.get((r, c)) for c in range(1, width + 1)] for r in range(top, row)]
        active = [grid.get((row, c)) for c in range(1, width + 1)]
        return Selection(sheet, row, column, None, plain_sheet_record(above, active))

    def _append_cells(self, name: str, rows: list[list[object]], formats: list[str | None]) -> None:
        t = self._table(name)
        assert t is not None
        sheet = self._require_sheet(t.sheet)
        start = self._last_filled_row(t) + 1
        for i, values in enumerate(rows):
            for j, value in enumerate(values):
                key = (start + i, t.first_column + j)
                if formats[j]:
                    sheet.formats.setdefault(key, {})["number_format"] = formats[j]
                if value is None:
                    sheet.cells.pop(key, None)
                else:
                    sheet.cells[key] = _excel(value)
        t.body_rows = max(t.body_rows, start + len(rows) - 1 - t.header_row)

    def _clear_cells(self, name: str) -> None:
        t = self._table(name)
        assert t is not None
        sheet = self._require_sheet(t.sheet)
        for r in range(t.header_row + 1, t.header_row + 1 + t.body_rows):
            for c in self._columns(t):
                sheet.cells.pop((r, c), None)
        t.body_rows = 1

    def _write_sheet(self, content: SheetContent) -> None:
        existing = self._sheet(content.name)
        position = len(self._sheets)
        if existing is not None:
            position = self._sheets.index(existing)
            self._sheets.remove(existing)
            for key in [k for k, t in self._tables.items() if t.sheet == existing.name]:
                del self._tables[key]
        sheet = _Sheet(content.name)
        self._sheets.insert(position, sheet)
        for block in content.blocks:
            self._write_block(sheet, block)
        sheet.widths.update(dict(content.column_widths))
        sheet.charts.extend(content.charts)
        if content.activate or self._active is None:
            self._active = (sheet.name, 1, 1)

    def _write_block(self, sheet: _Sheet, block: Block) -> None:
        for i, values in enumerate(block.values):
            for j, value in enumerate(values):
                key = (block.row + i, block.column + j)
                value = cells.cell_value(value)
                if value is None:
                    sheet.cells.pop(key, None)
                else:
                    sheet.cells[key] = value
                fmt = block.column_formats[j] if block.column_formats else None
                style = {
                    "number_format": fmt or block.number_format,
                    "bold": block.bold or None,
                    "fill": block.fill,
                }
                style = {k: v for k, v in style.items() if v}
                if style:
                    sheet.formats.setdefault(key, {}).update(style)
        if block.table:
            rows, columns = block.shape
            self._tables[block.table.casefold()] = _Table(
                block.table, sheet.name, block.row, block.column, columns, max(1, rows - 1)
            )

    def set_name(self, name: str, sheet: str, address: str) -> None:
        cells.parse_address(address)
        self._require_sheet(sheet)
        self._names[name] = (sheet, address.replace("$", ""))

    def alert(self, message: str, title: str = "paxl") -> None:
        self.alerts.append((message, title))

    # --- helpers -------------------------------------------------------------------------

    def _sheet(self, name: str) -> _Sheet | None:
        for sheet in self._sheets:
            if sheet.name.casefold() == name.casefold():
                return sheet
        return None

    def _require_sheet(self, name: str) -> _Sheet:
        sheet = self._sheet(name)
        if sheet is None:
            raise KeyError(f"no sheet {name}")
        return sheet

    def _add_sheet(self, name: str) -> _Sheet:
        sheet = _Sheet(name)
        self._sheets.append(sheet)
        return sheet

    def _table(self, name: str) -> _Table | None:
        return self._tables.get(name.casefold())

    def _columns(self, t: _Table) -> range:
        return range(t.first_column, t.first_column + t.columns)

    def _header(self, t: _Table) -> tuple[object, ...]:
        return tuple(self.cell(t.sheet, t.header_row, c) for c in self._columns(t))

    def _last_filled_row(self, t: _Table) -> int:
        """The Excel row of the table's last non-blank body row (the header row if none)."""
        grid = self._require_sheet(t.sheet).cells
        last = t.header_row
        for r in range(t.header_row + 1, t.header_row + 1 + t.body_rows):
            if any(not is_blank(grid.get((r, c))) for c in self._columns(t)):
                last = r
        return last


def _excel(value: object) -> object:
    """What Excel keeps for a written value (a ``date`` becomes a midnight ``datetime``)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value
