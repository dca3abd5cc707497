"""Write plans: what a macro intends to write, validated as a whole, then applied once.

A macro reads a :class:`~addin.workbook.port.Snapshot`, lets the core decide, and builds a
:class:`WritePlan` — an immutable list of operations (append rows to a table, clear a staging
table, write an output sheet, set a defined name, show an alert; an ``Audit`` row is one
append). Building a plan is pure. :func:`validate` checks every appended row against the schema
and the snapshot (types, required, choices, unique keys against existing rows and within the
plan, foreign keys) and returns :class:`~addin.core.findings.Finding` values naming sheet, row and
column. :func:`apply` writes only a plan that validates, and only if no table the macro read has
changed since (fingerprints): otherwise it raises and writes nothing.

Rules enforced here (DESIGN §6): data tables are only ever appended to; only staging tables are
cleared; sheets holding data are never replaced; log tables (``Audit``, ``Statements``,
``Contacts``) are appended last, after the writes they record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from addin.core.findings import Finding, has_errors, sort_findings
from addin.core.money import from_cents
from addin.errors import PaxlError
from addin.workbook.convert import convert_column
from addin.workbook.frames import ROW_COLUMN, SHEET_COLUMN, frame_from_columns, is_blank
from addin.workbook.port import (
    SheetContent,
    Snapshot,
    WorkbookPort,
    is_staging,
    protected_sheet,
)
from addin.workbook.schema import TABLES_BY_NAME, ColumnType, Table
from addin.workbook.validate import validate_tables

Record = tuple[tuple[str, object], ...]
Origin = tuple[str, int]


# --- operations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppendRows:
    """Append rows to a schema table. ``rows`` hold plain values (money as ``Decimal``
    dollars); ``origins`` say where each row was typed (e.g. a staging row) for messages."""

    table: str
    rows: tuple[Record, ...]
    origins: tuple[Origin | None, ...] = ()


@dataclass(frozen=True)
class ClearRows:
    """Empty a staging table's body (its header stays)."""

    table: str


@dataclass(frozen=True)
class WriteSheet:
    """Add or replace an output sheet."""

    content: SheetContent


@dataclass(frozen=True)
class SetName:
    """Point a workbook-level defined name at ``sheet!address``."""

    name: str
    sheet: str
    address: str


@dataclass(frozen=True)
class Alert:
    """Tell the rep something once everything is written."""

    message: str
    title: str = "paxl"


Operation = AppendRows | ClearRows | WriteSheet | SetName | Alert


@dataclass(frozen=True)
class WritePlan:
    """An immutable list of intended writes; each builder method returns a new plan."""

    operations: tuple[Operation, ...] = ()

    def append(
        self,
        table: str,
        records: Iterable[Mapping[str, object]],
        *,
        origins: Iterable[Origin | None] | None = None,
    ) -> WritePlan:
        """Plan appending ``records`` (plain values per column; missing columns blank).

        Money is ``Decimal`` (or text/float) **dollars**; an ``int`` for money is refused, so
        integer cents cannot slip in as dollars (use :func:`plain_records` on typed frames).

        Raises:
            ValueError: the table is not a schema table, or a record names an unknown column.
            TypeError: a money value is an ``int``.
        """
        schema = TABLES_BY_NAME.get(table)
        if schema is None:
            raise ValueError(f"{table} is not a schema table; paxl appends only to those")
        rows = tuple(_record(schema, r) for r in records)
        where = tuple(origins) if origins is not None else ()
        if where and len(where) != len(rows):
            raise ValueError("origins must have one entry per record")
        return self._plus(AppendRows(table, rows, where))

    def audit(
        self,
        *,
        at: object,
        who: str,
        action: str,
        table: str | None = None,
        rows: int | None = None,
        detail: str | None = None,
    ) -> WritePlan:
        """Plan one ``Audit`` row (who did what, when, to how many rows of which table)."""
        record = {"At": at, "Who": who, "Action": action, "Table": table, "Rows": rows}
        return self.append("Audit", [{**record, "Detail": detail}])

    def clear(self, table: str) -> WritePlan:
        """Plan emptying a staging table (e.g. ``NewPayments`` after posting its rows).

        Raises:
            ValueError: the table is a data, log or Policy table.
        """
        if not is_staging(table):
            raise ValueError(f"{table} is not a staging table; paxl never deletes its rows")
        return self._plus(ClearRows(table))

    def write_sheet(self, content: SheetContent) -> WritePlan:
        """Plan adding or replacing an output sheet."""
        return self._plus(WriteSheet(content))

    def set_name(self, name: str, sheet: str, address: str) -> WritePlan:
        """Plan pointing a defined name at ``sheet!address`` (e.g. ``"A1"`` or ``"B2:D9"``)."""
        return self._plus(SetName(name, sheet, address))

    def alert(self, message: str, title: str = "paxl") -> WritePlan:
        """Plan a message box shown after everything is written."""
        return self._plus(Alert(message, title))

    def _plus(self, operation: Operation) -> WritePlan:
        return WritePlan((*self.operations, operation))

    def appended(self, table: str) -> int:
        """How many rows the plan appends to ``table``."""
        return sum(len(op.rows) for op in self.operations if _is_append(op, table))


