"""Read an export from another system — a CSV (or other delimited text) or a workbook — as rows.

What kind of file it is comes from its content, not its name: a zip package or an encrypted
Office file is a workbook (read like paxl's own, :mod:`addin.workbook.xlsx_file`, so an encrypted
export opens with the password, in memory); anything else is delimited text. Text is UTF-8 (a
byte-order mark is dropped) or, failing that, Windows-1252, as Excel on Windows saves CSV; the
delimiter is the one of ``,`` ``;`` tab ``|`` that the first line uses most. Rows are numbered as
a spreadsheet shows the file (a CSV record's number, 1 for the first line).

Nothing is interpreted here: finding the header row, mapping and typing are the importer's.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from addin.errors import PaxlError
from addin.workbook.encryption import OLE_MAGIC
from addin.workbook.xlsx_file import open_xlsx

_ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Export:
    """An export's cells: every row from the top of the file (or sheet).

    Attributes:
        name: the file's name, for messages.
        sheet: where the rows are, as findings name it: the file name for text, the sheet's name
            for a workbook.
        rows: the cells of each row (text from a CSV; numbers, dates, text from a workbook;
            ``""`` blank), ``rows[i]`` being row ``i + 1``.
    """

    name: str
    sheet: str
    rows: list[list[object]]


def read_export(
    path: str | os.PathLike[str], *, password: str | None = None, sheet: str | None = None
) -> Export:
    """Read an export file (module doc).

    Args:
        path: a .csv/.txt/.tsv or .xlsx/.xlsm export.
        password: the password of an encrypted workbook export.
        sheet: for a workbook, the sheet to read (default: the first sheet with any cell).

    Raises:
        PaxlError: the file is missing, unreadable, has no rows, or the sheet is not there.
    """
    path = Path(path)
    if not path.is_file():
        raise PaxlError(f"{path} does not exist; check the export's file name and folder.")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise PaxlError(f"{path.name} cannot be read ({exc.strerror}); check access.") from exc
    if head.startswith(_ZIP_MAGIC) or head == OLE_MAGIC:
        export = _read_workbook(path, password, sheet)
    else:
        if sheet is not None:
            raise PaxlError(f"{path.name} is a text file with no sheets; leave out --sheet.")
        export = _read_text(path)
    if not any(any(_filled(c) for c in row) for row in export.rows):
        raise PaxlError(f"{path.name} has no rows to import.")
    return export


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_workbook(path: Path, password: str | None, sheet: str | None) -> Export:
    with open_xlsx(path, password=password) as xlsx:
        if sheet is not None:
            actual = xlsx.find_sheet(sheet)
            if actual is None:
                names = ", ".join(xlsx.sheet_names)
                raise PaxlError(f"{path.name} has no sheet named {sheet}; its sheets: {names}.")
            return Export(path.name, actual, xlsx.rows(actual))
        for name in xlsx.sheet_names:
            rows = xlsx.rows(name)
            if any(any(_filled(c) for c in row) for row in rows):
                return Export(path.name, name, rows)
    raise PaxlError(f"{path.name} has no rows to import.")


def _read_text(path: Path) -> Export:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise PaxlError(
            f"{path.name} is neither a workbook nor a text export (CSV); export it again as "
            "CSV or .xlsx."
        )
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first.count) if first else ","
    try:
        rows: list[list[object]] = list(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        )
    except csv.Error as exc:
        raise PaxlError(
            f"{path.name} cannot be read as CSV ({exc}); export it again as CSV or .xlsx."
        ) from exc
    return Export(path.name, path.name, rows)
