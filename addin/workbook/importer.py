"""Import an export's rows into one table of a loaded book: map, type, de-duplicate, validate.

:func:`plan_import` decides, and writes nothing; the command writes the new workbook with
:func:`~addin.workbook.derive.write_derived` only when the plan allows it. Per export row:

1. **header**: the row (among the first :data:`HEADER_SEARCH_ROWS`) whose cells read most as the
   table's column names is the header; the mapping is
   :func:`~addin.workbook.column_mapping.resolve_mapping`'s. A mapping error (a required column
   nothing feeds, two equally likely columns) stops the whole import;
2. **blank rows** are skipped and counted; a **totals row** — a cell saying ``Total``,
   ``Totals``, ``Grand Total`` or ``Subtotal`` and no ID of its own — is not a record: it is
   reported (and listed in the rejects file) but does not stop the import;
3. **typing** as :mod:`addin.workbook.import_values` says (US dates, ``$1,234.50``, ``(45.00)``);
4. **already present** rows are skipped and reported, so importing the same file twice adds
   nothing: a row whose ID (the table's key; for tables without one, the columns that must be
   unique together) is in the book with the same values is present; with different values it is
   rejected (paxl never changes an existing row). Payments and adjustments are also matched on
   their natural key (:data:`NATURAL_KEYS`: for payments patient + payer + reference + amount +
   date) — as many export rows as the book holds with that key count as present, the rest are new
   (two equal cash payments on one day stay two);
5. **new IDs**: a payment or adjustment without an ID gets the next ones after the book's IDs:
   the prefix most of its IDs share and the widest number with it (``PAY0000417`` →
   ``PAY0000418``, ...), or ``PAY000001`` / ``ADJ000001`` in an empty table; numbered in export
   order, over the rows actually appended only. Their PostedBy/PostedAt, when the export has no
   such columns, are the user and the import time;
6. **validation** of every new row by :func:`~addin.workbook.validate.validate_tables`, the
   validator of ``paxl validate``, against the book: references to existing rows (unknown
   patient, charge of another patient), duplicates within the export and with the book, blanks,
   allowed values, negative amounts. A row with any error is **rejected**.

Findings name the export's sheet (a CSV's file name), the export's row and the export's column
header; messages name schema columns and IDs, never other cell values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd

from addin.core.findings import Finding, Severity, has_errors, sort_findings
from addin.core.ids import next_ids
from addin.workbook.book import Book
from addin.workbook.column_mapping import (
    JOINED_COLUMNS,
    ColumnMapping,
    header_score,
    normalise_header,
    resolve_mapping,
)
from addin.workbook.derive import records_from_frame
from addin.workbook.export_reader import Export
from addin.workbook.frames import ROW_COLUMN, SHEET_COLUMN, frame_from_columns
from addin.workbook.import_values import read_column
from addin.workbook.schema import TABLES, TABLES_BY_NAME, Table
from addin.workbook.validate import validate_tables

#: tables an export may go into (the Audit log is paxl's own)
IMPORTABLE = tuple(t.name for t in TABLES if t.name != "Audit")
#: how many rows from the top are searched for the header
HEADER_SEARCH_ROWS = 10
#: tables whose IDs paxl generates when the export has none: table → (ID column, prefix)
GENERATED_IDS: dict[str, tuple[str, str]] = {
    "Payments": ("PaymentID", "PAY"),
    "Adjustments": ("AdjustmentID", "ADJ"),
}
GENERATED_WIDTH = 6
#: a row with this natural key already in the book is the same posting (step 4)
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "Payments": ("PatientID", "Payer", "Reference", "Amount", "Date"),
    "Adjustments": ("PatientID", "ChargeID", "Date", "Kind", "Group", "Reason", "Amount"),
}
NATURAL_KEY_WORDS = {
    "Payments": "patient, payer, reference, amount and date",
    "Adjustments": "patient, charge, date, kind, group, reason and amount",
}
STAMP_COLUMNS = ("PostedBy", "PostedAt")
AUDIT_ACTION = "Import"
_TOTALS = re.compile(r"^(grand\s*|sub-?\s*)?totals?\b", re.IGNORECASE)


class Outcome(StrEnum):
    """What happened to one export row."""

    APPENDED = "appended"
    PRESENT = "already present"
    REJECTED = "rejected"
    IGNORED = "ignored"


@dataclass(frozen=True)
class RowResult:
    """One export row's outcome: its row number, the row's ID (given or generated) if any."""

    row: int
    outcome: Outcome
    id: str | None = None


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do; nothing is written by making one.

    Attributes:
        table: the table the rows go into.
        export: the export's file name; ``sheet`` where its rows are; ``header_row`` its
            header's row number (``None`` when no header was found).
        mapping: the mapping used (for ``--save-mapping``).
        rows: every non-blank row below the header and what happens to it.
        appends: the rows to append, plain values (money ``Decimal`` dollars), in export order;
            plus ``audit`` — the Audit log row recording the import (``None`` if nothing is
            appended).
        findings: problems (errors reject their row; errors with no row stop the import),
            warnings, and an info finding per row already present.
        blank_rows: blank rows skipped.
    """

    table: str
    export: str
    sheet: str
    header_row: int | None
    mapping: ColumnMapping | None
    rows: tuple[RowResult, ...] = ()
    appends: tuple[Mapping[str, object], ...] = ()
    audit: Mapping[str, object] | None = None
    findings: tuple[Finding, ...] = ()
    blank_rows: int = 0

    @property
    def stopped(self) -> bool:
        """A problem with the whole export (header, mapping): no row can be imported."""
        return any(
            f.severity == Severity.ERROR and f.row in (None, self.header_row) for f in self.findings
        )

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    def may_write(self, *, skip_invalid: bool) -> bool:
        """Whether the new workbook may be written: nothing stopped the import, and every row
        is valid (or the rep asked to append the valid ones and list the rest)."""
        if self.stopped:
            return False
        return skip_invalid or self.count(Outcome.REJECTED) == 0

    def rejects(self) -> list[Finding]:
        """The rejects file's lines: each problem of a rejected row, and each ignored row."""
        marked = {r.row for r in self.rows if r.outcome in (Outcome.REJECTED, Outcome.IGNORED)}
        return [
            f
            for f in self.findings
            if f.row in marked and f.severity in (Severity.ERROR, Severity.WARNING)
        ]

    def append_records(self) -> dict[str, list[Mapping[str, object]]]:
        """The rows to append per table, for :func:`~addin.workbook.derive.write_derived`."""
        out: dict[str, list[Mapping[str, object]]] = {}
        if self.appends:
            out[self.table] = list(self.appends)
        if self.audit is not None:
            out["Audit"] = [self.audit]
        return out


