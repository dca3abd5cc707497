"""The workbook template, written from the schema with XlsxWriter (optionally filled with records).

:func:`write_workbook` writes a new ``.xlsx``: a ``Home`` sheet first, then every table of
:data:`~addin.workbook.schema.TABLES` as a real Excel table on its own sheet (named like the table;
header in row 1, frozen; number formats, widths and drop-downs from the schema), each staging
table (:data:`~addin.workbook.staging.STAGING_TABLES`, e.g. ``NewPayments``) the same way but
empty, a ``Policy`` sheet (every setting a named cell, plus the small policy tables) and a
``BillTemplate`` sheet whose fields are defined names (layout in :mod:`addin.workbook.bill_layout`).

Conventions the loader relies on:

* an **empty table** still spans one data row (Excel tables need one): that row is completely
  blank, and fully blank rows are ignored when reading;
* money, rates and integers are Excel numbers, dates are Excel dates (serials under a date format),
  text is text (IDs and ZIP codes keep leading zeros); a value that does not fit its column's type
  is written as text, unchanged, so the validator can point at it;
* a table longer than one sheet (:data:`ROWS_PER_SHEET` data rows) continues on ``Name_2``,
  ``Name_3``, ... sheets placed right after its first sheet, each with the same header, formats
  and drop-downs and each an Excel table named like its sheet (``Payments_2``); the loader reads
  them back as one table, in order;
* the output is deterministic: the same records give a byte-identical file.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from addin.core.money import MoneyError, to_decimal
from addin.errors import PaxlError
from addin.workbook import bill_layout
from addin.workbook.home_text import home_paragraphs
from addin.workbook.schema import (
    POLICY_TABLES,
    SETTINGS,
    TABLES,
    TABLES_BY_NAME,
    Column,
    ColumnType,
    Setting,
    Table,
)
from addin.workbook.staging import STAGING_TABLES
from addin.workbook.xlsx_values import FIRST_SAFE_DATE, excel_serial, parse_iso_date

TEMPLATE_NAME = "PatientAccounts.xlsx"
#: fixed document timestamp, so that building twice gives the same bytes
CREATED = dt.datetime(2026, 1, 1)
EXCEL_MAX_ROWS = 1_048_576
#: data rows a table sheet holds (Excel's rows less the header); a longer table continues on
#: ``Name_2``, ``Name_3``, ... sheets, each its own Excel table named like its sheet
ROWS_PER_SHEET = EXCEL_MAX_ROWS - 1
#: drop-down lists cover at least this many rows, and this many beyond the data
MIN_VALIDATION_ROWS = 5000
EXTRA_VALIDATION_ROWS = 1000
TABLE_STYLE = "Table Style Medium 2"
POLICY_SHEET = "Policy"
BILL_SHEET = "BillTemplate"
HOME_SHEET = "Home"
BALANCES_SHEET = "Balances"
#: Policy sheet: settings start on this row (0-based); label in A, value in B, name in C
POLICY_FIRST_ROW = 3
POLICY_VALUE_COL = 1
POLICY_VALUE_WIDTH = 60
#: Policy sheet: first column of each small table (header on POLICY_TABLE_ROW)
POLICY_TABLE_COLS = {"PovertyGuidelines": 4, "AssistanceTiers": 8}
POLICY_TABLE_ROW = 2

NUMBER_FORMATS: dict[ColumnType, str] = {
    ColumnType.TEXT: "@",
    ColumnType.INTEGER: "0",
    ColumnType.MONEY: bill_layout.MONEY_FORMAT,
    ColumnType.RATE: "0.00%",
    ColumnType.DATE: "yyyy-mm-dd",
    ColumnType.DATETIME: "yyyy-mm-dd hh:mm",
    ColumnType.BOOLEAN: '"TRUE";"TRUE";"FALSE"',  # a plain TRUE/FALSE in every spreadsheet app
}
#: Policy values sit in a wide column: left-aligned, money without accounting padding
POLICY_NUMBER_FORMATS: dict[ColumnType, str] = {
    **NUMBER_FORMATS,
    ColumnType.MONEY: "$#,##0.00",
}

Records = Mapping[str, Sequence[Mapping[str, object]]]
Formats = Mapping[object, Format]


def write_workbook(
    path: str | os.PathLike[str],
    records: Records | None = None,
    *,
    policy: Mapping[str, object] | None = None,
    rows_per_sheet: int = ROWS_PER_SHEET,
) -> None:
    """Write a new paxl workbook: the template, filled with ``records`` if given.

    The file is written under a temporary name in the same folder and moved into place, so a
    reader never sees a half-written workbook.

    Args:
        path: the ``.xlsx`` to create (replaced if it exists).
        records: plain values per table name, each row a mapping column → value (money as
            ``Decimal``/``str``/``float`` dollars, dates as ``date``/``datetime``, blanks as
            ``None``); tables left out are written empty.
        policy: Policy setting name → value, overriding the schema defaults.
        rows_per_sheet: data rows per table sheet before the table continues on the next
            sheet (``Payments_2``); at most :data:`ROWS_PER_SHEET`.

    Raises:
        PaxlError: an unknown table, column or setting.
    """
    path = Path(path)
    checked = _checked_records(records or {})  # refused before anything is created
    settings = _policy_values(policy or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    # a fresh name in the same folder (created by XlsxWriter with the usual permissions)
    tmp = path.parent / f".tmp-{os.getpid()}-{secrets.token_hex(4)}-{path.name}"
    try:
        workbook = Workbook(tmp, {"in_memory": True})
        _build(workbook, checked, settings, rows_per_sheet=rows_per_sheet)
        workbook.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_into(
    workbook: Workbook,
    records: Records | None = None,
    *,
    policy: Mapping[str, object] | None = None,
    rows_per_sheet: int = ROWS_PER_SHEET,
) -> None:
    """Add the template's sheets, filled with ``records``, to an open XlsxWriter ``workbook``
    (what :func:`write_workbook` writes), for builders that add sheets of their own (the
    macro-enabled template, derived workbooks with report sheets) before closing it.

    Raises:
        PaxlError: an unknown table, column or setting.
    """
    checked = _checked_records(records or {})
    settings = _policy_values(dict(policy or {}))
    _build(workbook, checked, settings, rows_per_sheet=rows_per_sheet)


def _checked_records(records: Records) -> dict[str, Sequence[Mapping[str, object]]]:
    unknown = sorted(set(records) - set(TABLES_BY_NAME))
    if unknown:
        raise PaxlError(f"no table named {', '.join(unknown)} in the workbook schema")
    for name, rows in records.items():
        known = set(TABLES_BY_NAME[name].column_names)
        for i, row in enumerate(rows):
            if not known.issuperset(row):
                extra = ", ".join(sorted(set(row) - known))
                raise PaxlError(f"{name} row {i + 2}: no column named {extra} in the schema")
    return dict(records)


def _policy_values(policy: Mapping[str, object]) -> dict[str, object]:
    names = {s.name for s in SETTINGS}
    unknown = sorted(set(policy) - names)
    if unknown:
        raise PaxlError(f"no Policy setting named {', '.join(unknown)}")
    values = {s.name: s.default for s in SETTINGS}
    values.update(policy)
    return values


def _build(
    workbook: Workbook,
    records: Mapping[str, Sequence[Mapping[str, object]]],
    settings: Mapping[str, object],
    *,
    rows_per_sheet: int = ROWS_PER_SHEET,
) -> None:
    if not 1 <= rows_per_sheet <= ROWS_PER_SHEET:
        raise ValueError(f"rows_per_sheet must be 1 to {ROWS_PER_SHEET:,}, not {rows_per_sheet}")
    workbook.set_properties(
        {
            "title": "Patient accounts",
            "subject": "Patient accounts workbook (paxl)",
            "author": "paxl",
            "company": "",
            "comments": "Contains patient health information.",
            "created": CREATED,
        }
    )
    formats = _formats(workbook)
    home = workbook.add_worksheet(HOME_SHEET)
    home.set_tab_color("#2E7D32")
    balances = workbook.add_worksheet(BALANCES_SHEET)
    balances.set_tab_color("#2E7D32")
    _write_balances(balances, formats)
    for t in TABLES:
        rows = records.get(t.name, ())
        for number, start in enumerate(range(0, max(len(rows), 1), rows_per_sheet), 1):
            name = continuation_name(t.name, number)
            sheet = workbook.add_worksheet(name)
            if t.log:
                sheet.set_tab_color("#9E9E9E")
            _write_table(sheet, t, rows[start : start + rows_per_sheet], formats, name=name)
    for t in STAGING_TABLES:  # typed by the rep, emptied by the button that posts them
        sheet = workbook.add_worksheet(t.name)
        sheet.set_tab_color("#1565C0")
        _write_table(sheet, t, (), formats)
    policy = workbook.add_worksheet(POLICY_SHEET)
    policy.set_tab_color("#EF6C00")
    _write_policy(workbook, policy, settings, formats)
    bill = workbook.add_worksheet(BILL_SHEET)
    bill.set_tab_color("#6A1B9A")
    _write_bill_template(workbook, bill)
    _write_home(home, formats)
    home.activate()


def _formats(workbook: Workbook) -> dict[object, Format]:
    """Cell formats: one per column type (keyed by the type), per Policy value type (keyed by
    ``("policy", type)``) and named styles (keyed by name)."""
    formats: dict[object, Format] = {
        kind: workbook.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()
    }
    for kind, fmt in POLICY_NUMBER_FORMATS.items():
        spec = {"align": "left", "valign": "top", "num_format": fmt}
        formats["policy", kind] = workbook.add_format(spec)
    blue = "#0D47A1"
    named: dict[str, dict[str, object]] = {
        "wrap": {"num_format": "@", "text_wrap": True, "valign": "top"},
        "home_title": {"bold": True, "font_size": 18, "font_color": blue},
        "home_heading": {"bold": True, "font_size": 13, "font_color": blue, "bottom": 1},
        "home_text": {"text_wrap": True, "valign": "top"},
        "home_warning": {
            "text_wrap": True,
            "valign": "top",
            "bold": True,
            "bg_color": "#FFF3CD",
            "border": 1,
        },
        "home_link": {"font_color": "#0563C1", "underline": 1, "valign": "top", "bold": True},
        "muted": {"font_color": "#6C757D", "valign": "top"},
        "label": {"valign": "top"},
        "column_head": {"bold": True, "bottom": 1},
    }
    # ColumnType is a StrEnum: a style named like a type would replace that type's format
    assert not set(named) & {str(kind) for kind in NUMBER_FORMATS}
    formats.update({name: workbook.add_format(spec) for name, spec in named.items()})
    return formats


# --- data tables ---------------------------------------------------------------------------------


def continuation_name(table: str, number: int) -> str:
    """The sheet (and Excel table) holding part ``number`` of a table: ``Payments`` for the
    first, then ``Payments_2``, ``Payments_3``, ... (the names the loader reads in order)."""
    return table if number == 1 else f"{table}_{number}"


def _write_table(
    sheet: Worksheet,
    schema: Table,
    rows: Sequence[Mapping[str, object]],
    formats: Formats,
    *,
    name: str | None = None,
) -> None:
    """One sheet of a table: its rows as an Excel table named ``name`` (default the table's)."""
    data_rows = max(len(rows), 1)  # an empty table keeps one blank data row
    _add_table(sheet, name or schema.name, schema.columns, 0, 0, data_rows, formats)
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    validation_rows = min(max(MIN_VALIDATION_ROWS, len(rows) + EXTRA_VALIDATION_ROWS), 1_048_575)
    for col, column in enumerate(schema.columns):
        note = _header_note(column)
        if note:
            sheet.write_comment(0, col, note, {"x_scale": 2.2, "y_scale": 0.8})
        if column.is_enum:
            sheet.data_validation(
                1,
                col,
                validation_rows,
                col,
                {
                    "validate": "list",
                    "source": list(column.choices),
                    "error_title": "Pick a value from the list",
                    "error_message": "Allowed: " + ", ".join(column.choices),
                },
            )
    _write_rows(sheet, schema.columns, rows, 1, 0, formats)


def _add_table(
    sheet: Worksheet,
    name: str,
    columns: Sequence[Column],
    first_row: int,
    first_col: int,
    data_rows: int,
    formats: Formats,
) -> None:
    """An Excel table with the schema's header, widths and per-column number formats."""
    sheet.add_table(
        first_row,
        first_col,
        first_row + data_rows,
        first_col + len(columns) - 1,
        {
            "name": name,
            "style": TABLE_STYLE,
            "columns": [{"header": c.name, "format": formats[c.type]} for c in columns],
        },
    )
    for i, column in enumerate(columns):
        col = first_col + i
        sheet.set_column(col, col, max(column.width, len(column.name) + 3), formats[column.type])


def _header_note(column: Column) -> str:
    parts = [column.help.rstrip(".") + "." if column.help else ""]
    if column.required:
        parts.append("Required.")
    if column.is_enum:
        parts.append("Pick from the list.")
    if column.references:
        ref = column.references
        parts.append(f"Must match a {ref.column} on the {ref.table} sheet.")
    if column.type is ColumnType.MONEY:
        parts.append("Dollars and cents, entered positive.")
    return " ".join(p for p in parts if p)


CellWriter = Callable[[int, int, object], None]


def _write_rows(
    sheet: Worksheet,
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, object]],
    first_row: int,
    first_col: int,
    formats: Formats,
) -> None:
    writers = [
        (
            first_col + i,
            column.name,
            _FAST_PATH.get(column.type),
            formats[column.type],
            _cell_writer(sheet, column.type, formats),
        )
        for i, column in enumerate(columns)
    ]
    # The usual values (text, Decimal/int, date) go straight to XlsxWriter's cell store; this
    # loop runs for every cell of the workbook, so it avoids calls it does not need.
    write_string, write_number = _fast_writers(sheet)
    first_date = FIRST_SAFE_DATE
    date, epoch = dt.date, _EPOCH_ORDINAL
    for r, record in enumerate(rows, first_row):
        get = record.get
        for col, name, fast, fmt, put in writers:
            value = get(name)
            if value is None:
                continue
            t = type(value)
            if fast == "text" and t is str:
                if value:
                    write_string(r, col, value, fmt)
            elif fast == "number" and (t is Decimal or t is int):
                write_number(r, col, float(value), fmt)
            elif fast == "date" and t is date and value >= first_date:
                write_number(r, col, value.toordinal() - epoch, fmt)
            else:
                put(r, col, value)


