"""An .xlsx/.xlsm file opened for reading: sheet cell values, defined names and Excel tables.

Cell values come from python-calamine (fast; blank cells are ``""``, numbers floats, date-formatted
cells ``date``/``datetime``); table sheets can also be read column-wise with fastexcel
(:meth:`XlsxFile.columns`, :mod:`addin.workbook.sheet_columns`). Defined names are read from
the package's ``xl/workbook.xml`` with the standard library, because calamine does not expose
them. An encrypted workbook is decrypted
in memory by :func:`addin.workbook.encryption.decrypt_workbook` (never written out decrypted).
Anything that is not a readable workbook raises :class:`~addin.errors.PaxlError` with one
sentence saying what to do.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

from addin.errors import PaxlError
from addin.workbook.encryption import OLE_MAGIC, decrypt_workbook
from addin.workbook.sheet_columns import ColumnReader, SheetColumns, open_column_reader

_ZIP_MAGIC = b"PK\x03\x04"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(
    r"^(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!]+))!"
    r"\$?(?P<col>[A-Za-z]{1,3})\$?(?P<row>\d+)(?::\$?[A-Za-z]{1,3}\$?\d+)?$"
)


@dataclass(frozen=True)
class CellRef:
    """One cell: sheet name, 0-based row and column indexes."""

    sheet: str
    row: int
    col: int

    @property
    def excel_row(self) -> int:
        return self.row + 1

    @property
    def address(self) -> str:
        """``Policy!B7`` — where a rep finds the cell."""
        return f"{self.sheet}!{column_letter(self.col)}{self.row + 1}"


@dataclass(frozen=True)
class ExcelTable:
    """An Excel table (ListObject): its header and data rows as read from the file."""

    name: str
    sheet: str
    header: tuple[str, ...]
    rows: list[list[object]]
    #: 0-based sheet row index of the first data row (the header is the row above)
    first_row: int


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


class XlsxFile:
    """A workbook file opened read-only; sheets are read on demand and cached."""

    def __init__(
        self,
        path: Path,
        workbook: CalamineWorkbook,
        names: dict[str, str],
        source: Path | io.BytesIO | None = None,
    ) -> None:
        self.path = path
        self._workbook = workbook
        self._names = names
        self._rows: dict[str, list[list[object]]] = {}
        self._sheet_by_folded = {name.casefold(): name for name in workbook.sheet_names}
        self._source = source
        self._column_reader: ColumnReader | None = None

    @property
    def sheet_names(self) -> list[str]:
        return list(self._workbook.sheet_names)

    def find_sheet(self, name: str) -> str | None:
        """The sheet's actual name, matched ignoring case as Excel does; ``None`` if absent."""
        return self._sheet_by_folded.get(name.casefold())

    def rows(self, sheet: str) -> list[list[object]]:
        """Every row of the sheet from A1 (blank cells ``""``), rectangular."""
        if sheet not in self._rows:
            try:
                data = self._workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as exc:  # calamine raises its own types for damaged sheet XML
                raise _damaged(self.path, f"its sheet {sheet} cannot be read") from exc
            self._rows[sheet] = data
        return self._rows[sheet]

    def columns(self, sheet: str, names: Sequence[str]) -> SheetColumns | None:
        """A table sheet read column-wise (fast), when that reads exactly what :meth:`rows`
        would: its header in row 1 made of ``names`` only (see
        :mod:`addin.workbook.sheet_columns`); ``None`` otherwise, and then :meth:`rows`."""
        if sheet in self._rows or self._source is None:
            return None
        if self._column_reader is None:
            self._column_reader = open_column_reader(self._source)
            if self._column_reader is None:
                self._source = None  # not available here: every sheet by rows
                return None
        return self._column_reader.read(sheet, names)

    def forget(self, sheet: str) -> None:
        """Drop a sheet's cached rows (to free memory once a big table is converted)."""
        self._rows.pop(sheet, None)

    def defined_name(self, name: str) -> CellRef | str | None:
        """Where a workbook-level defined name points: a cell, a constant's text, or ``None``.

        Names are matched ignoring case (as Excel does). A name that points at a range gives its
        first cell; a name holding a constant (``=30`` or ``="text"``) gives the constant's text.
        """
        target = self._names.get(name.casefold())
        if target is None:
            return None
        match = _CELL_REF.match(target.strip().lstrip("="))
        if match is None:
            text = target.strip().lstrip("=")
            if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
                return text[1:-1].replace('""', '"')
            return text
        sheet = match["quoted"].replace("''", "'") if match["quoted"] else match["plain"]
        return CellRef(sheet, int(match["row"]) - 1, _column_index(match["col"]))

    def defined_name_reference(self, name: str) -> str | None:
        """The raw formula text of a defined name (``"BillTemplate!$G$9"``), ``None`` if absent;
        for checks :meth:`defined_name` cannot make (e.g. a range instead of one cell)."""
        return self._names.get(name.casefold())

    def cell(self, ref: CellRef) -> object:
        """A cell's value (``""`` when blank or outside the sheet's data)."""
        sheet = self.find_sheet(ref.sheet)
        if sheet is None:
            return ""
        rows = self.rows(sheet)
        if ref.row >= len(rows) or ref.col >= len(rows[ref.row]):
            return ""
        return rows[ref.row][ref.col]

    def table(self, name: str) -> ExcelTable | None:
        """An Excel table by name (ignoring case), or ``None`` if the workbook has none so named."""
        wanted = name.casefold()
        try:
            names = self._workbook.table_names
            actual = next((n for n in names if n.casefold() == wanted), None)
            if actual is None:
                return None
            found = self._workbook.get_table_by_name(actual)
            data = found.to_python()
        except Exception:  # a table part calamine cannot parse: fall back to the sheet's cells
            return None
        return ExcelTable(
            name=found.name,
            sheet=found.sheet,
            header=tuple(str(c) for c in found.columns),
            rows=data,
            first_row=found.start[0],
        )

    def close(self) -> None:
        self._rows.clear()
        self._workbook.close()
        if self._column_reader is not None:
            self._column_reader.close()
            self._column_reader = None

    def __enter__(self) -> XlsxFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_xlsx(path: str | Path, *, password: str | None = None) -> XlsxFile:
    """Open a workbook for reading; an encrypted one is decrypted in memory, never to disk.

    Args:
        path: an .xlsx or .xlsm file.
        password: the password of an encrypted workbook (ignored for one that is not).

    Raises:
        PaxlError: the file is missing, is not an Excel workbook (.xlsx/.xlsm), is damaged, is
            encrypted and no or a wrong password was given.
    """
    path = Path(path)
    if not path.exists():
        raise PaxlError(f"{path} does not exist; check the file name and folder.")
    if not path.is_file():
        raise PaxlError(f"{path} is a folder, not a workbook; give the path of an .xlsx file.")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise PaxlError(f"{path.name} cannot be read ({exc.strerror}); check access.") from exc
    source: Path | io.BytesIO = path
    if head == OLE_MAGIC:
        source = decrypt_workbook(path, password)
    elif not head.startswith(_ZIP_MAGIC):
        raise _not_excel(path)
    try:
        with zipfile.ZipFile(source) as package:
            if "xl/workbook.xml" not in package.namelist():
                raise _not_excel(path)
            names = _defined_names(package.read("xl/workbook.xml"))
    except zipfile.BadZipFile as exc:
        raise _damaged(path, "it is not a complete Excel file") from exc
    except ElementTree.ParseError as exc:
        raise _damaged(path, "its workbook part cannot be read") from exc
    try:
        if isinstance(source, Path):
            workbook = CalamineWorkbook.from_path(str(source), load_tables=True)
        else:
            source.seek(0)
            workbook = CalamineWorkbook.from_filelike(source, load_tables=True)
    except Exception as exc:  # calamine's own error types
        raise _damaged(path, "it cannot be opened") from exc
    return XlsxFile(path, workbook, names, source)


def _defined_names(workbook_xml: bytes) -> dict[str, str]:
    """Workbook-level defined names (lower-cased) → their formula text; sheet-level ones after."""
    root = ElementTree.fromstring(workbook_xml)
    workbook_level: dict[str, str] = {}
    sheet_level: dict[str, str] = {}
    for element in root.iter(f"{_MAIN_NS}definedName"):
        name = element.get("name", "")
        if not name or name.startswith("_xlnm."):
            continue
        target = sheet_level if element.get("localSheetId") is not None else workbook_level
        target.setdefault(name.casefold(), element.text or "")
    return {**sheet_level, **workbook_level}


def _not_excel(path: Path) -> PaxlError:
    return PaxlError(
        f"{path.name} is not an Excel workbook; open it in Excel and save it as an Excel "
        "Workbook (.xlsx)."
    )


def _damaged(path: Path, why: str) -> PaxlError:
    return PaxlError(
        f"{path.name} is damaged ({why}); open it in Excel, let Excel repair it, and save it again."
    )
