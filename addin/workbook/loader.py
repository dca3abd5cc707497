"""The file adapter: an .xlsx/.xlsm workbook → a typed :class:`~addin.workbook.book.Book`.

Where a table lives: on the sheet named like the table (ignoring case), its header in the first
rows (row 1 in our template, found by its column names within the first
:data:`HEADER_SEARCH_ROWS` rows), data below it. A long table continues on ``Name_2``,
``Name_3``, ... sheets with the same header; the rows are concatenated in sheet order and each row
keeps its own ``_sheet`` and ``_row``. Without a sheet of that name, an Excel table (ListObject)
named like the table is used wherever it is. Fully blank rows are skipped (an empty Excel table
has one). Headers match ignoring case and spaces around them; unknown columns are reported as a
warning and ignored.

A table sheet whose header is in row 1 and whose columns each hold one kind of cell (the usual)
is read column-wise, which is about twice as fast (:mod:`addin.workbook.sheet_columns`); any
other sheet is read row by row, with the same result either way.

Cells that do not fit their column are read as blank and reported (``wrong_type``); the
conversion conventions are those of :mod:`addin.workbook.convert`. Then the whole book is checked
by :func:`addin.workbook.validate.validate_tables`. Reading never writes to the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from addin.core.findings import Finding, Severity, has_errors, sort_findings
from addin.errors import PaxlError
from addin.workbook.book import Book
from addin.workbook.convert import convert_column
from addin.workbook.frames import empty_frame, frame_from_sheet_rows
from addin.workbook.policy_reader import read_policy
from addin.workbook.schema import TABLES, Column, Table
from addin.workbook.sheet_columns import as_cells
from addin.workbook.validate import validate_tables
from addin.workbook.xlsx_file import XlsxFile, open_xlsx

#: how many rows from the top of a sheet are searched for a table's header
HEADER_SEARCH_ROWS = 10
#: how many problems ``load_book`` lists in its error message
SUMMARY_PROBLEMS = 5


def read_book(path: str | Path, *, password: str | None = None) -> tuple[Book, list[Finding]]:
    """Load every table and the Policy of a workbook file, with every problem found.

    Args:
        path: an .xlsx or .xlsm workbook; it is only read.
        password: the password of an encrypted workbook (decrypted in memory only).

    Returns:
        The typed book (every schema table present; a missing one is empty; cells that do not
        fit are blank) and all problems, worst first, each with sheet, Excel row and column.

    Raises:
        PaxlError: the file is missing, not an Excel workbook, damaged, or encrypted and the
            password is missing or wrong.
    """
    with open_xlsx(path, password=password) as xlsx:
        return read_open_book(xlsx, source=str(path))


def read_open_book(xlsx: XlsxFile, *, source: str) -> tuple[Book, list[Finding]]:
    """:func:`read_book` on a workbook already open (a caller that also reads its defined
    names opens the file once); ``source`` is the path recorded in the book."""
    findings: list[Finding] = []
    tables: dict[str, pd.DataFrame] = {}
    absent: list[str] = []
    for schema in TABLES:
        read = read_table(xlsx, schema)
        tables[schema.name] = read.frame
        findings += read.findings
        if not read.present:
            absent.append(schema.name)
    policy, policy_tables, policy_findings = read_policy(xlsx)
    findings += policy_findings
    findings += validate_tables(tables, absent=absent, known=findings)
    book = Book(tables=tables, policy=policy, policy_tables=policy_tables, source=source)
    return book, sort_findings(findings)


def load_book(path: str | Path, *, password: str | None = None) -> Book:
    """Like :func:`read_book`, but a workbook with any error-severity problem is refused.

    Raises:
        PaxlError: the file cannot be read, or it has problems; the message counts them and
            names the first few by sheet, row and column.
    """
    with open_xlsx(path, password=password) as xlsx:
        return load_open_book(xlsx, source=path)


def load_open_book(xlsx: XlsxFile, *, source: str | Path) -> Book:
    """:func:`load_book` on a workbook already open; ``source`` is its path.

    Raises:
        PaxlError: the workbook has problems (as :func:`load_book`).
    """
    book, findings = read_open_book(xlsx, source=str(source))
    if has_errors(findings):
        raise PaxlError(problem_summary(Path(source).name, findings))
    return book


def problem_summary(name: str, findings: Sequence[Finding]) -> str:
    """``"book.xlsx has 3 problems to fix first: Payments row 7, Amount: ...; ..."``."""
    errors = [f for f in sort_findings(list(findings)) if f.severity == Severity.ERROR]
    shown = "; ".join(_where(f) + f.message.rstrip(".") for f in errors[:SUMMARY_PROBLEMS])
    more = len(errors) - SUMMARY_PROBLEMS
    tail = f"; and {more} more" if more > 0 else ""
    noun = "problem" if len(errors) == 1 else "problems"
    return (
        f"{name} has {len(errors)} {noun} to fix first: {shown}{tail}. "
        f"Run `paxl validate {name}` for the full list."
    )


def _where(finding: Finding) -> str:
    parts = [finding.sheet or "", f"row {finding.row}" if finding.row else "", finding.column or ""]
    place = ", ".join(p for p in parts if p)
    return f"{place}: " if place else ""


# --- one table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRead:
    """One table as read: its typed frame, problems, and whether the workbook has it at all."""

    frame: pd.DataFrame
    findings: tuple[Finding, ...] = ()
    present: bool = True


@dataclass(frozen=True)
class _Part:
    """The table's block on one sheet: header cells and data rows (or, read column-wise,
    one column of data rows per header cell)."""

    sheet: str
    header: Sequence[object]
    rows: Sequence[Sequence[object]]
    #: 0-based sheet row index of ``rows[0]``
    first_row: int
    columns: Sequence[Sequence[object]] | None = None
    height: int = 0


def read_table(xlsx: XlsxFile, schema: Table) -> TableRead:
    """Read one schema table from all its sheets into a typed frame."""
    sheets = table_sheets(xlsx.sheet_names, schema.name)
    findings: list[Finding] = []
    parts: list[_Part] = []
    if sheets:
        for sheet in sheets:
            read = xlsx.columns(sheet, schema.column_names)
            if read is not None:
                parts.append(_Part(sheet, read.header, (), 1, read.columns, read.height))
                continue
            part = _sheet_part(xlsx, sheet, schema)
            if part is None:
                findings.append(_missing_header(schema, sheet))
            else:
                parts.append(part)
    else:
        excel_table = xlsx.table(schema.name)
        if excel_table is None:
            return TableRead(empty_frame(schema), (_missing_table(schema),), present=False)
        parts.append(
            _Part(excel_table.sheet, excel_table.header, excel_table.rows, excel_table.first_row)
        )
    raw: dict[str, list[Sequence[object]]] = {c.name: [] for c in schema.columns}
    sheet_of_row: list[str] = []
    excel_rows: list[int] = []
    for part in parts:
        findings += _collect(part, schema, raw, sheet_of_row, excel_rows)
    for sheet in sheets:
        xlsx.forget(sheet)
    joined = {name: _joined(chunks) for name, chunks in raw.items()}
    frame, problems = _typed(schema, joined, sheet_of_row, excel_rows)
    return TableRead(frame, (*findings, *problems))


def table_sheets(sheet_names: Sequence[str], table: str) -> list[str]:
    """The sheets holding a table: ``Payments`` then ``Payments_2``, ``Payments_3``, ...

    Names match ignoring case; continuation sheets are ordered by their number.
    """
    pattern = re.compile(rf"^{re.escape(table)}(?:_(\d+))?$", re.IGNORECASE)
    found = []
    for name in sheet_names:
        match = pattern.match(name.strip())
        if match:
            found.append((int(match[1] or 1), name))
    if not any(number == 1 for number, _ in found):
        return []
    return [name for _, name in sorted(found)]


def _fold(value: object) -> str:
    return str(value).strip().casefold() if isinstance(value, str) else ""


def _sheet_part(xlsx: XlsxFile, sheet: str, schema: Table) -> _Part | None:
    """The table's header and data on one sheet; ``None`` when no header row is found."""
    rows = xlsx.rows(sheet)
    wanted = {name.casefold() for name in schema.column_names}
    best, best_hits = None, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for cell in row if _fold(cell) in wanted)
        if hits > best_hits:
            best, best_hits = index, hits
    if best is None:
        return None
    return _Part(sheet, rows[best], rows[best + 1 :], best + 1)