def plan_import(
    book: Book,
    export: Export,
    table: str,
    *,
    mapping: ColumnMapping | None = None,
    defaults: Mapping[str, str] | None = None,
    as_of: dt.date,
    now: dt.datetime,
    user: str,
) -> ImportPlan:
    """Decide what importing ``export`` into ``table`` of ``book`` does (module doc).

    Args:
        book: the loaded workbook (its rows are the context: references and duplicates).
        export: the export's rows (:func:`~addin.workbook.export_reader.read_export`).
        table: one of :data:`IMPORTABLE`.
        mapping: a saved mapping (``--mapping``), or ``None`` for names and synonyms only.
        defaults: column → value for every row (``--set``), converted like an export cell.
        as_of: the import date (two-digit years of birth dates).
        now: the import time: PostedAt of new payments/adjustments, the Audit row's time.
        user: who imports: PostedBy of new payments/adjustments, the Audit row's Who.

    Raises:
        PaxlError: a mapping that contradicts itself or names the wrong table.
    """
    schema = TABLES_BY_NAME[table]
    header_row = _find_header(export, table, mapping)
    if header_row is None:
        return ImportPlan(
            table, export.name, export.sheet, None, None, findings=(_no_header(export, table),)
        )
    header = export.rows[header_row - 1]
    generated = GENERATED_IDS.get(table)
    resolved, mapping_findings = resolve_mapping(
        table,
        header,
        saved=mapping,
        defaults=defaults,
        optional=(generated[0],) if generated else (),
        sheet=export.sheet,
        header_row=header_row,
    )
    plan = ImportPlan(table, export.name, export.sheet, header_row, resolved)
    if has_errors(mapping_findings):
        return replace(plan, findings=tuple(sort_findings(mapping_findings)))
    rows = _Rows.collect(export, header_row, header, resolved, schema)
    work = _Import(book, schema, export, resolved, rows, as_of=as_of, now=now, user=user)
    work.run()
    audit = None
    if work.appends:
        audit = {
            "At": now,
            "Who": user,
            "Action": AUDIT_ACTION,
            "Table": table,
            "Rows": len(work.appends),
            "Detail": f"import from {export.name}",
        }
    return replace(
        plan,
        rows=tuple(sorted(work.results, key=lambda r: r.row)),
        appends=tuple(work.appends),
        audit=audit,
        findings=tuple(sort_findings(mapping_findings + work.findings)),
        blank_rows=rows.blank,
    )