def _is_append(op: Operation, table: str) -> bool:
    return isinstance(op, AppendRows) and op.table == table


def _record(schema: Table, record: Mapping[str, object]) -> Record:
    names = set(schema.column_names)
    unknown = sorted(set(record) - names)
    if unknown:
        raise ValueError(f"{schema.name} has no column(s) {', '.join(unknown)}")
    items = []
    for column in schema.columns:
        if column.name not in record:
            continue
        value = record[column.name]
        if value is pd.NA or value is pd.NaT:
            value = None
        if (
            column.type is ColumnType.MONEY
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            raise TypeError(
                f"{schema.name}.{column.name}: pass money as Decimal dollars, not int "
                f"({value!r} could be cents); see plain_records()"
            )
        items.append((column.name, value))
    return tuple(items)


def plain_records(frame: pd.DataFrame, schema: Table | str) -> list[dict[str, object]]:
    """Typed rows (schema conventions: money in integer cents) as plain records for
    :meth:`WritePlan.append` (money as ``Decimal`` dollars, blanks as ``None``)."""
    schema = TABLES_BY_NAME[schema] if isinstance(schema, str) else schema
    records = []
    for row in frame.to_dict("records"):
        record: dict[str, object] = {}
        for column in schema.columns:
            if column.name not in row:
                continue
            value = row[column.name]
            if is_blank(value) or value is pd.NA:
                record[column.name] = None
            elif column.type is ColumnType.MONEY:
                record[column.name] = from_cents(int(value))
            elif isinstance(value, pd.Timestamp):
                record[column.name] = value.to_pydatetime()
            else:
                record[column.name] = value
        records.append(record)
    return records


# --- validation -------------------------------------------------------------------------------


@dataclass
class _Checked:
    findings: list[Finding] = field(default_factory=list)
    #: typed rows per AppendRows operation (index into plan.operations)
    typed: dict[int, pd.DataFrame] = field(default_factory=dict)


def validate(plan: WritePlan, snapshot: Snapshot) -> list[Finding]:
    """Every problem that would stop the plan, worst first (no errors = it may be applied).

    Appended rows are typed as the loader types cells (``wrong_type``) and then checked with the
    workbook validator (:func:`addin.workbook.validate.validate_tables`) against the snapshot's
    rows: ``blank_required``, ``not_allowed``, ``duplicate_id``/``duplicate_row`` (against
    existing rows and within the plan), ``unknown_reference`` (rows the plan appends count),
    ``charge_patient_mismatch``, ``negative_amount``. Each finding names the sheet and row the
    value was typed on (``origins``) or the row it would fill. Replacing a sheet that holds data
    is ``protected_sheet``.

    Raises:
        ValueError: the plan appends to, clears, or references a table the snapshot did not
            read (a bug in the macro: read every table you write or look up).
    """
    return sort_findings(_check(plan, snapshot).findings)


def _check(plan: WritePlan, snapshot: Snapshot) -> _Checked:
    checked = _Checked()
    planned: dict[str, list[pd.DataFrame]] = {}
    for index, op in enumerate(plan.operations):
        if isinstance(op, AppendRows):
            _require_read(snapshot, op.table, "append to")
            before = sum(len(f) for f in planned.get(op.table, []))
            typed = _typed_rows(op, snapshot, before, checked.findings)
            checked.typed[index] = typed
            planned.setdefault(op.table, []).append(typed)
        elif isinstance(op, ClearRows):
            _require_read(snapshot, op.table, "clear")
        elif isinstance(op, WriteSheet):
            guarded = set(snapshot.sheets_with_tables) | set(snapshot.sheets.values())
            if protected_sheet(op.content.name, guarded):
                checked.findings.append(
                    Finding(
                        "protected_sheet",
                        f"Sheet {op.content.name} holds workbook data; paxl will not replace it.",
                        op.content.name,
                        fix="Rename that sheet or choose another output sheet.",
                    )
                )
    merged = {t: pd.concat(frames, ignore_index=True) for t, frames in planned.items()}
    for table, frame in merged.items():
        _require_references(snapshot, table, frame, merged)
    context = {name: snapshot.book.tables[name] for name in snapshot.fingerprints}
    checked.findings += validate_tables(merged, context=context, known=checked.findings)
    return checked


def _require_read(snapshot: Snapshot, table: str, verb: str) -> None:
    if table not in snapshot.fingerprints:
        raise ValueError(f"read {table} into the snapshot before planning to {verb} it")


def _require_references(
    snapshot: Snapshot, table: str, frame: pd.DataFrame, merged: Mapping[str, pd.DataFrame]
) -> None:
    """Every table a foreign key of the appended rows points into must have been read (unless
    every value is one the key accepts besides keys, such as Payer ``Patient``)."""
    for column in TABLES_BY_NAME[table].columns:
        ref = column.references
        if ref is None or ref.table in merged:
            continue
        values = frame[column.name].dropna()
        if not values.isin(ref.also).all():
            _require_read(snapshot, ref.table, f"check {table}.{column.name} against")


def _typed_rows(
    op: AppendRows, snapshot: Snapshot, before: int, findings: list[Finding]
) -> pd.DataFrame:
    """The operation's rows typed like cells, with ``_sheet``/``_row`` = where each was typed
    (``origins``) or the row it will fill."""
    schema = TABLES_BY_NAME[op.table]
    if op.origins:
        where = [o if o is not None else (op.table, None) for o in op.origins]
    else:
        sheet = snapshot.sheets.get(op.table, op.table)
        first = snapshot.next_rows.get(op.table)
        where = [
            (sheet, first + before + i if first is not None else None) for i in range(len(op.rows))
        ]
    typed: dict[str, object] = {}
    for column in schema.columns:
        raw = [dict(record).get(column.name) for record in op.rows]
        values, problems = convert_column(column, raw)
        typed[column.name] = values
        for problem in problems:
            sheet, row = where[problem.index]
            findings.append(
                Finding("wrong_type", problem.message, sheet, row, column.name, fix=problem.fix)
            )
    frame = frame_from_columns(schema, typed, sheet=op.table, first_row=1, count=len(op.rows))
    frame[SHEET_COLUMN] = pd.Series([s for s, _ in where], dtype=object)
    rows = [r for _, r in where]
    frame[ROW_COLUMN] = pd.Series(rows, dtype="int64" if None not in rows else object)
    return frame


# --- applying -------------------------------------------------------------------------------


class PlanRejected(PaxlError):
    """The plan did not validate; nothing was written. ``findings`` lists every problem."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = tuple(sort_findings(list(findings)))
        errors = [f for f in self.findings if f.severity == "error"]
        first = errors[0]
        where = ", ".join(
            part
            for part in (
                f"sheet {first.sheet}" if first.sheet else "",
                f"row {first.row}" if first.row else "",
                f"column {first.column}" if first.column else "",
            )
            if part
        )
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(f"Nothing was written. {where}: {first.message} {first.fix}{more}".strip())


class WorkbookChanged(PaxlError):
    """A table changed between reading and writing; nothing was written."""


@dataclass(frozen=True)
class Applied:
    """What :func:`apply` wrote: rows per table, cleared tables, sheets, names, alerts."""

    appended: Mapping[str, int]
    cleared: tuple[str, ...]
    sheets: tuple[str, ...]
    names: tuple[str, ...]
    alerts: tuple[str, ...]
    warnings: tuple[Finding, ...] = ()


def apply(plan: WritePlan, port: WorkbookPort, snapshot: Snapshot) -> Applied:
    """Validate the plan, re-check the fingerprints, then write everything once.

    Order: appends to data tables, clearing staging tables, output sheets, defined names,
    appends to log tables (the ``Audit`` row records what was done), alerts.

    Raises:
        PlanRejected: the plan has errors (``.findings``); nothing was written.
        WorkbookChanged: a table the macro read has changed since; nothing was written.
    """
    checked = _check(plan, snapshot)
    if has_errors(checked.findings):
        raise PlanRejected(checked.findings)
    for table, expected in snapshot.fingerprints.items():
        if port.fingerprint(table) != expected:
            raise WorkbookChanged(
                f"The {table} table changed after paxl read it (someone else may be editing "
                "the workbook). Nothing was written; click the button again."
            )
    appends: dict[str, list[pd.DataFrame]] = {}
    for index, typed in checked.typed.items():
        op = plan.operations[index]
        assert isinstance(op, AppendRows)
        appends.setdefault(op.table, []).append(typed)
    merged = {t: pd.concat(f, ignore_index=True) for t, f in appends.items()}
    data_tables = [t for t in merged if not TABLES_BY_NAME[t].log]
    log_tables = [t for t in merged if TABLES_BY_NAME[t].log]
    for table in data_tables:
        port.append_rows(table, merged[table].drop(columns=[SHEET_COLUMN, ROW_COLUMN]))
    ops = plan.operations
    cleared = tuple(dict.fromkeys(op.table for op in ops if isinstance(op, ClearRows)))
    for table in cleared:
        port.clear_rows(table)
    sheets, names = [], []
    for op in ops:
        if isinstance(op, WriteSheet):
            port.write_sheet(op.content)
            sheets.append(op.content.name)
    for op in ops:  # after the sheets: a name may point at a sheet the plan adds
        if isinstance(op, SetName):
            port.set_name(op.name, op.sheet, op.address)
            names.append(op.name)
    for table in log_tables:
        port.append_rows(table, merged[table].drop(columns=[SHEET_COLUMN, ROW_COLUMN]))
    alerts = [op for op in ops if isinstance(op, Alert)]
    for op in alerts:
        port.alert(op.message, op.title)
    return Applied(
        appended={t: len(f) for t, f in merged.items()},
        cleared=cleared,
        sheets=tuple(sheets),
        names=tuple(names),
        alerts=tuple(a.message for a in alerts),
        warnings=tuple(f for f in checked.findings if f.severity != "error"),
    )
