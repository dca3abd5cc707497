"""Cell values ↔ typed frames for one Excel table: the conversion every live adapter shares.

Reading: a table's header row and body rows (raw cell values as a host hands them over: floats,
text, ``datetime``, booleans, ``None``/``""`` for empty cells) become a typed frame in the
conventions of :mod:`addin.workbook.schema`, plus the conversion problems as
:class:`~addin.core.findings.Finding` values (bad cells are blank in the frame). Writing: typed
values (integer cents, ``Decimal`` rates, timestamps) become plain cell values (dollars as
numbers, ``datetime``) in the order of the workbook's own header.

Required/enum/foreign-key checks are the validator's and the write plan's, not done here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd

from addin.core.findings import Finding, Severity
from addin.core.money import from_cents
from addin.workbook.convert import convert_column
from addin.workbook.frames import ROW_COLUMN, frame_from_columns, is_blank
from addin.workbook.schema import ColumnType, Table
from addin.workbook.template import NUMBER_FORMATS

#: rows at the end of a table that its fingerprint covers (all of a small staging table).
FINGERPRINT_TAIL = 1000


def header_names(header: Sequence[object]) -> list[str]:
    """Header cells as stripped text (a blank header cell becomes ``""``)."""
    return ["" if is_blank(h) else str(h).strip() for h in header]


def frame_from_cells(
    schema: Table,
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    *,
    sheet: str,
    first_row: int,
) -> tuple[pd.DataFrame, list[Finding]]:
    """Type one table's body rows; wholly blank rows are skipped (they keep no ``_row``).

    Cells convert as the file loader converts them (:func:`addin.workbook.convert.convert_column`:
    allowed values normalised to the schema's spelling, a cell that does not fit is blank and
    reported as ``wrong_type``, without its value). Header names match ignoring case; the
    finding codes are the loader's (``missing_column``, ``unknown_column``, ``duplicate_column``).

    Args:
        schema: the table's columns; matched to the header by name (order does not matter).
        header: the header row's cells.
        rows: the body rows (short rows are padded with blanks).
        sheet: the sheet the table is on (for ``_sheet`` and findings).
        first_row: the Excel row number (1-based) of the first body row.
    """
    header_row = first_row - 1
    findings: list[Finding] = []
    by_name = {c.name.casefold(): c for c in schema.columns}
    positions: dict[str, int] = {}
    for index, name in enumerate(header_names(header)):
        if not name:
            continue
        column = by_name.get(name.casefold())
        if column is None:
            findings.append(_header_finding("unknown_column", schema, sheet, header_row, name))
        elif column.name in positions:
            findings.append(
                _header_finding("duplicate_column", schema, sheet, header_row, column.name)
            )
        else:
            positions[column.name] = index
    for column in schema.columns:
        if column.name not in positions:
            findings.append(
                _header_finding("missing_column", schema, sheet, header_row, column.name)
            )
    kept = [i for i, row in enumerate(rows) if not all(is_blank(v) for v in row)]
    excel_rows = [first_row + i for i in kept]
    typed: dict[str, object] = {}
    for column in schema.columns:
        index = positions.get(column.name)
        raw = [rows[i][index] if index is not None and index < len(rows[i]) else None for i in kept]
        values, problems = convert_column(column, raw)
        typed[column.name] = values
        findings.extend(
            Finding(
                "wrong_type",
                problem.message,
                sheet,
                excel_rows[problem.index],
                column.name,
                fix=problem.fix,
            )
            for problem in problems
        )
    frame = frame_from_columns(schema, typed, sheet=sheet, first_row=first_row, count=len(kept))
    frame[ROW_COLUMN] = pd.Series(excel_rows, dtype="int64")
    return frame, findings


_HEADER_TEXT = {
    "missing_column": (
        Severity.ERROR,
        "The {table} table has no {name} column.",
        "Add a column headed {name} to the table (see the template).",
    ),
    "unknown_column": (
        Severity.WARNING,
        "The {table} table has a column paxl does not know ({name}); it is ignored.",
        "Check the header's spelling, or leave it if it is your own note column.",
    ),
    "duplicate_column": (
        Severity.WARNING,
        "The {table} table has two {name} columns; the first one is read.",
        "Rename or delete the second one.",
    ),
}


def _header_finding(code: str, schema: Table, sheet: str, row: int, name: str) -> Finding:
    severity, message, fix = _HEADER_TEXT[code]
    return Finding(
        code,
        message.format(table=schema.name, name=name),
        sheet,
        row,
        name,
        severity=severity,
        fix=fix.format(name=name),
    )


def cell_value(value: object, column_type: ColumnType | None = None) -> object:
    """One typed value as a plain cell value (blank → ``None``).

    Integer cents (for ``money`` columns) become dollars; ``Decimal`` becomes a number (the
    nearest binary double, which reads back exactly through ``to_decimal``); pandas timestamps
    become ``datetime``. Nothing is rounded.
    """
    if value is None or value is pd.NA or value is pd.NaT or is_blank(value):
        return None
    if column_type is ColumnType.MONEY:
        return float(from_cents(int(value)))
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def cells_from_frame(
    schema: Table, frame: pd.DataFrame, header: Sequence[object]
) -> list[list[object]]:
    """Typed rows as plain cell rows laid out under ``header`` (workbook columns outside the
    schema are left blank; ``_sheet``/``_row`` are ignored)."""
    names = header_names(header)
    types = {c.name: c.type for c in schema.columns}
    columns = [
        [cell_value(v, types[name]) for v in frame[name].tolist()]
        if name in types and name in frame.columns
        else [None] * len(frame)
        for name in names
    ]
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def number_formats(schema: Table, header: Sequence[object]) -> list[str | None]:
    """The number format for each header column of appended cells, the template's for the
    column's type (``"@"`` keeps IDs and ZIP codes text); ``None`` for the rep's own columns."""
    types = {c.name: c.type for c in schema.columns}
    return [NUMBER_FORMATS[types[n]] if n in types else None for n in header_names(header)]


def fingerprint(
    sheet: str,
    header_row: int,
    first_column: int,
    header: Sequence[object],
    body: Sequence[Sequence[object]],
) -> str:
    """A short hash of where a table is, its header, its size and its last rows.

    Two reads of an unchanged table give the same fingerprint; appending or removing rows,
    editing one of the last ``FINGERPRINT_TAIL`` rows, or moving the table changes it. Edits
    further up a long table are not seen (re-reading 400k rows to write one would double a
    macro's cost); appends never touch those rows.
    """
    return fingerprint_tail(
        sheet, header_row, first_column, header, len(body), body[-FINGERPRINT_TAIL:]
    )


def fingerprint_tail(
    sheet: str,
    header_row: int,
    first_column: int,
    header: Sequence[object],
    body_rows: int,
    tail: Sequence[Sequence[object]],
) -> str:
    """:func:`fingerprint` from the body's row count and its last ``FINGERPRINT_TAIL`` rows
    (what an adapter reads to re-check a long table cheaply)."""
    digest = hashlib.sha256()
    place = (sheet, header_row, first_column, header_names(header), body_rows)
    digest.update(repr(place).encode())
    for row in list(tail)[-FINGERPRINT_TAIL:]:
        digest.update(repr([_canonical(v) for v in row]).encode())
    return digest.hexdigest()[:16]


def _canonical(value: object) -> object:
    if is_blank(value):
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return repr(float(value))
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return repr(value)


def column_letters(column: int) -> str:
    """1 → ``A``, 28 → ``AB``."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """``A`` → 1, ``AB`` → 28."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def parse_address(address: str) -> tuple[int, int, int, int]:
    """``"B2:D9"`` (``$`` and a ``Sheet!`` prefix allowed) → (first row, first column, last
    row, last column); a single cell gives the same corner twice.

    Raises:
        ValueError: not an A1-style cell or range.
    """
    text = address.split("!")[-1]
    corners = []
    for part in text.split(":"):
        match = _CELL.match(part.strip())
        if not match:
            raise ValueError(f"{address!r} is not a cell or range address such as B2:D9")
        corners.append((int(match[2]), column_number(match[1])))
    (r1, c1), (r2, c2) = corners[0], corners[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def range_address(row: int, column: int, last_row: int, last_column: int) -> str:
    """(2, 2, 9, 4) → ``"B2:D9"``; a single cell → ``"B2"``."""
    first = f"{column_letters(column)}{row}"
    if (row, column) == (last_row, last_column):
        return first
    return f"{first}:{column_letters(last_column)}{last_row}"
