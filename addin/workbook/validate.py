"""The validator: rules every typed table must satisfy, checked in bulk, problems returned as data.

Works on typed frames (see :mod:`addin.workbook.schema`), so it serves the file loader, the live
workbook and a later import (new rows checked against the existing book via ``context``). Each
problem is a :class:`~addin.core.findings.Finding` with the sheet, Excel row and column of the
cell, a sentence and a fix. Messages name IDs and rows only — never names, birth dates or amounts.

Finding codes (structural and type problems come from the loader, the rest from here):

========================  ========  ==========================================================
code                      severity  meaning
========================  ========  ==========================================================
missing_table             error     no sheet for a table
missing_header            error     the sheet has no row with the table's column names
missing_column            error     a column is missing from the header
unknown_column            warning   a header the schema does not know (ignored)
duplicate_column          warning   a header appearing twice (the first is read)
wrong_type                error     a value that does not fit the column's type (read as blank)
blank_required            error     a required value is blank
not_allowed               error     a value outside the column's allowed values
duplicate_id              error     a key (PatientID, ChargeID, ...) used twice
duplicate_row             error     a combination that must be unique used twice
unknown_reference         error     an ID that is not in the table it refers to
charge_patient_mismatch   error     a payment/adjustment applied to another patient's charge
negative_amount           error     a negative amount (amounts are entered positive)
policy_default            warning   a Policy setting or table missing or blank; default used
========================  ========  ==========================================================
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

import numpy as np
import pandas as pd

from addin.core.findings import Finding, sort_findings
from addin.workbook.book import Book
from addin.workbook.frames import ROW_COLUMN, SHEET_COLUMN
from addin.workbook.schema import TABLES, Column, ColumnType, ForeignKey, Table

_Frames = Mapping[str, pd.DataFrame]
_CHARGE_APPLIED = ("Payments", "Adjustments")


def validate_book(book: Book, *, known: Iterable[Finding] = ()) -> list[Finding]:
    """Every problem of an in-memory book: ``known`` ones plus the validator's, worst first."""
    known = list(known)
    return sort_findings(known + validate_tables(book.tables, known=known))


def validate_tables(
    tables: _Frames,
    *,
    context: _Frames | None = None,
    absent: Collection[str] = (),
    known: Iterable[Finding] = (),
) -> list[Finding]:
    """Check typed tables: required values, allowed values, keys, references, signs.

    Args:
        tables: typed frames to check, by table name (any subset of the schema's tables).
        context: rows the checked rows live beside but that are not themselves checked, e.g. the
            existing book when importing new rows: their keys count as references and as
            duplicates of the checked rows.
        absent: tables missing from the workbook (already reported); references into them are
            not checked, so one missing sheet is one problem, not thousands.
        known: problems already found (missing columns, unreadable cells); the cells and columns
            they name are not reported again as blank.

    Returns:
        The new problems only (``known`` is not repeated), in table order.
    """
    context = context or {}
    skip = _Skips(known)
    checked = {name: _Rows(frame) for name, frame in tables.items()}
    lookups = _Lookups(checked, {name: _Rows(frame) for name, frame in context.items()})
    findings: list[Finding] = []
    for schema in TABLES:
        rows = checked.get(schema.name)
        if rows is None or rows.frame.empty:
            continue
        frame = rows.frame
        findings += _required(schema, rows, skip)
        findings += _choices(schema, rows)
        findings += _negative_money(schema, frame)
        findings += _duplicate_keys(schema, rows, context.get(schema.name))
        findings += _unique_together(schema, rows, context.get(schema.name))
        findings += _references(schema, rows, tables, context, absent, lookups)
        if schema.name in _CHARGE_APPLIED:
            findings += _charge_patient(rows, lookups)
    return findings


