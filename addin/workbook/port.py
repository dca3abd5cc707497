"""The workbook port: what a macro may read from and write to a workbook, on every host.

One abstract port (:class:`WorkbookPort`), several adapters: ``memory_adapter`` (unit tests of
macros), ``xlwings_adapter`` (live Excel on Windows/macOS, xlwings Lite, xlwings Server). The
operations are only those every xlwings host implements (DESIGN §2): read a table, read defined
names, read the selection, append rows to a table, clear a staging table, add/replace a plain
sheet with values and simple formatting, set a defined name, show an alert. Column widths and
charts are optional extras an adapter may skip.

Macros do not write through the port directly: they build a
:class:`~addin.workbook.write_plan.WritePlan`, which validates every row first and then applies
through the port once. The shared logic (typing cells, fingerprints, policy) lives here, so each
adapter only moves raw cell values.

Row and column numbers are Excel's: 1-based.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from addin.core.findings import Finding, Severity
from addin.core.money import MoneyError
from addin.errors import PaxlError
from addin.workbook import cells
from addin.workbook.book import Book, default_policy, default_policy_tables
from addin.workbook.convert import type_problem
from addin.workbook.frames import ROW_COLUMN, CellError, coerce, empty_frame, is_blank
from addin.workbook.policy_reader import setting_value
from addin.workbook.schema import (
    POLICY_TABLES,
    SETTINGS,
    TABLES,
    TABLES_BY_NAME,
    Column,
    Table,
)

POLICY_SHEET = "Policy"
#: sheets a macro may never replace (besides every sheet that holds a data table)
PROTECTED_SHEETS = frozenset({POLICY_SHEET, "BillTemplate"})


# --- what adapters hand over ----------------------------------------------------------------


@dataclass(frozen=True)
class TableCells:
    """One Excel table's raw cells: where it is, its header and its body rows.

    ``body`` includes blank rows (an empty Excel table still has one blank body row).
    """

    sheet: str
    header_row: int
    first_column: int
    header: tuple[object, ...]
    body: tuple[tuple[object, ...], ...]

    @property
    def first_body_row(self) -> int:
        return self.header_row + 1


@dataclass(frozen=True)
class TableRead:
    """A table read through the port: typed frame, conversion problems, fingerprint."""

    name: str
    frame: pd.DataFrame
    findings: tuple[Finding, ...]
    fingerprint: str
    sheet: str | None
    #: the Excel row an appended row would fill first (``None`` when the table is absent)
    next_row: int | None = None


@dataclass(frozen=True)
class Selection:
    """The active cell and the row around it.

    ``record`` maps each header of the active row's table (or of the plain sheet's header row)
    to the active row's raw value; ``table`` names the Excel table the cell is in, if any.
    """

    sheet: str
    row: int | None
    column: int | None
    table: str | None = None
    record: Mapping[str, object] = field(default_factory=dict)


# --- what macros write on plain sheets --------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A rectangle of values at ``(row, column)`` with optional formatting.

    Values are plain Python (``Decimal`` money, ``date``, text, numbers, ``None``). With
    ``table`` set, the block (first row = header) becomes an Excel table of that name.
    ``column_formats`` gives a number format per block column (``None`` = leave), overriding
    ``number_format`` for the whole block. ``fill`` is a hex colour such as ``"#DDEBF7"``.
    """

    row: int
    column: int
    values: tuple[tuple[object, ...], ...]
    number_format: str | None = None
    column_formats: tuple[str | None, ...] = ()
    bold: bool = False
    fill: str | None = None
    table: str | None = None

    def __post_init__(self) -> None:
        if self.row < 1 or self.column < 1:
            raise ValueError("Block row and column are 1-based")
        widths = {len(r) for r in self.values}
        if len(widths) > 1:
            raise ValueError("every row of a Block must have the same length")
        if self.column_formats and widths and len(self.column_formats) != widths.pop():
            raise ValueError("column_formats must have one entry per block column")

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), len(self.values[0]) if self.values else 0


@dataclass(frozen=True)
class Chart:
    """An optional chart (skipped on hosts without charts): ``source`` = (row, column, rows,
    columns) on the same sheet, placed with its top-left corner at ``anchor`` = (row, column)."""

    source: tuple[int, int, int, int]
    anchor: tuple[int, int]
    chart_type: str = "column_clustered"
    title: str | None = None
    width: float = 360
    height: float = 216


@dataclass(frozen=True)
class SheetContent:
    """A whole output sheet (voucher, options, summary, findings): replaced if it exists.

    ``column_widths`` = ((column, width in characters), ...), applied on desktop Excel only.
    """

    name: str
    blocks: tuple[Block, ...] = ()
    column_widths: tuple[tuple[int, float], ...] = ()
    charts: tuple[Chart, ...] = ()
    activate: bool = True


