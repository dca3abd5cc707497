"""Reading the Policy: named settings and the small policy tables, from a workbook file.

Settings are read through their defined names (wherever the name points), typed by the schema:
money and rates as ``Decimal``, integers as ``int``, booleans as ``bool``, text as ``str`` (a time
typed into a text setting such as ``call_window_start`` reads ``"08:00"``). A setting whose name is
missing or whose cell is blank takes its default, with a warning; a value that does not fit is an
error, and the default is used meanwhile.

Policy tables are found as Excel tables by name (``PovertyGuidelines``, ``AssistanceTiers``);
failing that, by their header on the Policy sheet. A missing table takes the schema's default
rows, with a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from addin.core.findings import Finding, Severity
from addin.core.money import MoneyError, to_decimal, to_money
from addin.workbook.book import default_policy, default_policy_tables
from addin.workbook.convert import type_problem
from addin.workbook.frames import ROW_COLUMN, CellError, coerce, frame_from_columns, is_blank
from addin.workbook.schema import (
    POLICY_TABLES,
    SETTINGS,
    Column,
    ColumnType,
    PolicyTable,
    Setting,
    Table,
)
from addin.workbook.xlsx_file import CellRef, XlsxFile

POLICY_SHEET = "Policy"


def read_policy(
    xlsx: XlsxFile,
) -> tuple[dict[str, object], dict[str, pd.DataFrame], list[Finding]]:
    """The workbook's Policy settings and tables, with the problems found reading them."""
    findings: list[Finding] = []
    policy = default_policy()
    if xlsx.find_sheet(POLICY_SHEET) is None and not any(
        xlsx.defined_name(s.name) for s in SETTINGS
    ):
        findings.append(
            Finding(
                "policy_default",
                "The workbook has no Policy sheet; the default policy is used.",
                POLICY_SHEET,
                severity=Severity.WARNING,
                fix="Copy the Policy sheet from the template and set your practice's values.",
            )
        )
        return policy, default_policy_tables(), findings
    for setting in SETTINGS:
        value, problem = _read_setting(xlsx, setting)
        if problem is not None:
            findings.append(problem)
        if value is not None:
            policy[setting.name] = value
    tables = default_policy_tables()
    for pt in POLICY_TABLES:
        frame, problems = _read_policy_table(xlsx, pt)
        findings += problems
        if frame is not None:
            tables[pt.name] = frame
    return policy, tables, findings


# --- settings -----------------------------------------------------------------------------------


def _read_setting(xlsx: XlsxFile, setting: Setting) -> tuple[object, Finding | None]:
    """(typed value or ``None`` for the default, problem or ``None``)."""
    target = xlsx.defined_name(setting.name)
    if target is None:
        return None, _default_used(setting, f"The Policy setting {setting.name} is not defined")
    raw: object = target
    where = f"the name {setting.name}"
    sheet, row = POLICY_SHEET, None
    if isinstance(target, CellRef):
        raw = xlsx.cell(target)
        where = f"{target.address} ({setting.name})"
        sheet, row = target.sheet, target.excel_row
    if is_blank(raw):
        return None, _default_used(setting, f"{where} is blank", sheet, row)
    try:
        return setting_value(setting, raw), None
    except (CellError, MoneyError, ArithmeticError):  # ArithmeticError: Decimal overflow
        message, fix = type_problem(_as_column(setting), raw)
        detail = message.removeprefix(f"{setting.name} ")
        return None, Finding(
            "wrong_type",
            f"{where} {detail[:-1]}; the default is used until it is fixed.",
            sheet,
            row,
            setting.name,
            fix=fix,
        )


def setting_value(setting: Setting, raw: object) -> object:
    """One non-blank Policy cell value, typed as the setting's default is.

    Raises:
        CellError, MoneyError: the value does not fit the setting's type.
    """
    kind = setting.type
    if kind is ColumnType.MONEY:
        return to_money(raw)
    if kind is ColumnType.RATE:
        return to_decimal(raw)
    if kind is ColumnType.TEXT and isinstance(raw, dt.time):
        return raw.strftime("%H:%M")
    return coerce(_as_column(setting), raw)


def _as_column(setting: Setting) -> Column:
    return Column(setting.name, setting.type)