_FAST_PATH = {
    ColumnType.TEXT: "text",
    ColumnType.MONEY: "number",
    ColumnType.RATE: "number",
    ColumnType.INTEGER: "number",
    ColumnType.DATE: "date",
    ColumnType.DATETIME: "date",
}
_EPOCH_ORDINAL = dt.date(1899, 12, 30).toordinal()


def _fast_writers(sheet: Worksheet) -> tuple[Callable[..., object], Callable[..., object]]:
    """XlsxWriter's cell writers without the public wrappers' argument conversion (the row and
    column are already numbers); the public ones if a future XlsxWriter renames them."""
    string = getattr(sheet, "_write_string", sheet.write_string)
    number = getattr(sheet, "_write_number", sheet.write_number)
    return string, number


def _cell_writer(sheet: Worksheet, kind: ColumnType, formats: Formats) -> CellWriter:
    """A function writing one value of a column type (blank strings and NaN/NaT are skipped)."""
    fmt = formats[kind]
    write_string = sheet.write_string
    write_number = sheet.write_number

    def as_text(r: int, c: int, value: object) -> None:
        text = value if type(value) is str else _text(value)
        if text:
            write_string(r, c, text, fmt)

    def as_number(r: int, c: int, value: object) -> None:
        t = type(value)
        if t is Decimal or t is int:
            write_number(r, c, float(value), fmt)
        elif t is float:
            if not math.isnan(value):
                write_number(r, c, value, fmt)
        elif t is str:
            if value.strip():
                try:
                    write_number(r, c, float(to_decimal(value)), fmt)
                except MoneyError:
                    write_string(r, c, value, fmt)
        else:
            write_string(r, c, _text(value), fmt)

    def as_date(r: int, c: int, value: object) -> None:
        if isinstance(value, dt.date):
            if value != value:  # NaT
                return
            try:
                write_number(r, c, excel_serial(value), fmt)
            except ValueError:
                write_string(r, c, value.isoformat(), fmt)
        elif isinstance(value, str):
            parsed = parse_iso_date(value)
            if parsed is not None:
                as_date(r, c, parsed)
            elif value.strip():
                write_string(r, c, value, fmt)
        elif not (isinstance(value, float) and math.isnan(value)):
            write_string(r, c, _text(value), fmt)

    def as_boolean(r: int, c: int, value: object) -> None:
        if type(value) is bool:
            sheet.write_boolean(r, c, value, fmt)
        elif isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE"):
            sheet.write_boolean(r, c, value.strip().upper() == "TRUE", fmt)
        elif isinstance(value, str):
            if value.strip():
                write_string(r, c, value, fmt)
        else:
            write_string(r, c, _text(value), fmt)

    if kind is ColumnType.TEXT:
        return as_text
    if kind in (ColumnType.DATE, ColumnType.DATETIME):
        return as_date
    if kind is ColumnType.BOOLEAN:
        return as_boolean
    return as_number