# --- the port ---------------------------------------------------------------------------------


class WorkbookPort(abc.ABC):
    """A workbook that macros read and write.

    Adapters implement the abstract primitives, which only move raw cell values; the typed
    operations (reading frames and Policy, appending typed rows, guarding what may be cleared or
    replaced, snapshots) are shared and defined here.

    A long table may continue in further Excel tables named ``<table>_2``, ``<table>_3``, ...
    (e.g. ``Payments_2`` on its own sheet, DESIGN §7): reads concatenate the parts, appends go
    to the last part.
    """

    # primitives ----------------------------------------------------------------------------

    @abc.abstractmethod
    def sheet_names(self) -> tuple[str, ...]:
        """The workbook's sheets, in tab order."""

    @abc.abstractmethod
    def table_names(self) -> tuple[str, ...]:
        """Every Excel table (ListObject) in the workbook."""

    @abc.abstractmethod
    def table_sheet(self, name: str) -> str | None:
        """The sheet holding the Excel table ``name`` (case-insensitive), ``None`` if absent."""

    @abc.abstractmethod
    def table_cells(self, name: str) -> TableCells | None:
        """The raw cells of the Excel table ``name`` (case-insensitive), ``None`` if absent."""

    @abc.abstractmethod
    def name_values(self, names: Iterable[str]) -> dict[str, object]:
        """The raw value of each workbook-level defined name that exists and is one cell."""

    @abc.abstractmethod
    def name_references(self, names: Iterable[str]) -> dict[str, str]:
        """What each workbook-level defined name that exists refers to, as Excel writes it
        (``"=BillTemplate!$G$9"``, a range or a formula as it is); absent names are left out."""

    @abc.abstractmethod
    def selection(self) -> Selection:
        """The active cell of the active sheet, with its row's record (see :class:`Selection`)."""

    @abc.abstractmethod
    def _append_cells(self, name: str, rows: list[list[object]], formats: list[str | None]) -> None:
        """Write ``rows`` (laid out as the table's header) right under the table's last
        non-blank body row and resize the table to hold them; give each column its format."""

    @abc.abstractmethod
    def _clear_cells(self, name: str) -> None:
        """Empty the table's body, leaving the header and one blank body row."""

    @abc.abstractmethod
    def _write_sheet(self, content: SheetContent) -> None:
        """Replace (or add, at the end) the sheet and write its blocks."""

    @abc.abstractmethod
    def set_name(self, name: str, sheet: str, address: str) -> None:
        """Point the workbook-level defined name at ``sheet!address`` (added or redefined)."""

    @abc.abstractmethod
    def alert(self, message: str, title: str = "paxl") -> None:
        """Show the rep a message box (on a server host: after the script returns)."""

    # shared, typed operations ---------------------------------------------------------------

    def table_parts(self, name: str) -> list[str]:
        """The Excel tables holding table ``name``: itself, then ``name_2``, ``name_3``, ...
        (empty when the workbook has no table ``name``)."""
        pattern = re.compile(rf"^{re.escape(name)}(?:_(\d+))?$", re.IGNORECASE)
        found = []
        for table in self.table_names():
            match = pattern.match(table)
            if match:
                found.append((int(match[1] or 1), table))
        if not any(number == 1 for number, _ in found):
            return []
        return [table for _, table in sorted(found)]

    def fingerprint(self, name: str) -> str:
        """A short hash of where the table's parts are and of their last rows (``""`` when
        absent).

        Compared by :func:`addin.workbook.write_plan.apply` before writing, so a workbook edited
        since the macro read it is never overwritten.
        """
        return "+".join(self._part_fingerprint(part) for part in self.table_parts(name))

    def _part_fingerprint(self, part: str) -> str:
        """One Excel table's fingerprint; adapters may override it with a cheaper read of the
        table's last rows that gives the same value (:func:`cells.fingerprint_tail`)."""
        found = self.table_cells(part)
        if found is None:
            return ""
        return cells.fingerprint(
            found.sheet, found.header_row, found.first_column, found.header, found.body
        )

    def read_table(self, table: Table | str) -> TableRead:
        """Read one table as a typed frame (schema conventions, ``_sheet``/``_row``).

        ``table`` is a schema table name or a :class:`Table` (e.g. a staging table outside the
        schema). An absent table reads as empty, with a ``missing_table`` error.
        """
        schema = TABLES_BY_NAME[table] if isinstance(table, str) else table
        parts = self.table_parts(schema.name)
        if not parts:
            missing = Finding(
                "missing_table",
                f"The workbook has no {schema.name} table.",
                schema.name,
                fix=f"Add the {schema.name} table (copy it from the template).",
            )
            return TableRead(schema.name, empty_frame(schema), (missing,), "", None)
        frames, findings, prints = [], [], []
        found = None
        for part in parts:
            found = self._require(part)
            frame, problems = cells.frame_from_cells(
                schema, found.header, found.body, sheet=found.sheet, first_row=found.first_body_row
            )
            frames.append(frame)
            findings.extend(problems)
            prints.append(
                cells.fingerprint(
                    found.sheet, found.header_row, found.first_column, found.header, found.body
                )
            )
        assert found is not None
        last = frames[-1]
        next_row = int(last[ROW_COLUMN].max()) + 1 if len(last) else found.first_body_row
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        return TableRead(
            schema.name, frame, tuple(findings), "+".join(prints), found.sheet, next_row
        )

    def read_policy(self) -> tuple[dict[str, object], list[Finding]]:
        """Every Policy setting through its defined name, typed as in
        :class:`~addin.workbook.book.Book` (``Decimal`` money and rates, ``int``, ``bool``,
        ``str``), as the file loader reads them: a missing or blank name keeps its default
        (``policy_default`` warning), a value that does not fit keeps it too (``wrong_type``)."""
        policy = default_policy()
        raw = self.name_values(s.name for s in SETTINGS)
        findings: list[Finding] = []
        for setting in SETTINGS:
            value = raw.get(setting.name)
            if is_blank(value):
                why = "is not defined" if setting.name not in raw else "is blank"
                findings.append(
                    Finding(
                        "policy_default",
                        f"The Policy setting {setting.name} {why}; the default is used.",
                        POLICY_SHEET,
                        column=setting.name,
                        severity=Severity.WARNING,
                        fix=f"Set {setting.label} on the Policy sheet (named cell {setting.name}).",
                    )
                )
                continue
            try:
                policy[setting.name] = setting_value(setting, value)
            except (CellError, MoneyError, ArithmeticError):
                message, fix = type_problem(Column(setting.name, setting.type), value)
                findings.append(
                    Finding(
                        "wrong_type",
                        f"{message[:-1]}; the default is used until it is fixed.",
                        POLICY_SHEET,
                        column=setting.name,
                        fix=fix,
                    )
                )
        return policy, findings

    def read_policy_tables(self) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
        """The Policy sheet's small tables (defaults where a table is absent)."""
        frames = default_policy_tables()
        findings: list[Finding] = []
        for pt in POLICY_TABLES:
            if not self.table_parts(pt.name):
                continue
            read = self.read_table(Table(pt.name, pt.columns))
            frames[pt.name] = read.frame
            findings.extend(read.findings)
        return frames, findings

    def append_rows(self, table: Table | str, frame: pd.DataFrame) -> None:
        """Append typed rows (schema conventions) to a table's last part, growing it. No
        validation here: macros append through :func:`addin.workbook.write_plan.apply`, which
        validates first.

        Raises:
            PaxlError: the table is absent or lacks a column the rows fill.
        """
        schema = TABLES_BY_NAME[table] if isinstance(table, str) else table
        if frame.empty:
            return
        parts = self.table_parts(schema.name)
        found = self._require(parts[-1] if parts else schema.name)
        names = set(cells.header_names(found.header))
        filled = [c.name for c in schema.columns if c.name in frame.columns]
        lacking = [n for n in filled if n not in names and frame[n].notna().any()]
        if lacking:
            raise PaxlError(
                f"The {schema.name} table on sheet {found.sheet} has no "
                f"{', '.join(lacking)} column; add it (see the template) and try again."
            )
        rows = cells.cells_from_frame(schema, frame, found.header)
        self._append_cells(parts[-1], rows, cells.number_formats(schema, found.header))

    def clear_rows(self, name: str) -> None:
        """Empty a staging table (data and log tables are never cleared).

        Raises:
            PaxlError: the table is a data, log or Policy table, or absent.
        """
        if not is_staging(name):
            raise PaxlError(f"{name} holds data paxl never deletes; only staging tables clear.")
        self._require(name)
        self._clear_cells(name)

    def write_sheet(self, content: SheetContent) -> None:
        """Add the sheet (or replace it) and write its blocks.

        Raises:
            PaxlError: the sheet holds a data table or is a protected sheet (Policy,
                BillTemplate) — replacing it would destroy the rep's data.
        """
        if protected_sheet(content.name, self._sheets_with_tables()):
            raise PaxlError(
                f"paxl will not replace sheet {content.name}: it holds workbook data. "
                "Rename that sheet or choose another output sheet."
            )
        self._write_sheet(content)

    def snapshot(self, tables: Iterable[Table | str], *, policy: bool = True) -> Snapshot:
        """Read what a macro needs in one go: the tables (typed), fingerprints, Policy."""
        frames = {t.name: empty_frame(t) for t in TABLES}
        fingerprints: dict[str, str] = {}
        sheets: dict[str, str] = {}
        next_rows: dict[str, int] = {}
        findings: list[Finding] = []
        for table in tables:
            read = self.read_table(table)
            frames[read.name] = read.frame
            fingerprints[read.name] = read.fingerprint
            if read.sheet:
                sheets[read.name] = read.sheet
            if read.next_row is not None:
                next_rows[read.name] = read.next_row
            findings.extend(read.findings)
        settings, policy_tables = default_policy(), default_policy_tables()
        if policy:
            settings, more = self.read_policy()
            findings.extend(more)
            policy_tables, more = self.read_policy_tables()
            findings.extend(more)
        book = Book(tables=frames, policy=settings, policy_tables=policy_tables)
        return Snapshot(
            book=book,
            fingerprints=fingerprints,
            sheets=sheets,
            findings=tuple(findings),
            sheets_with_tables=frozenset(self._sheets_with_tables()),
            next_rows=next_rows,
        )

    # helpers --------------------------------------------------------------------------------

    def _require(self, name: str) -> TableCells:
        found = self.table_cells(name)
        if found is None:
            raise PaxlError(f"The workbook has no {name} table; add it (see the template).")
        return found

    def _sheets_with_tables(self) -> set[str]:
        """Sheets holding a part of a schema data/log table or a Policy table (never replaced)."""
        sheets = set()
        for table in (*TABLES, *POLICY_TABLES):
            for part in self.table_parts(table.name):
                sheet = self.table_sheet(part)
                if sheet is not None:
                    sheets.add(sheet)
        return sheets