# --- header -------------------------------------------------------------------------------------


def _find_header(export: Export, table: str, mapping: ColumnMapping | None) -> int | None:
    """The header's row number: the top row reading most as column names; ``None`` if none."""
    saved = {normalise_header(h) for h, _ in mapping.columns} if mapping is not None else set()
    best, best_score = None, 0
    for index, row in enumerate(export.rows[:HEADER_SEARCH_ROWS]):
        score = header_score(table, row) + sum(
            1 for cell in row if isinstance(cell, str) and normalise_header(cell) in saved
        )
        if score > best_score:
            best, best_score = index + 1, score
    return best


def _no_header(export: Export, table: str) -> Finding:
    return Finding(
        "no_header",
        f"None of the first {HEADER_SEARCH_ROWS} rows of {export.name} has {table} column names.",
        export.sheet,
        fix=f"Put the column names in the export's first row, or map them in a mapping file "
        f"(--mapping; columns such as {', '.join(TABLES_BY_NAME[table].column_names[:3])}).",
    )


# --- rows ---------------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class _Rows:
    """The data rows below the header: raw values per schema column, by export row number."""

    numbers: list[int]
    raw: dict[str, list[object]]
    ignored: list[int]
    blank: int

    @classmethod
    def collect(
        cls,
        export: Export,
        header_row: int,
        header: Sequence[object],
        mapping: ColumnMapping,
        schema: Table,
    ) -> _Rows:
        width = len(header)
        positions = {str(h).strip(): i for i, h in enumerate(header) if not _blank(h)}
        fed = {c: [positions[h] for h in hs] for c, hs in mapping.feeds().items()}
        identity = [i for c in _identity_columns(schema) for i in fed.get(c, [])]
        numbers: list[int] = []
        ignored: list[int] = []
        blank = 0
        kept: list[Sequence[object]] = []
        for offset, row in enumerate(export.rows[header_row:], start=header_row + 1):
            if len(row) < width:
                row = list(row) + [""] * (width - len(row))
            if all(_blank(row[i]) for i in range(width)):
                blank += 1
            elif _is_totals(row, width, identity):
                ignored.append(offset)
            else:
                numbers.append(offset)
                kept.append(row)
        defaults = mapping.default_values()
        raw: dict[str, list[object]] = {}
        for column in schema.columns:
            indexes = fed.get(column.name)
            if indexes and column.name in JOINED_COLUMNS:
                joiner = JOINED_COLUMNS[column.name]
                raw[column.name] = [
                    joiner.join(str(r[i]).strip() for i in indexes if not _blank(r[i]))
                    for r in kept
                ]
            elif indexes:
                raw[column.name] = [r[indexes[0]] for r in kept]
            elif column.name in defaults:
                raw[column.name] = [defaults[column.name]] * len(kept)
            else:
                raw[column.name] = [""] * len(kept)
        return cls(numbers, raw, ignored, blank)