def _collect(
    part: _Part,
    schema: Table,
    raw: dict[str, list[object]],
    sheet_of_row: list[str],
    excel_rows: list[int],
) -> list[Finding]:
    """Append the part's non-blank rows to the raw columns; report header problems."""
    header_row = part.first_row  # the header's Excel row: the data's 0-based index
    by_name = {c.name.casefold(): c for c in schema.columns}
    positions: dict[str, int] = {}
    findings: list[Finding] = []
    headed: list[int] = []
    for index, cell in enumerate(part.header):
        key = _fold(cell)
        if not key:
            continue
        headed.append(index)
        column = by_name.get(key)
        if column is None:
            findings.append(_unknown_column(schema, part.sheet, header_row, str(cell).strip()))
        elif column.name in positions:
            findings.append(_duplicate_column(schema, part.sheet, header_row, column))
        else:
            positions[column.name] = index
    for column in schema.columns:
        if column.name not in positions:
            findings.append(_missing_column(schema, part.sheet, header_row, column))
    if not headed:
        return findings
    if part.columns is None:
        columns = _columns(part.rows, headed)
        count = len(part.rows)
    else:
        columns = {j: part.columns[j] for j in headed}
        count = part.height
    kept = _non_blank_rows(list(columns.values()), count)
    if len(kept) < count:
        columns = {j: _taken(column, kept) for j, column in columns.items()}
    for column in schema.columns:
        index = positions.get(column.name)
        raw[column.name].append(columns[index] if index is not None else [""] * len(kept))
    sheet_of_row.extend([part.sheet] * len(kept))
    first = part.first_row + 1
    if isinstance(kept, range):
        excel_rows.extend(range(first, first + len(kept)))
    else:
        excel_rows.extend(first + i for i in kept)
    return findings