@dataclass(frozen=True)
class Snapshot:
    """What a macro read: typed tables as a :class:`Book`, and how to tell they changed.

    ``fingerprints`` cover exactly the tables read; ``sheets`` says where each read table's
    last part lives and ``next_rows`` the Excel row its first appended row will fill;
    ``sheets_with_tables`` are the sheets a plan may not replace.
    """

    book: Book
    fingerprints: Mapping[str, str]
    sheets: Mapping[str, str] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    sheets_with_tables: frozenset[str] = frozenset()
    next_rows: Mapping[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.book.tables[name]


def is_staging(name: str) -> bool:
    """A staging table (e.g. ``NewPayments``) holds rows typed for a macro to post; it is the
    only kind a macro may clear. Schema data/log tables and Policy tables are never staging."""
    folded = name.casefold()
    if any(t.name.casefold() == folded for t in TABLES):
        return bool(getattr(TABLES_BY_NAME.get(name), "staging", False))
    return all(t.name.casefold() != folded for t in POLICY_TABLES)


def protected_sheet(sheet: str, sheets_with_tables: Iterable[str]) -> bool:
    """True if a macro may not replace this sheet (case-insensitive, as Excel compares)."""
    folded = sheet.casefold()
    guarded = {s.casefold() for s in PROTECTED_SHEETS} | {s.casefold() for s in sheets_with_tables}
    guarded |= {t.name.casefold() for t in TABLES}
    return folded in guarded


def selected_patient_id(selection: Selection) -> str:
    """The PatientID in the active row of the active sheet ("the selected patient").

    Raises:
        PaxlError: the active row has no PatientID; the message says what to select.
    """
    record = {str(k).strip(): v for k, v in selection.record.items()}
    value = record.get("PatientID")
    if is_blank(value):
        where = f" (sheet {selection.sheet}, row {selection.row})" if selection.row else ""
        raise PaxlError(
            f"No patient is selected{where}. Click a cell in a row that has a PatientID "
            "(on Patients, Charges, Payments or Accounts), then click the button again."
        )
    return str(coerce(Column("PatientID"), value))


def record_at(header: Sequence[object], row: Sequence[object]) -> dict[str, object]:
    """A row's raw values keyed by the header's (non-blank) names — for :class:`Selection`."""
    names = cells.header_names(header)
    return {n: v for n, v in zip(names, row, strict=False) if n}


#: how many rows above the active row a plain sheet's header is looked for in
HEADER_SEARCH_ROWS = 30


def plain_sheet_record(
    rows_above: Sequence[Sequence[object]], active_row: Sequence[object]
) -> dict[str, object]:
    """The active row of a plain (non-table) sheet keyed by the nearest header row above it,
    the header row being the lowest of ``rows_above`` that has a ``PatientID`` cell."""
    for header in reversed(rows_above):
        if any(isinstance(v, str) and v.strip() == "PatientID" for v in header):
            return record_at(header, active_row)
    return {}