def _identity_columns(schema: Table) -> list[str]:
    names = [schema.key] if schema.key else []
    if "PatientID" in schema.column_names and "PatientID" not in names:
        names.append("PatientID")
    return names


def _is_totals(row: Sequence[object], width: int, identity: Sequence[int]) -> bool:
    """A cell says Total and the row's ID cells are blank (or say Total themselves)."""
    says_total = [
        i for i in range(width) if isinstance(row[i], str) and _TOTALS.match(row[i].strip())
    ]
    if not says_total:
        return False
    return all(_blank(row[i]) or i in says_total for i in identity)


# --- the import ---------------------------------------------------------------------------------


def _plain(value: object) -> Hashable:
    """A typed cell as a comparable key part: every kind of blank is ``None``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value  # type: ignore[return-value]


class _Import:
    """One import's working state (used once by :func:`plan_import`)."""

    def __init__(
        self,
        book: Book,
        schema: Table,
        export: Export,
        mapping: ColumnMapping,
        rows: _Rows,
        *,
        as_of: dt.date,
        now: dt.datetime,
        user: str,
    ) -> None:
        self.book = book
        self.schema = schema
        self.export = export
        self.mapping = mapping
        self.rows = rows
        self.as_of = as_of
        self.now = now
        self.user = user
        self.existing = book.tables[schema.name]
        self.feeds = mapping.feeds()
        self.supplied = [
            c for c in schema.column_names if c in self.feeds or c in mapping.default_values()
        ]
        self.findings: list[Finding] = []
        self.results: list[RowResult] = []
        self.appends: list[Mapping[str, object]] = []

    def run(self) -> None:
        for number in self.rows.ignored:
            self.results.append(RowResult(number, Outcome.IGNORED))
            self.findings.append(_totals_finding(self.export.sheet, number))
        frame, typed_problems = self._typed()
        if frame.empty:
            return
        troubled = {f.row for f in typed_problems}
        present, conflicts = self._present(frame, troubled)
        settled = present | {f.row for f in conflicts}
        candidates = frame.loc[~frame[ROW_COLUMN].isin(settled)].reset_index(drop=True)
        given_ids = self._ids(candidates)
        needs_id = self._fill_ids(candidates, None)
        new_problems = validate_tables(
            {self.schema.name: candidates},
            context=self.book.tables,
            known=typed_problems,
        )
        problems = typed_problems + conflicts + new_problems
        rejected = {f.row for f in problems if f.severity == Severity.ERROR}
        kept = ~candidates[ROW_COLUMN].isin(rejected)
        accepted = candidates.loc[kept].reset_index(drop=True)
        if needs_id is not None:  # number the appended rows only, without gaps
            self._fill_ids(accepted, needs_id[kept].reset_index(drop=True))
        ids = dict(zip(frame[ROW_COLUMN].tolist(), self._ids(frame), strict=True))
        ids.update(zip(candidates[ROW_COLUMN].tolist(), given_ids, strict=True))
        for number in sorted(rejected):
            self.results.append(RowResult(number, Outcome.REJECTED, ids.get(number)))
        for number, value in zip(accepted[ROW_COLUMN].tolist(), self._ids(accepted), strict=True):
            self.results.append(RowResult(number, Outcome.APPENDED, value))
        self.findings += [self._relabel(f) for f in problems]
        self.appends = records_from_frame(accepted, self.schema)

    def _ids(self, frame: pd.DataFrame) -> list[str | None]:
        """Each row's ID as text (``None`` for a blank one or a table without IDs)."""
        key = self.schema.key
        if key is None:
            return [None] * len(frame)
        return [_id_text(v) for v in frame[key].tolist()]

    # typing -------------------------------------------------------------------------------

    def _typed(self) -> tuple[pd.DataFrame, list[Finding]]:
        numbers = self.rows.numbers
        typed: dict[str, object] = {}
        problems: list[Finding] = []
        for column in self.schema.columns:
            values = self.rows.raw[column.name]
            if column.name in STAMP_COLUMNS and column.name not in self.supplied:
                stamp = self.user if column.name == "PostedBy" else self.now
                values = [stamp] * len(numbers)
            result, column_problems = read_column(
                column, values, value_map=self.mapping.value_map(column.name), as_of=self.as_of
            )
            typed[column.name] = result
            for p in column_problems:
                problems.append(
                    Finding(
                        "wrong_type",
                        p.message,
                        self.export.sheet,
                        numbers[p.index],
                        column.name,
                        fix=p.fix,
                    )
                )
        frame = frame_from_columns(
            self.schema, typed, sheet=self.export.sheet, first_row=1, count=len(numbers)
        )
        frame[ROW_COLUMN] = pd.Series(numbers, dtype="int64")
        frame[SHEET_COLUMN] = pd.Series([self.export.sheet] * len(numbers), dtype=object)
        return frame, problems

    # already present -----------------------------------------------------------------------

    def _identity(self) -> list[str] | None:
        if self.schema.key:
            return [self.schema.key]
        if self.schema.unique_together:
            return list(self.schema.unique_together[0])
        return None

    def _present(self, frame: pd.DataFrame, troubled: set[int]) -> tuple[set[int], list[Finding]]:
        """Export rows already in the book (skipped), and rows whose ID is there with other
        values (rejected)."""
        present: set[int] = set()
        conflicts: list[Finding] = []
        consumed: set[int] = set()
        keys = self._identity()
        if keys is not None and not self.existing.empty and set(keys) <= set(self.supplied):
            index = _first_positions(self.existing, keys)
            for pos, key in enumerate(_key_tuples(frame, keys)):
                number = int(frame[ROW_COLUMN].iat[pos])
                if number in troubled or None in key or key not in index:
                    continue
                at = index[key]
                differing = self._differences(frame, pos, at)
                if differing:
                    conflicts.append(self._conflict(number, keys, key, at, differing))
                    continue
                present.add(number)
                consumed.add(at)
                self._present_row(number, keys, key, at, by_id=True)
        natural = NATURAL_KEYS.get(self.schema.name)
        if natural is not None and not self.existing.empty:
            unmatched: dict[tuple, deque[int]] = {}
            for pos, key in enumerate(_key_tuples(self.existing, natural)):
                if pos not in consumed:
                    unmatched.setdefault(key, deque()).append(pos)
            conflicted = {f.row for f in conflicts}
            for pos, key in enumerate(_key_tuples(frame, natural)):
                number = int(frame[ROW_COLUMN].iat[pos])
                if number in troubled or number in present or number in conflicted:
                    continue
                if unmatched.get(key):
                    present.add(number)
                    at = unmatched[key].popleft()
                    self._present_row(number, natural, key, at, by_id=False)
        return present, conflicts

    def _differences(self, frame: pd.DataFrame, pos: int, at: int) -> list[str]:
        """Supplied columns where the export gives a value other than the book's row."""
        differing = []
        for column in self.supplied:
            if column in STAMP_COLUMNS:
                continue
            mine = _plain(frame[column].iat[pos])
            if mine is not None and mine != _plain(self.existing[column].iat[at]):
                differing.append(column)
        return differing

    def _where_existing(self, at: int) -> str:
        sheet = self.existing[SHEET_COLUMN].iat[at]
        return f"{sheet} row {int(self.existing[ROW_COLUMN].iat[at])}"

    def _present_row(
        self, number: int, keys: Sequence[str], key: tuple, at: int, *, by_id: bool
    ) -> None:
        existing_id = self.existing[self.schema.key].iat[at] if self.schema.key else None
        if by_id:
            what = " and ".join(f"{k} {v}" for k, v in zip(keys, key, strict=True))
            message = f"{what} is already in the workbook ({self._where_existing(at)}); skipped."
        else:
            ident = f" as {self.schema.key} {existing_id}" if existing_id else ""
            message = (
                f"The same {NATURAL_KEY_WORDS[self.schema.name]} is already in the workbook"
                f"{ident} ({self._where_existing(at)}); skipped."
            )
        self.results.append(RowResult(number, Outcome.PRESENT, _id_text(existing_id)))
        self.findings.append(
            Finding(
                "already_present",
                message,
                self.export.sheet,
                number,
                severity=Severity.INFO,
                fix="Nothing to do: importing a row twice adds it once.",
                ids=(str(existing_id),) if existing_id else (),
            )
        )

    def _conflict(
        self, number: int, keys: Sequence[str], key: tuple, at: int, differing: list[str]
    ) -> Finding:
        what = " and ".join(f"{k} {v}" for k, v in zip(keys, key, strict=True))
        return Finding(
            "conflicts_with_existing",
            f"{what} is already in the workbook ({self._where_existing(at)}) with "
            f"{_different(differing)}; paxl never changes an existing row.",
            self.export.sheet,
            number,
            keys[0],
            fix="Correct the row in the workbook or in the export, or give the export's row "
            "its own ID.",
            ids=tuple(str(v) for v in key),
        )

    # IDs -----------------------------------------------------------------------------------

    def _fill_ids(self, frame: pd.DataFrame, mask: pd.Series | None) -> pd.Series | None:
        """Give generated IDs (in place) to the rows of ``frame`` selected by ``mask`` — by
        default the rows whose ID is blank. Returns the rows that got one, or ``None`` when the
        table's IDs are never generated or none was needed."""
        spec = GENERATED_IDS.get(self.schema.name)
        if spec is None or frame.empty:
            return None
        column, prefix = spec
        if mask is None:
            mask = frame[column].isna()
        if not mask.any():
            return None
        given = frame.loc[~mask, column].dropna().tolist()
        taken = self.existing[column].dropna().tolist() + given
        new = next_ids(taken, int(mask.sum()), prefix=prefix, width=GENERATED_WIDTH)
        frame.loc[mask, column] = list(new)
        return mask

    # findings ------------------------------------------------------------------------------

    def _relabel(self, finding: Finding) -> Finding:
        """Name the export's column header, not the schema's, where an export column fed it."""
        headers = self.feeds.get(finding.column or "")
        if headers:
            return replace(finding, column=headers[0])
        return finding


def _different(columns: Sequence[str]) -> str:
    """``a different Amount`` / ``different Code and Amount``."""
    if len(columns) == 1:
        return f"a different {columns[0]}"
    return f"different {', '.join(columns[:-1])} and {columns[-1]}"


def _id_text(value: object) -> str | None:
    plain = _plain(value)
    return None if plain is None else str(plain)


def _key_tuples(frame: pd.DataFrame, keys: Sequence[str]) -> list[tuple]:
    columns = [[_plain(v) for v in frame[k].tolist()] for k in keys]
    return list(zip(*columns, strict=True))


def _first_positions(frame: pd.DataFrame, keys: Sequence[str]) -> dict[tuple, int]:
    """Key → position of its first row (rows with a blank key part included)."""
    positions: dict[tuple, int] = {}
    for pos, key in enumerate(_key_tuples(frame, keys)):
        positions.setdefault(key, pos)
    return positions


def _totals_finding(sheet: str, row: int) -> Finding:
    return Finding(
        "totals_row",
        "This row is a total, not a record; it is not imported.",
        sheet,
        row,
        severity=Severity.WARNING,
        fix="Nothing to do (or leave totals out of the export).",
    )