def _text(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- Policy --------------------------------------------------------------------------------------


def _write_policy(
    workbook: Workbook,
    sheet: Worksheet,
    settings: Mapping[str, object],
    formats: Formats,
) -> None:
    sheet.write_string(0, 0, "Practice policy", formats["home_title"])
    sheet.write_string(
        1,
        0,
        "Change the values in column B. paxl reads each one by its name (column C).",
        formats["muted"],
    )
    for col, head in enumerate(("Setting", "Value", "Name")):
        sheet.write_string(POLICY_TABLE_ROW, col, head, formats["column_head"])
    sheet.set_column(0, 0, 46, formats["label"])
    sheet.set_column(1, 1, POLICY_VALUE_WIDTH)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_column(2, 2, 24, formats["muted"])
    sheet.set_column(3, 3, 3)
    for i, setting in enumerate(SETTINGS):
        row = POLICY_FIRST_ROW + i
        sheet.write_string(row, 0, setting.label, formats["label"])
        _write_setting(sheet, row, setting, settings[setting.name], formats)
        sheet.write_string(row, 2, setting.name, formats["muted"])
        workbook.define_name(setting.name, f"={POLICY_SHEET}!{_absolute(row, POLICY_VALUE_COL)}")
    for pt in POLICY_TABLES:
        col = POLICY_TABLE_COLS[pt.name]
        sheet.write_string(POLICY_TABLE_ROW - 1, col, pt.help, formats["muted"])
        records = [dict(zip([c.name for c in pt.columns], row, strict=True)) for row in pt.rows]
        _add_table(sheet, pt.name, pt.columns, POLICY_TABLE_ROW, col, max(len(records), 1), formats)
        _write_rows(sheet, pt.columns, records, POLICY_TABLE_ROW + 1, col, formats)


def _write_setting(
    sheet: Worksheet,
    row: int,
    setting: Setting,
    value: object,
    formats: Formats,
) -> None:
    fmt = formats["policy", setting.type]
    if value is None:
        sheet.write_blank(row, POLICY_VALUE_COL, None, fmt)
        return
    if setting.type is ColumnType.TEXT:
        text = _text(value)
        sheet.write_string(row, POLICY_VALUE_COL, text, formats["wrap"])
        sheet.set_row(row, _height(text, POLICY_VALUE_WIDTH))
        return
    _cell_writer(sheet, setting.type, {setting.type: fmt})(row, POLICY_VALUE_COL, value)


def _absolute(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)


# --- Balances: the functions at work -------------------------------------------------------------

#: the Balances sheet's columns: header, the one formula that spills the whole column (written in
#: row BALANCES_FIRST_ROW), the column's number format (None: General) and width. Column A lists
#: the PatientIDs; the others follow it (``A5#`` is written ``ANCHORARRAY(A5)``, as Excel stores
#: it). PA_BALANCE takes (patient_ids, charges, payments, adjustments, [as_of], [patients]).
BALANCE_COLUMNS: tuple[tuple[str, str, ColumnType | None, int], ...] = (
    ("PatientID", '=FILTER(Patients[PatientID],Patients[PatientID]<>"","")', None, 14),
    (
        "Name",
        '=FILTER(Patients[LastName]&", "&Patients[FirstName],Patients[PatientID]<>"","")',
        None,
        28,
    ),
    ("Guarantor", '=FILTER(Patients[Guarantor]&"",Patients[PatientID]<>"","")', None, 14),
    (
        "Balance",
        '=IF(A5="","",PA_BALANCE(ANCHORARRAY(A5),Charges[#All],Payments[#All],'
        "Adjustments[#All],,Patients[#All]))",
        ColumnType.MONEY,
        16,
    ),
)
BALANCES_HEADER_ROW = 3  # 0-based: Excel row 4
BALANCES_FIRST_ROW = 4  # 0-based: Excel row 5, where the formulas are
BALANCES_NOTE = (
    "Each column below is one formula that fills itself down for every patient on the Patients "
    "sheet; Balance uses the paxl function PA_BALANCE (charges - payments - adjustments + "
    "refunds; positive = owes, negative = credit). paxl functions work once the xlwings add-in "
    "is installed and Import Functions has been run for this workbook (Excel on Windows), or in "
    "xlwings Lite; until then Balance shows #NAME?. Do not type here."
)


def _write_balances(sheet: Worksheet, formats: Formats) -> None:
    """The Balances sheet: a title, a note, a header and one spilling formula per column."""
    sheet.write_string(0, 0, "Balances", formats["home_title"])
    sheet.merge_range(1, 0, 2, len(BALANCE_COLUMNS) + 2, BALANCES_NOTE, formats["home_text"])
    sheet.set_row(1, 30)
    sheet.set_row(2, 30)
    for col, (header, formula, kind, width) in enumerate(BALANCE_COLUMNS):
        fmt = formats[kind] if kind is not None else None
        sheet.set_column(col, col, width, fmt)
        sheet.write_string(BALANCES_HEADER_ROW, col, header, formats["column_head"])
        row = BALANCES_FIRST_ROW
        sheet.write_dynamic_array_formula(row, col, row, col, formula, fmt, "")
    sheet.freeze_panes(BALANCES_FIRST_ROW, 0)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)


