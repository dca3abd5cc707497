"""The workbook port on a file: macros run headless on an .xlsx/.xlsm, the result is a NEW file.

:meth:`FileWorkbook.open` reads a workbook file (never writing it) into the in-memory model of
:class:`~addin.workbook.memory_adapter.MemoryWorkbook` — every sheet's cell values, every Excel
table (ListObject) where it is, every workbook-level defined name that points at cells — so
every port operation works on it exactly as on the memory adapter. The loader
(:func:`~addin.workbook.loader.read_book`) reads the same file for the workbook's typed tables
and Policy and its problems (:attr:`FileWorkbook.findings`).

:meth:`FileWorkbook.save_as` writes what the macros changed as a **new** workbook through
:func:`~addin.workbook.derive.write_derived` (DESIGN §2, §6: a user's workbook is never
re-saved by openpyxl; headless runs write a new file, atomically): the input's tables with the
rows appended since it was opened (data and log tables: Payments, Statements, Audit, ...), the
staging tables empty, and every sheet the macros wrote as extra sheets. It refuses to write
over the input file.

What the new workbook does not carry (the limits of ``write_derived``): the practice's own
sheets and formatting, defined names a macro set (e.g. ``bill_*`` names on a bill sheet),
charts, and rows still typed on a staging table (``save_as`` refuses rather than drop them).

The active cell of a headless run is given by the caller: ``selection=("Patients", 5)`` or the
command-line style ``"Patients!5"`` / ``"Patients!B5"``; without one, the first sheet's A1.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from addin.core.findings import Finding
from addin.errors import PaxlError
from addin.workbook import cells
from addin.workbook.book import Book
from addin.workbook.derive import records_from_frame, write_derived
from addin.workbook.loader import read_book
from addin.workbook.memory_adapter import MemoryWorkbook, _excel, _Table
from addin.workbook.port import SheetContent
from addin.workbook.schema import TABLES
from addin.workbook.staging import STAGING_TABLES
from addin.workbook.xlsx_file import XlsxFile, open_xlsx

__all__ = ["FileWorkbook", "SavedWorkbook", "parse_selection"]

#: a defined name that points at one rectangle of one sheet: ``'My sheet'!$A$1:$B$2``
_NAME_TARGET = re.compile(
    r"^=?(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!]+))!(?P<address>\$?[A-Za-z]{1,3}\$?\d+"
    r"(?::\$?[A-Za-z]{1,3}\$?\d+)?)$"
)
#: ``Patients!5``, ``Patients!B5``, ``'Plan options P1'!3``
_SELECTION = re.compile(
    r"^(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!]+))!\$?(?P<column>[A-Za-z]{0,3})\$?(?P<row>\d+)$"
)

Select = tuple[str, int] | tuple[str, int, int] | str


@dataclass(frozen=True)
class SavedWorkbook:
    """What :meth:`FileWorkbook.save_as` wrote: the file, the rows appended per table (only
    tables that got rows) and the extra sheets, in the order they were first written."""

    path: Path
    appended: dict[str, int]
    sheets: tuple[str, ...]


def parse_selection(text: str) -> tuple[str, int, int]:
    """``"Patients!5"`` → ``("Patients", 5, 1)``; ``"'Plan options P1'!C7"`` → (…, 7, 3).

    Raises:
        PaxlError: not ``SHEET!ROW`` or ``SHEET!CELL``.
    """
    match = _SELECTION.match(str(text).strip())
    if match is None or int(match["row"]) < 1:
        raise PaxlError(
            f"{text!r} is not a selection; give the sheet and row as SHEET!ROW "
            "(e.g. Patients!5) or a cell as SHEET!B5."
        )
    sheet = match["quoted"].replace("''", "'") if match["quoted"] else match["plain"].strip()
    column = cells.column_number(match["column"]) if match["column"] else 1
    return sheet, int(match["row"]), column


class FileWorkbook(MemoryWorkbook):
    """A workbook file opened for a headless run (see the module doc)."""

    def __init__(self, path: Path, book: Book, findings: Sequence[Finding]) -> None:
        super().__init__(path.name)
        self.path = path
        #: the input's tables and Policy as the loader read them (rows written go on top)
        self.book = book
        #: the input's problems as the loader found them, worst first
        self.findings = tuple(findings)
        self._baseline: dict[str, int] = {}
        self._written: dict[str, SheetContent] = {}

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        password: str | None = None,
        selection: Select | None = None,
    ) -> FileWorkbook:
        """Read a workbook file into memory; the file is only read.

        Args:
            path: an .xlsx or .xlsm workbook.
            password: the password of an encrypted workbook (decrypted in memory only).
            selection: the active cell — ``(sheet, row)``, ``(sheet, row, column)`` (1-based)
                or ``"SHEET!ROW"`` / ``"SHEET!B5"``; default the first sheet's A1.

        Raises:
            PaxlError: the file cannot be read (missing, not Excel, damaged, wrong password), or
                the selection names a sheet the workbook does not have.
        """
        source = Path(path)
        book, findings = read_book(source, password=password)
        workbook = cls(source, book, findings)
        with open_xlsx(source, password=password) as xlsx:
            workbook._load(xlsx)
        workbook._baseline = {t.name: workbook._row_count(t.name) for t in TABLES}
        workbook._select(selection)
        return workbook

    def _load(self, xlsx: XlsxFile) -> None:
        for name in xlsx.sheet_names:
            sheet = self._add_sheet(name)
            for r, row in enumerate(xlsx.rows(name), start=1):
                for c, value in enumerate(row, start=1):
                    if value is not None and value != "":
                        sheet.cells[(r, c)] = _excel(value)
            xlsx.forget(name)
        # XlsxFile lists neither its tables nor its names; both are read from what it holds
        calamine = xlsx._workbook
        for name in calamine.table_names:
            found = calamine.get_table_by_name(name)
            first_body, first_column = found.start  # 0-based: the row under the header
            self._add_table_at(
                found.name, found.sheet, first_body, first_column + 1, found.width, found.height
            )
        for name, target in xlsx._names.items():
            match = _NAME_TARGET.match(target.strip())
            if match is None:
                continue  # a constant, a formula or several areas: not a cell a macro reads
            sheet = match["quoted"].replace("''", "'") if match["quoted"] else match["plain"]
            if self._sheet(sheet) is not None:
                self._names[name] = (self._sheet(sheet).name, match["address"].replace("$", ""))

    def _add_table_at(
        self, name: str, sheet: str, header_row: int, first_column: int, columns: int, rows: int
    ) -> None:
        """Register an Excel table over cells already loaded (the memory model's record)."""
        self._tables[name.casefold()] = _Table(
            name, sheet, header_row, first_column, columns, max(1, rows)
        )

    def _select(self, selection: Select | None) -> None:
        if selection is None:
            if self._sheets:
                self.select(self._sheets[0].name, 1, 1)
            return
        if isinstance(selection, str):
            sheet, row, column = parse_selection(selection)
        else:
            sheet, row, *rest = selection
            column = rest[0] if rest else 1
        if self._sheet(sheet) is None:
            raise PaxlError(
                f"The workbook {self.path.name} has no sheet {sheet!r} to select; give one of: "
                f"{', '.join(self.sheet_names())}."
            )
        if row < 1 or column < 1:
            raise PaxlError(f"Select a row and column from 1 up, not row {row}, column {column}.")
        self.select(sheet, row, column)

    # --- what the macros change ----------------------------------------------------------

    def _write_sheet(self, content: SheetContent) -> None:
        self._written[content.name.casefold()] = content
        super()._write_sheet(content)

    def _row_count(self, table: str) -> int:
        if not self.table_parts(table):
            return 0
        return len(self.read_table(table).frame)

    def appended(self) -> dict[str, list[dict[str, object]]]:
        """The rows added to each schema table since the file was opened, as plain values
        (money as ``Decimal`` dollars); tables without new rows are left out."""
        rows = {}
        for schema in TABLES:
            if not self.table_parts(schema.name):
                continue
            frame = self.read_table(schema.name).frame
            new = frame.iloc[self._baseline[schema.name] :]
            if len(new):
                rows[schema.name] = records_from_frame(new, schema)
        return rows

    def written_sheets(self) -> tuple[SheetContent, ...]:
        """The sheets the macros wrote (the last content of each), first written first."""
        return tuple(self._written.values())

    # --- saving --------------------------------------------------------------------------

    def save_as(
        self, out_path: str | os.PathLike[str], *, password: str | None = None
    ) -> SavedWorkbook:
        """Write the input's tables plus what the macros changed as a new .xlsx workbook.

        Appended rows are validated against the input's tables again before anything is
        written; the file is written under a temporary name and moved into place.

        Args:
            out_path: the new ``.xlsx`` (replaced if it exists); never the input file.
            password: protect the new file with this password, or ``None``.

        Raises:
            PaxlError: ``out_path`` is the input or not an ``.xlsx``; a staging table still has
                rows typed (they would be lost); the loader and the workbook disagree on a
                table that got rows; a new row does not validate. Nothing is written then.
        """
        out = Path(out_path)
        if out.suffix.casefold() != ".xlsx":
            raise PaxlError(
                f"{out.name}: the new workbook is written as an Excel Workbook without macros; "
                "give an output name ending in .xlsx."
            )
        if _same_file(out, self.path):
            raise PaxlError(
                f"The output {out.name} is the input workbook; paxl never changes its input. "
                "Choose another output file."
            )
        self._refuse_unposted()
        appends = self.appended()
        for table in appends:
            if len(self.book.tables[table]) != self._baseline[table]:
                raise PaxlError(
                    f"The {table} table reads as {len(self.book.tables[table])} rows on its "
                    f"sheet but {self._baseline[table]} rows in its Excel table; make the Excel "
                    f"table {table} cover every row of the sheet, then run again."
                )
        sheets = self.written_sheets()
        write_derived(self.book, appends, out, extra_sheets=sheets, password=password)
        return SavedWorkbook(
            out, {t: len(rows) for t, rows in appends.items()}, tuple(s.name for s in sheets)
        )

    def _refuse_unposted(self) -> None:
        for staging in STAGING_TABLES:
            if not self.table_parts(staging.name):
                continue
            typed = len(self.read_table(staging).frame)
            if typed:
                raise PaxlError(
                    f"{staging.name} still has {typed} row(s) typed that were not posted, and the "
                    "new workbook starts it empty. Post them first (Post payments) or delete "
                    "them from the input workbook, then run again."
                )


def _same_file(out: Path, source: Path) -> bool:
    if out.exists() and source.exists() and os.path.samefile(out, source):
        return True
    return out.resolve() == source.resolve()