class _Rows:
    """A frame with the blank masks of its columns, each worked out once per validation.

    ``isna`` on a text (object) column looks at every cell, and the required, allowed-value,
    key, reference and charge checks all need the same masks.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._blank: dict[str, np.ndarray] = {}

    def blank(self, column: str) -> np.ndarray:
        """Which rows have ``column`` blank (shared: do not change it)."""
        mask = self._blank.get(column)
        if mask is None:
            mask = self._blank[column] = self.frame[column].isna().to_numpy(dtype=bool)
        return mask

    def filled(self, columns: Iterable[str]) -> np.ndarray:
        """Which rows have a value in every one of ``columns``."""
        filled = np.ones(len(self.frame), dtype=bool)
        for column in columns:
            filled &= ~self.blank(column)
        return filled


class _Skips:
    """Cells and columns already reported, so the blank checks stay quiet about them."""

    def __init__(self, known: Iterable[Finding]) -> None:
        self.cells: set[tuple[str | None, int, str | None]] = set()
        self.columns: set[tuple[str | None, str]] = set()
        self.sheets: set[str | None] = set()
        for f in known:
            if f.code in ("missing_header", "missing_table"):
                self.sheets.add(f.sheet)
            elif f.column is None:
                continue
            elif f.code == "missing_column":
                self.columns.add((f.sheet, f.column))
            elif f.row is not None:
                self.cells.add((f.sheet, f.row, f.column))

    def sheets_without(self, column: str) -> set[str | None]:
        return {sheet for sheet, name in self.columns if name == column} | self.sheets


def _where(frame: pd.DataFrame, mask: pd.Series | np.ndarray) -> Iterable[tuple[str, int, int]]:
    """(sheet, Excel row, position) of the rows selected by ``mask`` (NA counts as not)."""
    if isinstance(mask, pd.Series):
        mask = mask.to_numpy(dtype=bool, na_value=False)
    positions = mask.nonzero()[0]
    return zip(
        frame[SHEET_COLUMN].to_numpy()[positions].tolist(),
        frame[ROW_COLUMN].to_numpy()[positions].tolist(),
        positions.tolist(),
        strict=True,
    )


def _required(schema: Table, rows: _Rows, skip: _Skips) -> list[Finding]:
    frame = rows.frame
    findings = []
    for column in schema.columns:
        if not column.required:
            continue
        mask = rows.blank(column.name)
        quiet = skip.sheets_without(column.name)
        if quiet:
            mask = mask & ~frame[SHEET_COLUMN].isin(quiet).to_numpy(dtype=bool)
        if not mask.any():
            continue
        for sheet, row, _ in _where(frame, mask):
            if (sheet, row, column.name) in skip.cells:
                continue
            findings.append(
                Finding(
                    "blank_required",
                    f"{column.name} is blank; every {schema.name} row needs one.",
                    sheet,
                    row,
                    column.name,
                    fix=f"Fill in {column.name}, or delete the row if it is not needed.",
                )
            )
    return findings


def _choices(schema: Table, rows: _Rows) -> list[Finding]:
    frame = rows.frame
    findings = []
    for column in schema.columns:
        if not column.is_enum:
            continue
        values = frame[column.name]
        if column.type is ColumnType.INTEGER:  # as numbers: the same as comparing the text
            allowed = values.isin(_whole_number_choices(column.choices))
        elif column.type is ColumnType.TEXT:
            allowed = values.isin(column.choices)
        else:
            allowed = values.astype("string").isin(column.choices)
        mask = ~rows.blank(column.name) & ~allowed.to_numpy(dtype=bool, na_value=False)
        if not mask.any():
            continue
        allowed = ", ".join(column.choices)
        for sheet, row, _ in _where(frame, mask):
            findings.append(
                Finding(
                    "not_allowed",
                    f"{column.name} is not one of the allowed values ({allowed}).",
                    sheet,
                    row,
                    column.name,
                    fix=f"Pick {column.name} from the drop-down list: {allowed}.",
                )
            )
    return findings


def _whole_number_choices(choices: Iterable[str]) -> list[int]:
    """The choices an integer can be written as (``"2"`` is 2; ``"02"`` or ``"two"`` none)."""
    numbers = []
    for choice in choices:
        try:
            number = int(choice)
        except ValueError:
            continue
        if str(number) == choice:
            numbers.append(number)
    return numbers


def _negative_money(schema: Table, frame: pd.DataFrame) -> list[Finding]:
    findings = []
    for column in schema.columns:
        if column.type is not ColumnType.MONEY:
            continue
        mask = frame[column.name] < 0
        if not mask.any():
            continue
        for sheet, row, _ in _where(frame, mask):
            findings.append(
                Finding(
                    "negative_amount",
                    f"{column.name} is negative; amounts are entered positive.",
                    sheet,
                    row,
                    column.name,
                    fix=_negative_fix(schema),
                )
            )
    return findings


def _negative_fix(schema: Table) -> str:
    if schema.name == "Payments":
        return "Enter the amount as a positive number; a refund is Kind Refund."
    if schema.name == "Adjustments":
        return "Enter the amount as a positive number; Kind says what the adjustment is."
    return "Enter the amount as a positive number."


def _first_rows(frame: pd.DataFrame, keys: list[str]) -> dict[object, tuple[str, int]]:
    """Key value(s) → (sheet, row) of its first row, for rows with no blank key part."""
    present = frame.dropna(subset=keys)
    first = present.drop_duplicates(subset=keys, keep="first")
    index = first[keys[0]] if len(keys) == 1 else pd.MultiIndex.from_frame(first[keys])
    return dict(
        zip(
            index.tolist(),
            zip(first[SHEET_COLUMN].tolist(), first[ROW_COLUMN].tolist(), strict=True),
            strict=True,
        )
    )


def _duplicates(
    rows: _Rows, keys: list[str], context: pd.DataFrame | None
) -> list[tuple[str, int, object, tuple[str, int]]]:
    """Rows repeating an earlier row's key (or a context row's): (sheet, row, key, earlier)."""
    earlier: dict[object, tuple[str, int]] = {}
    if context is not None and not context.empty and set(keys) <= set(context.columns):
        earlier = _first_rows(context, keys)
    filled = rows.filled(keys)
    keyed = rows.frame[keys[0]] if len(keys) == 1 else rows.frame[keys]
    if not filled.all():
        keyed = keyed[filled]
    repeated = keyed.duplicated(keep="first")
    if not earlier and not repeated.any():  # the usual: no copy of the rows needed
        return []
    present = rows.frame[[*keys, SHEET_COLUMN, ROW_COLUMN]]
    if not filled.all():
        present = present[filled]
    first_in_frame = _first_rows(present, keys) if repeated.any() else {}
    if earlier:
        key_values = present[keys[0]] if len(keys) == 1 else pd.MultiIndex.from_frame(present[keys])
        in_context = pd.Series(key_values.isin(list(earlier)), index=present.index)
        repeated |= in_context
    if not repeated.any():
        return []
    hits = present.loc[repeated]
    hit_keys = (
        hits[keys[0]].tolist() if len(keys) == 1 else pd.MultiIndex.from_frame(hits[keys]).tolist()
    )
    out = []
    for sheet, row, key in zip(
        hits[SHEET_COLUMN].tolist(), hits[ROW_COLUMN].tolist(), hit_keys, strict=True
    ):
        out.append((sheet, row, key, earlier.get(key) or first_in_frame[key]))
    return out


def _duplicate_keys(schema: Table, rows: _Rows, context: pd.DataFrame | None) -> list[Finding]:
    if schema.key is None:
        return []
    findings = []
    for sheet, row, key, (first_sheet, first_row) in _duplicates(rows, [schema.key], context):
        findings.append(
            Finding(
                "duplicate_id",
                f"{schema.key} {key} is used twice: here and on {first_sheet} row {first_row}.",
                sheet,
                row,
                schema.key,
                fix=f"Give each row its own {schema.key}, or delete the repeated row.",
                ids=(str(key),),
            )
        )
    return findings


def _unique_together(schema: Table, rows: _Rows, context: pd.DataFrame | None) -> list[Finding]:
    findings = []
    for keys in schema.unique_together:
        id_parts = [k for k in keys if schema.column(k).type is ColumnType.TEXT]
        for sheet, row, key, (first_sheet, first_row) in _duplicates(rows, list(keys), context):
            values = dict(zip(keys, key, strict=True))
            named = " and ".join(f"{k} {values[k]}" for k in id_parts)
            others = [k for k in keys if k not in id_parts]
            same = f" with the same {' and '.join(others)}" if others else ""
            findings.append(
                Finding(
                    "duplicate_row",
                    f"{named}{same} appear twice: here and on {first_sheet} row {first_row}.",
                    sheet,
                    row,
                    keys[0],
                    fix=f"Keep one row per {', '.join(keys)}; delete or correct the other.",
                    ids=tuple(str(values[k]) for k in id_parts),
                )
            )
    return findings


class _Lookups:
    """Key sets and the charge → patient map, built once per validation (several tables
    reference Patients and Charges; rebuilding them per column was a measurable cost)."""

    def __init__(self, tables: Mapping[str, _Rows], context: Mapping[str, _Rows]) -> None:
        self._tables, self._context = tables, context
        self._accepted: dict[ForeignKey, set[object]] = {}
        self._owners: dict[object, object] | None = None

    def accepted(self, ref: ForeignKey) -> set[object]:
        """Every value ``ref`` accepts: the keys in the checked tables and the context, and
        its extra values (shared: do not change it)."""
        if ref not in self._accepted:
            keys: set[object] = set(ref.also)
            for source in (self._tables, self._context):
                rows = source.get(ref.table)
                if rows is not None and ref.column in rows.frame.columns:
                    values = rows.frame[ref.column]
                    keys.update(values[~rows.blank(ref.column)].tolist())
            self._accepted[ref] = keys
        return self._accepted[ref]

    def charge_owners(self) -> dict[object, object]:
        """ChargeID → PatientID of its first row (``None`` when blank); the checked tables win
        over the context."""
        if self._owners is None:
            owners: dict[object, object] = {}
            for source in (self._context, self._tables):
                rows = source.get("Charges")
                if rows is None or rows.frame.empty:
                    continue
                charges = rows.frame["ChargeID"]
                first = ~rows.blank("ChargeID") & ~charges.duplicated(keep="first").to_numpy()
                patients = rows.frame["PatientID"].to_numpy(dtype=object)
                patients = np.where(rows.blank("PatientID"), None, patients)
                owners.update(zip(charges[first].tolist(), patients[first].tolist(), strict=True))
            self._owners = owners
        return self._owners


def _references(
    schema: Table,
    rows: _Rows,
    tables: _Frames,
    context: _Frames,
    absent: Collection[str],
    lookups: _Lookups,
) -> list[Finding]:
    frame = rows.frame
    findings = []
    for column in schema.columns:
        ref = column.references
        if ref is None:
            continue
        if ref.table in absent and ref.table not in context:
            continue
        if ref.table not in tables and ref.table not in context:
            continue
        accepted = lookups.accepted(ref)
        values = frame[column.name]
        mask = ~rows.blank(column.name)
        filled = mask.nonzero()[0]
        cells = values.to_numpy(dtype=object)
        if len(filled) < len(cells):
            cells = cells[filled]
        mask[filled] = ~np.fromiter(map(accepted.__contains__, cells), dtype=bool, count=len(cells))
        if not mask.any():
            continue
        for sheet, row, pos in _where(frame, mask):
            value = values.iloc[pos]
            findings.append(_unknown_reference(column, value, sheet, row))
    return findings


def _unknown_reference(column: Column, value: object, sheet: str, row: int) -> Finding:
    ref = column.references
    assert ref is not None
    also = "".join(f" nor {v}" for v in ref.also)
    return Finding(
        "unknown_reference",
        f"{column.name} {value} is not a {ref.column} on the {ref.table} sheet{also}.",
        sheet,
        row,
        column.name,
        fix=f"Correct the {column.name}, or add {value} to {ref.table} first.",
        ids=(str(value),),
    )


def _charge_patient(rows: _Rows, lookups: _Lookups) -> list[Finding]:
    """A payment or adjustment applied to a charge must be for that charge's patient."""
    owners = lookups.charge_owners()
    if not owners:
        return []
    frame = rows.frame
    both = (~rows.blank("ChargeID") & ~rows.blank("PatientID")).nonzero()[0]
    charges = frame["ChargeID"].to_numpy(dtype=object)[both]
    patients = frame["PatientID"].to_numpy(dtype=object)[both]
    owner = np.fromiter(map(owners.get, charges), dtype=object, count=len(charges))
    other = np.not_equal(owner, None) & np.not_equal(owner, patients)
    if not other.any():
        return []
    mask = np.zeros(len(frame), dtype=bool)
    mask[both[other]] = True
    findings = []
    for sheet, row, pos in _where(frame, mask):
        charge = frame["ChargeID"].iloc[pos]
        patient = frame["PatientID"].iloc[pos]
        findings.append(
            Finding(
                "charge_patient_mismatch",
                f"ChargeID {charge} belongs to patient {owners[charge]}, not {patient}.",
                sheet,
                row,
                "ChargeID",
                fix="Correct the ChargeID or the PatientID so they belong together.",
                ids=(str(charge), str(patient), str(owners[charge])),
            )
        )
    return findings