# --- BillTemplate and Home -----------------------------------------------------------------------


def _write_bill_template(workbook: Workbook, sheet: Worksheet) -> None:
    bill_layout.write_bill(sheet, bill_layout.bill_formats(workbook), bill_layout.placeholders())
    for name, (row, col) in bill_layout.BILL_LAYOUT.items():
        workbook.define_name(name, f"={BILL_SHEET}!{_absolute(row, col)}")


_HOME_WIDTHS = (18, 90)


def _write_home(sheet: Worksheet, formats: Formats) -> None:
    sheet.set_column(0, 0, _HOME_WIDTHS[0])
    sheet.set_column(1, 1, _HOME_WIDTHS[1])
    sheet.hide_gridlines(2)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    row = 0
    for p in home_paragraphs():
        if p.style == "sheet":
            sheet.write_url(row, 0, f"internal:'{p.link}'!A1", formats["home_link"], p.text)
            sheet.write_string(row, 1, p.detail, formats["home_text"])
            sheet.set_row(row, _height(p.detail, _HOME_WIDTHS[1]))
        elif p.style in ("title", "heading"):
            if p.style == "heading":
                row += 1
            sheet.write_string(row, 0, p.text, formats[f"home_{p.style}"])
            sheet.set_row(row, 26 if p.style == "title" else 20)
        else:
            sheet.merge_range(row, 0, row, 1, p.text, formats[f"home_{p.style}"])
            sheet.set_row(row, _height(p.text, sum(_HOME_WIDTHS)))
        row += 1


def _height(text: str, width_chars: int) -> float:
    """Row height in points for wrapped text (Excel does not size merged rows itself)."""
    lines = max(1, math.ceil(len(text) / (width_chars * 0.95)))
    return 15.0 if lines == 1 else 15.0 * lines + 2