def _default_used(
    setting: Setting, why: str, sheet: str = POLICY_SHEET, row: int | None = None
) -> Finding:
    return Finding(
        "policy_default",
        f"{why}; the default ({_shown(setting.default)}) is used.",
        sheet,
        row,
        setting.name,
        severity=Severity.WARNING,
        fix=f"Set {setting.label.rstrip('.')} on the Policy sheet (named cell {setting.name}).",
    )


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- policy tables ------------------------------------------------------------------------------


def _read_policy_table(
    xlsx: XlsxFile, pt: PolicyTable
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """The table's typed frame (``None`` = use the defaults) and its problems."""
    found = xlsx.table(pt.name)
    if found is not None:
        return _policy_frame(pt, found.sheet, found.header, found.rows, found.first_row)
    sheet = xlsx.find_sheet(POLICY_SHEET)
    located = _locate_by_header(xlsx.rows(sheet), pt) if sheet else None
    if located is None:
        return None, [
            Finding(
                "policy_default",
                f"The Policy sheet has no {pt.name} table; the default rows are used.",
                POLICY_SHEET,
                column=pt.name,
                severity=Severity.WARNING,
                fix=f"Copy the {pt.name} table from the template's Policy sheet.",
            )
        ]
    header, rows, first_row = located
    return _policy_frame(pt, sheet, header, rows, first_row)


def _locate_by_header(
    rows: Sequence[Sequence[object]], pt: PolicyTable
) -> tuple[list[object], list[Sequence[object]], int] | None:
    """Find the table's header cells on a sheet; the body runs down to the first blank row."""
    names = [c.name.casefold() for c in pt.columns]
    for r, row in enumerate(rows):
        folded = [str(v).strip().casefold() if isinstance(v, str) else "" for v in row]
        for c in range(len(folded) - len(names) + 1):
            if folded[c : c + len(names)] == names:
                body = []
                for below in rows[r + 1 :]:
                    cells = list(below[c : c + len(names)])
                    if all(is_blank(v) for v in cells):
                        break
                    body.append(cells)
                return list(row[c : c + len(names)]), body, r + 1
    return None


def _policy_frame(
    pt: PolicyTable,
    sheet: str,
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    first_row: int,
) -> tuple[pd.DataFrame | None, list[Finding]]:
    """Type a policy table's rows (``first_row`` = 0-based sheet index of ``rows[0]``)."""
    findings: list[Finding] = []
    position = {str(h).strip().casefold(): i for i, h in reversed(list(enumerate(header)))}
    missing = [c for c in pt.columns if c.name.casefold() not in position]
    for column in missing:
        findings.append(
            Finding(
                "missing_column",
                f"The {pt.name} table has no {column.name} column; the default rows are used.",
                sheet,
                first_row,
                column.name,
                fix=f"Add a column headed {column.name} to the {pt.name} table.",
            )
        )
    if missing:
        return None, findings
    data: dict[str, list[object]] = {c.name: [] for c in pt.columns}
    excel_rows: list[int] = []
    for offset, row in enumerate(rows):
        if all(is_blank(v) for v in row):
            continue
        excel_row = first_row + offset + 1
        excel_rows.append(excel_row)
        for column in pt.columns:
            i = position[column.name.casefold()]
            raw = row[i] if i < len(row) else None
            value = None
            try:
                value = coerce(column, raw)
            except (CellError, ArithmeticError):  # ArithmeticError: Decimal overflow
                message, fix = type_problem(column, raw)
                findings.append(
                    Finding(
                        "wrong_type",
                        f"{pt.name}: {message}",
                        sheet,
                        excel_row,
                        column.name,
                        fix=fix,
                    )
                )
            if value is None and column.required and is_blank(raw):
                findings.append(
                    Finding(
                        "blank_required",
                        f"{pt.name}: {column.name} is blank; every row needs one.",
                        sheet,
                        excel_row,
                        column.name,
                        fix=f"Fill in {column.name}, or delete the row.",
                    )
                )
            data[column.name].append(value)
    if not excel_rows:
        findings.append(
            Finding(
                "policy_default",
                f"The {pt.name} table is empty; the default rows are used.",
                sheet,
                first_row,
                severity=Severity.WARNING,
                fix=f"Fill in the {pt.name} table on the Policy sheet.",
            )
        )
        return None, findings
    schema = Table(pt.name, pt.columns)
    frame = frame_from_columns(
        schema, data, sheet=sheet, first_row=first_row + 1, count=len(excel_rows)
    )
    frame[ROW_COLUMN] = pd.Series(excel_rows, dtype="int64")
    return frame, findings