def _is_blank(value: object) -> bool:
    return value is None or value == ""


def _blank_rows_of(column: Sequence[object]) -> list[int]:
    """Indexes of a column's blank cells (``""``/``None``; NaN/NaT in a read-column array)."""
    if isinstance(column, np.ndarray):
        blank = np.isnat(column) if column.dtype.kind == "M" else np.isnan(column)
        return np.flatnonzero(blank).tolist()
    if "" not in column and None not in column:  # the usual: one scan, in C
        return []
    return [i for i, value in enumerate(column) if _is_blank(value)]


def _non_blank_rows(columns: Sequence[Sequence[object]], count: int) -> Sequence[int]:
    """Indexes of the rows with a value in any of ``columns`` (0 and FALSE are values).

    Only rows blank in the first column are checked across all columns, so a table whose first
    column is filled costs one scan of that column.
    """
    if not columns:
        return []
    candidates = _blank_rows_of(columns[0])
    if not candidates:
        return range(count)
    blank = set(candidates)
    for column in columns[1:]:
        blank.intersection_update(_blank_rows_of(column))
        if not blank:
            break
    if not blank:
        return range(count)
    return [i for i in range(count) if i not in blank]


def _taken(column: Sequence[object], kept: Sequence[int]) -> Sequence[object]:
    """The cells of a column at the ``kept`` rows."""
    if isinstance(column, np.ndarray):
        return column[np.asarray(kept, dtype=np.int64)]
    return [column[i] for i in kept]


def _joined(chunks: Sequence[Sequence[object]]) -> Sequence[object]:
    """One column from its parts (a table continued on several sheets): arrays of one kind
    stay an array, anything else becomes cells."""
    if len(chunks) == 1:
        return chunks[0]
    arrays = all(isinstance(c, np.ndarray) for c in chunks)
    if chunks and arrays and len({c.dtype for c in chunks}) == 1:
        return np.concatenate(chunks)
    joined: list[object] = []
    for chunk in chunks:
        joined.extend(as_cells(chunk))
    return joined


def _columns(rows: Sequence[Sequence[object]], indexes: Sequence[int]) -> dict[int, list[object]]:
    """The cells of the given columns, each a list down the rows (short rows read blank)."""
    width = max(indexes) + 1
    if min(map(len, rows), default=width) < width:
        rows = [list(row) + [""] * (width - len(row)) for row in rows]
    return {j: [row[j] for row in rows] for j in indexes}


def _typed(
    schema: Table,
    raw: dict[str, list[object]],
    sheet_of_row: list[str],
    excel_rows: list[int],
) -> tuple[pd.DataFrame, list[Finding]]:
    typed: dict[str, object] = {}
    findings: list[Finding] = []
    for column in schema.columns:
        values, problems = convert_column(column, raw[column.name])
        typed[column.name] = values
        for problem in problems:
            findings.append(
                Finding(
                    "wrong_type",
                    problem.message,
                    sheet_of_row[problem.index],
                    excel_rows[problem.index],
                    column.name,
                    fix=problem.fix,
                )
            )
    frame = frame_from_sheet_rows(schema, typed, sheets=sheet_of_row, rows=excel_rows)
    return frame, findings


# --- structural findings ------------------------------------------------------------------------


def _missing_table(schema: Table) -> Finding:
    return Finding(
        "missing_table",
        f"The workbook has no {schema.name} sheet.",
        schema.name,
        fix=f"Add a {schema.name} sheet with the {schema.name} table (copy it from the template).",
    )


def _missing_header(schema: Table, sheet: str) -> Finding:
    return Finding(
        "missing_header",
        f"The {sheet} sheet has no header row with the {schema.name} column names.",
        sheet,
        1,
        fix=f"Put the column names ({', '.join(schema.column_names[:3])}, ...) in row 1.",
    )


def _missing_column(schema: Table, sheet: str, row: int, column: Column) -> Finding:
    return Finding(
        "missing_column",
        f"The {schema.name} table has no {column.name} column.",
        sheet,
        row,
        column.name,
        fix=f"Add a column headed {column.name} to the table (see the template).",
    )


def _unknown_column(schema: Table, sheet: str, row: int, name: str) -> Finding:
    return Finding(
        "unknown_column",
        f"The {schema.name} table has a column paxl does not know ({name}); it is ignored.",
        sheet,
        row,
        name,
        severity=Severity.WARNING,
        fix="Check the header's spelling, or leave it if it is your own note column.",
    )


def _duplicate_column(schema: Table, sheet: str, row: int, column: Column) -> Finding:
    return Finding(
        "duplicate_column",
        f"The {schema.name} table has two {column.name} columns; the first one is read.",
        sheet,
        row,
        column.name,
        severity=Severity.WARNING,
        fix="Rename or delete the second one.",
    )
