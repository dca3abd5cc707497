"""A new workbook derived from a loaded one: its tables plus appended rows, plus report sheets.

Headless runs never modify their input (DESIGN §6): ``paxl era post`` (and a later import
command) read a workbook, decide new rows, and write **a new file** with
:func:`write_derived` — the book's tables with the new rows appended, its Policy settings, and
extra report sheets (worklists, summaries) given as :class:`~addin.workbook.port.SheetContent`,
the same values a macro would write through the port.

The new rows are validated against the book first (types, required values, choices, unique IDs,
references — :func:`addin.workbook.write_plan.validate`); with any error nothing is written. The
file is laid out by the template (:mod:`addin.workbook.template`) and written under a temporary
name, then moved into place.

What is carried over: every schema table (a table longer than one sheet is written on
``Payments``, ``Payments_2``, ... sheets, full sheets first, however the input split it), the
Policy settings and the Policy tables. What is not: the practice's own
sheets, formatting and BillTemplate layout — the output is a fresh template filled with the
data. Policy tables are written with the template's rows, so a book whose Policy tables differ
from them is refused rather than silently reset.

:func:`records_from_frame` turns a typed frame back into plain values (integer cents →
``Decimal`` dollars, ``NaT``/``<NA>`` → ``None``); reading the written file gives the same typed
frames back (the round trip is tested).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from addin.core.findings import Severity, has_errors, sort_findings
from addin.core.money import from_cents
from addin.errors import PaxlError
from addin.workbook import template
from addin.workbook.book import Book, default_policy_tables
from addin.workbook.encryption import write_output
from addin.workbook.port import Block, SheetContent, Snapshot
from addin.workbook.schema import POLICY_TABLES, TABLES, TABLES_BY_NAME, ColumnType, Table
from addin.workbook.staging import STAGING_TABLES
from addin.workbook.write_plan import WritePlan, validate

__all__ = ["records_from_frame", "write_derived"]

Appends = Mapping[str, Sequence[Mapping[str, object]]]
#: sheets the template writes, in its order (:func:`addin.workbook.template.build_into`); a report
#: sheet may not take one of these names
TEMPLATE_SHEETS = (
    template.HOME_SHEET,
    template.BALANCES_SHEET,
    *(t.name for t in TABLES),
    *(t.name for t in STAGING_TABLES),
    template.POLICY_SHEET,
    template.BILL_SHEET,
)
#: a continuation sheet of a template table (``Payments_2``): the loader would read a report
#: sheet named like one as rows of that table
_CONTINUATION = re.compile(
    rf"^(?:{'|'.join(re.escape(t.name) for t in (*TABLES, *STAGING_TABLES))})_\d+$",
    re.IGNORECASE,
)
MAX_SHEET_NAME = 31
SHOWN_PROBLEMS = 5


def records_from_frame(frame: pd.DataFrame, table: Table | str) -> list[dict[str, object]]:
    """A typed frame's rows as plain records for :func:`~addin.workbook.template.write_workbook`.

    Money (integer cents) becomes ``Decimal`` dollars with two places; integers ``int``; dates
    ``date`` and datetimes ``datetime``; booleans ``bool``; text and rates stay as they are;
    every blank (``None``, ``NaN``, ``NaT``, ``<NA>``) becomes ``None``. Only schema columns are
    kept (not ``_sheet``/``_row``). Converted column by column, so large tables stay fast.
    """
    schema = TABLES_BY_NAME[table] if isinstance(table, str) else table
    columns = {c.name: _plain(frame[c.name], c.type) for c in schema.columns if c.name in frame}
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def write_derived(
    book: Book,
    appends: Appends,
    out_path: str | os.PathLike[str],
    *,
    extra_sheets: Sequence[SheetContent] = (),
    password: str | None = None,
    rows_per_sheet: int = template.ROWS_PER_SHEET,
) -> None:
    """Write a new workbook: ``book``'s tables with ``appends`` added, plus ``extra_sheets``.

    Args:
        book: the loaded workbook (not changed; its file is never written).
        appends: new rows per table name, plain values (money as ``Decimal`` dollars).
        out_path: the ``.xlsx`` to create (replaced if it exists, never the book's own file).
        extra_sheets: report sheets added after the template's sheets; charts are skipped.
        password: protect the file with this password (encrypted in memory before it is
            written, :func:`~addin.workbook.encryption.write_output`), or ``None``.
        rows_per_sheet: data rows per table sheet; a longer table continues on ``Name_2``,
            ``Name_3``, ... sheets (:func:`~addin.workbook.template.write_workbook`).

    Raises:
        PaxlError: ``out_path`` is the book's own file; a new row does not validate against
            the book (the message names the first problems); a report sheet takes a
            workbook sheet's name or a table's continuation name (``Payments_2``); the book's
            Policy tables differ from the template's. Nothing is written then.
    """
    out = Path(out_path)
    _refuse_input(book, out)
    _check_sheet_names(extra_sheets)
    _check_policy_tables(book)
    _check_appends(book, appends)
    records: dict[str, list[dict[str, object]]] = {}
    for schema in TABLES:
        rows = records_from_frame(book.tables[schema.name], schema)
        rows.extend(dict(r) for r in appends.get(schema.name, ()))
        records[schema.name] = rows
    _write(out, records, book.policy, extra_sheets, password, rows_per_sheet)


# --- checks -------------------------------------------------------------------------------------


def _refuse_input(book: Book, out: Path) -> None:
    source = Path(book.source)
    same = out.exists() and source.exists() and os.path.samefile(out, source)
    if same or out.resolve() == source.resolve():
        raise PaxlError(
            f"The output {out.name} is the input workbook; paxl never changes its input. "
            "Choose another output file (-o)."
        )


def _check_sheet_names(sheets: Sequence[SheetContent]) -> None:
    taken = {s.casefold() for s in TEMPLATE_SHEETS}
    for content in sheets:
        name = content.name
        if not name or len(name) > MAX_SHEET_NAME or any(c in name for c in "[]:*?/\\"):
            raise PaxlError(f"{name!r} is not a valid sheet name.")
        if name.casefold() in taken:
            raise PaxlError(f"A report sheet cannot be named {name}: the workbook has that sheet.")
        if _CONTINUATION.match(name):
            raise PaxlError(
                f"A report sheet cannot be named {name}: paxl reads a sheet named like that as "
                "the continuation of a table. Choose another name."
            )
        taken.add(name.casefold())


def _check_policy_tables(book: Book) -> None:
    defaults = default_policy_tables()
    for pt in POLICY_TABLES:
        mine = book.policy_tables.get(pt.name)
        if mine is None:
            continue
        names = [c.name for c in pt.columns]
        ours = mine[names].reset_index(drop=True)
        if not ours.equals(defaults[pt.name][names].reset_index(drop=True)):
            raise PaxlError(
                f"The Policy sheet's {pt.name} table differs from the template's, and a new "
                "workbook written by paxl would reset it. Post in the workbook itself with the "
                "add-in, or restore the template's rows first."
            )


def _check_appends(book: Book, appends: Appends) -> None:
    plan = WritePlan()
    for table, rows in appends.items():
        if rows:
            plan = plan.append(table, rows)
    snapshot = Snapshot(
        book=book,
        fingerprints={t.name: "" for t in TABLES},
        sheets={t.name: t.name for t in TABLES},
        next_rows={t.name: len(book.tables[t.name]) + 2 for t in TABLES},
    )
    findings = sort_findings(validate(plan, snapshot))
    if not has_errors(findings):
        return
    errors = [f for f in findings if f.severity == Severity.ERROR]
    shown = "; ".join(
        f"{f.sheet} row {f.row}, {f.column}: {f.message.rstrip('.')}"
        for f in errors[:SHOWN_PROBLEMS]
    )
    more = f"; and {len(errors) - SHOWN_PROBLEMS} more" if len(errors) > SHOWN_PROBLEMS else ""
    raise PaxlError(f"Nothing was written: {len(errors)} new row(s) would not fit: {shown}{more}.")


# --- plain values -------------------------------------------------------------------------------


def _plain(series: pd.Series, kind: ColumnType) -> list[object]:
    if kind is ColumnType.MONEY:
        return [None if _blank(v) else from_cents(int(v)) for v in series.tolist()]
    if kind is ColumnType.INTEGER:
        return [None if _blank(v) else int(v) for v in series.tolist()]
    if kind is ColumnType.BOOLEAN:
        return [None if _blank(v) else bool(v) for v in series.tolist()]
    if kind is ColumnType.DATE:
        return (
            series.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(object).tolist()
        )
    if kind is ColumnType.DATETIME:
        return (
            series.to_numpy(dtype="datetime64[ns]").astype("datetime64[us]").astype(object).tolist()
        )
    return [None if _blank(v) else v for v in series.tolist()]


def _blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


# --- writing ------------------------------------------------------------------------------------


def _write(
    out: Path,
    records: Mapping[str, Sequence[Mapping[str, object]]],
    policy: Mapping[str, object],
    sheets: Sequence[SheetContent],
    password: str | None,
    rows_per_sheet: int,
) -> None:
    """The template's layout (as :func:`~addin.workbook.template.write_workbook` writes it) plus
    the report sheets, built in memory, encrypted if ``password``, then written to a temporary
    name in the same folder and moved into place (:func:`~addin.workbook.encryption.write_output`).
    """
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {"in_memory": True})
    template.build_into(workbook, records, policy=policy, rows_per_sheet=rows_per_sheet)
    for content in sheets:
        _add_sheet(workbook, content)
    workbook.close()
    write_output(buffer.getvalue(), out, password=password)


class _Formats:
    """XlsxWriter formats by (number format, bold, fill), made once each."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple[str | None, bool, str | None], Format | None] = {}

    def get(self, number_format: str | None, bold: bool, fill: str | None) -> Format | None:
        key = (number_format, bold, fill)
        if key not in self._made:
            spec: dict[str, object] = {}
            if number_format:
                spec["num_format"] = number_format
            if bold:
                spec["bold"] = True
            if fill:
                spec["bg_color"] = fill
                spec["pattern"] = 1
            self._made[key] = self._workbook.add_format(spec) if spec else None
        return self._made[key]


def _add_sheet(workbook: Workbook, content: SheetContent) -> None:
    sheet = workbook.add_worksheet(content.name)
    formats = _Formats(workbook)
    for block in content.blocks:
        _write_block(sheet, block, formats)
    for column, width in content.column_widths:
        sheet.set_column(column - 1, column - 1, width)
    if content.activate:
        sheet.activate()


def _write_block(sheet: Worksheet, block: Block, formats: _Formats) -> None:
    top, left = block.row - 1, block.column - 1
    rows, cols = block.shape
    for r, row in enumerate(block.values):
        for c, value in enumerate(row):
            number_format = block.column_formats[c] if block.column_formats else None
            fmt = formats.get(number_format or block.number_format, block.bold, block.fill)
            _write_value(sheet, top + r, left + c, value, fmt)
    if block.table and rows >= 2 and cols:
        header = [{"header": str(h) if h is not None else ""} for h in block.values[0]]
        sheet.add_table(
            top,
            left,
            top + rows - 1,
            left + cols - 1,
            {"name": block.table, "columns": header, "style": template.TABLE_STYLE},
        )


def _write_value(sheet: Worksheet, row: int, col: int, value: object, fmt: Format | None) -> None:
    if _blank(value):
        if fmt is not None:
            sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool | np.bool_):
        sheet.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, Decimal | int | float | np.integer | np.floating):
        sheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, dt.date):  # datetime too
        sheet.write_datetime(row, col, value, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)
