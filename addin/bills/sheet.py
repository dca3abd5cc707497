"""Bill sheets in a new workbook, written with XlsxWriter from the statement model.

Each output workbook has a ``Statements`` sheet first — an Excel table named ``Statements`` with
the schema's log columns in order (StatementID, PatientID, StatementDate, DueDate, AmountDue,
DunningLevel, Channel, FinalNotice), so its rows can be appended to the book's own Statements
table, and beside it (outside the table) the guarantor's name, the number of lines and a link to
the bill — then one sheet per bill named ``Bill <PatientID>``.

**Layout.** Every bill is drawn by :func:`addin.workbook.bill_layout.write_bill`, the function
that draws the template's ``BillTemplate`` sheet, at the places of a
:class:`~addin.workbook.bill_positions.BillLayout`: the standard one, or the one the input's
``bill_*`` defined names mark where the rep moved fields on BillTemplate (the statement run reads
it, :func:`addin.bills.run.bill_layout_of`). Styles are the template's own (a headless run cannot
copy Excel styles). Many lines grow the itemised table and move everything below it down (nothing
overlaps). This writer adds what the template has no cell for: a note under the totals (amounts
pending with insurance, unapplied credit, other amounts due), row heights for wrapped text, and
money columns widened for large amounts.

**Size.** A workbook holds at most :data:`MAX_BILLS_PER_WORKBOOK` bill sheets (XlsxWriter's cost
per sheet grows with the sheet count, DESIGN §7): more bills go to ``OUT-2.xlsx``,
``OUT-3.xlsx``, ..., each with its own ``Statements`` sheet for its bills. Workbooks are built in
memory (``in_memory``: the bills are small and written out of row order), saved under temporary
names in the output folder, and moved into place only once all of them are complete.
"""

from __future__ import annotations

import io
import math
import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from addin.collector import collect_now
from addin.core.statement import Statement
from addin.workbook import bill_layout
from addin.workbook.bill_layout import BILL_CELLS, LAST_COL, LINE_COLUMNS, BillLayout
from addin.workbook.encryption import protected
from addin.workbook.schema import TABLES_BY_NAME
from addin.workbook.xlsx_values import excel_serial

MAX_BILLS_PER_WORKBOOK = 1000
SUMMARY_SHEET = "Statements"
LOG_COLUMNS = TABLES_BY_NAME["Statements"].column_names
EXTRA_COLUMNS = ("Guarantor", "Lines", "Bill")
#: points per line of wrapped text at the bill's 10-point font
LINE_HEIGHT = 13.0
#: characters of the Description column before a line wraps
DESCRIPTION_CHARS = 42
FINAL_RED = "#B40000"
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

Progress = Callable[[int], None]


def part_paths(out: Path, bills: int, per_workbook: int = MAX_BILLS_PER_WORKBOOK) -> list[Path]:
    """The workbooks a run of ``bills`` bills writes: ``OUT.xlsx``, ``OUT-2.xlsx``, ...

    At least one (a run without bills still writes its empty Statements sheet).
    """
    count = max(1, math.ceil(bills / per_workbook))
    return [
        out if n == 1 else out.with_name(f"{out.stem}-{n}{out.suffix}") for n in range(1, count + 1)
    ]


def write_bill_workbooks(
    statements: Sequence[Statement],
    log_rows: Sequence[Mapping[str, object]],
    out: Path,
    *,
    per_workbook: int = MAX_BILLS_PER_WORKBOOK,
    progress: Progress | None = None,
    password: str | None = None,
    layout: BillLayout | None = None,
) -> list[Path]:
    """Write the bills and their log rows into ``out`` (and ``OUT-2.xlsx``, ... if needed).

    Args:
        statements: the bills, in the order they go on the sheets.
        log_rows: one Statements log row per bill (same order), keys :data:`LOG_COLUMNS`.
        out: the first workbook's path (``.xlsx``).
        per_workbook: most bill sheets per workbook.
        progress: called with the number of bills written so far.
        password: encrypt each workbook with this password in memory, before it is written
            (:func:`~addin.workbook.encryption.protected`); ``None`` writes them plain.
        layout: where the bill fields go (a valid layout); ``None`` is the standard one.

    Returns:
        The workbooks written, in order.
    """
    if len(log_rows) != len(statements):
        raise ValueError("one log row per statement is needed")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    paths = part_paths(out, len(statements), per_workbook)
    temps: list[Path] = []
    done = 0
    try:
        for n, path in enumerate(paths):
            if n:  # the previous workbook and its cells are reference cycles: free them first
                collect_now()
            chunk = slice(n * per_workbook, (n + 1) * per_workbook)
            tmp = path.parent / f".tmp-{os.getpid()}-{secrets.token_hex(4)}-{path.name}"
            temps.append(tmp)
            buffer = io.BytesIO()
            workbook = Workbook(buffer, {"in_memory": True})
            _write_part(workbook, statements[chunk], log_rows[chunk], progress, done, layout)
            workbook.close()
            tmp.write_bytes(protected(buffer.getvalue(), path.suffix, password))
            done += len(statements[chunk])
            del workbook, buffer
        for tmp, path in zip(temps, paths, strict=True):
            os.replace(tmp, path)
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise
    return paths


def _write_part(
    workbook: Workbook,
    statements: Sequence[Statement],
    log_rows: Sequence[Mapping[str, object]],
    progress: Progress | None,
    done: int,
    layout: BillLayout | None = None,
) -> None:
    formats = _formats(workbook)
    summary = workbook.add_worksheet(SUMMARY_SHEET)
    names = sheet_names(s.account for s in statements)
    _write_summary(summary, statements, log_rows, names, formats)
    for i, (statement, name) in enumerate(zip(statements, names, strict=True)):
        write_bill_sheet(workbook.add_worksheet(name), formats, statement, layout)
        if progress is not None:
            progress(done + i + 1)
    summary.activate()


def sheet_names(accounts: Iterable[str]) -> list[str]:
    """``Bill <PatientID>`` per account: characters Excel refuses dropped, at most 31
    characters, and a repeated name numbered (``Bill P1 (2)``)."""
    seen: set[str] = {SUMMARY_SHEET.casefold()}
    names = []
    for account in accounts:
        base = _SHEET_NAME_BAD.sub("", f"Bill {account}")[:31].strip("' ") or "Bill"
        name, n = base, 1
        while name.casefold() in seen:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
        seen.add(name.casefold())
        names.append(name)
    return names


# --- the Statements sheet -------------------------------------------------------------------------


def _write_summary(
    sheet: Worksheet,
    statements: Sequence[Statement],
    log_rows: Sequence[Mapping[str, object]],
    names: Sequence[str],
    formats: Mapping[str, Format],
) -> None:
    kinds = {c.name: c.type.value for c in TABLES_BY_NAME["Statements"].columns}
    sheet.add_table(
        0,
        0,
        max(len(log_rows), 1),
        len(LOG_COLUMNS) - 1,
        {
            "name": SUMMARY_SHEET,
            "style": "Table Style Medium 2",
            "columns": [{"header": c, "header_format": formats["head"]} for c in LOG_COLUMNS],
        },
    )
    for col, column in enumerate(LOG_COLUMNS):
        sheet.set_column(col, col, max(12, len(column) + 3))
        for row, record in enumerate(log_rows, start=1):
            _write_typed(sheet, row, col, record.get(column), kinds[column], formats)
    sheet.set_column(0, 0, 24)
    first = len(LOG_COLUMNS) + 1  # one empty column between the table and the extras
    for i, title in enumerate(EXTRA_COLUMNS):
        sheet.write_string(0, first + i, title, formats["head"])
    sheet.set_column(first, first, 28)
    sheet.set_column(first + 1, first + 1, 7)
    sheet.set_column(first + 2, first + 2, 18)
    for row, (statement, name) in enumerate(zip(statements, names, strict=True), start=1):
        sheet.write_string(row, first, statement.guarantor.name)
        sheet.write_number(row, first + 1, len(statement.lines))
        sheet.write_url(row, first + 2, f"internal:'{name}'!A1", string=name)
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _write_typed(
    sheet: Worksheet, row: int, col: int, value: object, kind: str, formats: Mapping[str, Format]
) -> None:
    if value is None:
        return
    if kind == "date":
        sheet.write_number(row, col, excel_serial(value), formats["date"])  # type: ignore[arg-type]
    elif kind == "money":
        sheet.write_number(row, col, float(value), formats["money"])  # type: ignore[arg-type]
    elif kind == "boolean":
        sheet.write_boolean(row, col, bool(value))
    elif kind == "integer":
        sheet.write_number(row, col, int(value))  # type: ignore[call-overload]
    else:
        sheet.write_string(row, col, str(value))


# --- one bill ------------------------------------------------------------------------------------


def _formats(workbook: Workbook) -> dict[str, Format]:
    formats = dict(bill_layout.bill_formats(workbook))
    # Descriptions wrap instead of running under the money columns.
    for key, shade in (("line_text", {}), ("line_text_shade", {"bg_color": bill_layout.SHADE})):
        formats[key] = workbook.add_format(
            {"font_size": 9, "valign": "top", "text_wrap": True, **shade}
        )
    formats["note"] = workbook.add_format(
        {"italic": True, "font_size": 8, "align": "right", "valign": "top"}
    )
    formats["head"] = workbook.add_format({"bold": True, "bottom": 1})
    formats["final_title"] = workbook.add_format(
        {"bold": True, "font_size": 14, "font_color": FINAL_RED, "align": "right", "valign": "top"}
    )
    formats["date"] = workbook.add_format({"num_format": "yyyy-mm-dd"})
    formats["money"] = workbook.add_format({"num_format": bill_layout.MONEY_FORMAT})
    return formats


def bill_values(statement: Statement) -> dict[str, object]:
    """The bill fields of a statement: ``bill_*`` name → text, ``Decimal`` dollars or date."""
    s = statement
    return {
        "bill_practice_name": s.practice.name,
        "bill_practice_address": s.practice.address,
        "bill_practice_phone": s.practice.phone,
        "bill_remit_to": "\n".join(s.practice.remit_lines),
        "bill_account": s.account,
        "bill_statement_date": s.statement_date,
        "bill_due_date": s.due_date,
        "bill_patient_name": s.patient_name,
        "bill_guarantor_name": s.guarantor.name,
        "bill_address": "\n".join(s.guarantor.address_lines),
        "bill_previous_balance": s.previous_balance,
        "bill_payments_since": -s.payments_since,
        "bill_amount_due": s.amount_due,
        "bill_aging": aging_text(s),
        "bill_message": s.message,
        "bill_plan_options": "\n".join(plan_option_lines(s)),
        "bill_assistance_notice": s.assistance_notice,
        "bill_slip_account": s.account,
        "bill_slip_amount_due": s.amount_due,
        "bill_slip_enclosed": "$",
    }


def money_text(amount: Decimal) -> str:
    """``Decimal("-1234.5")`` → ``"-$1,234.50"``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def aging_text(statement: Statement) -> str:
    """``"Aging of amount due:  0-30 days $12.00 · 31-60 days $0.00 · ..."``."""
    parts = [f"{label} days {money_text(amount)}" for label, amount in statement.aging.buckets]
    return "Aging of amount due:   " + "   ·   ".join(parts)


def plan_option_lines(statement: Statement) -> list[str]:
    """One line of text per payment option, e.g. ``"6 monthly payments: $50.00 a month"``."""
    lines = []
    for option in statement.plan_options:
        text = f"{option.label}: {money_text(option.installment)}"
        if option.count > 1:
            text += " a month"
            if option.final_payment != option.installment:
                text += f", last payment {money_text(option.final_payment)}"
            if option.forgiven:
                text += f"; then {money_text(option.forgiven)} is forgiven"
        if option.recommended:
            text += "   (recommended)"
        lines.append(text)
    return lines


def pending_note(statement: Statement) -> str:
    """What the bill's totals include that is not due: pending insurance, credit, other debt."""
    parts = []
    if statement.insurance_pending:
        parts.append(
            f"{money_text(statement.insurance_pending)} is pending with your insurance "
            "and not due yet"
        )
    if statement.unapplied_credit:
        parts.append(
            f"a credit of {money_text(statement.unapplied_credit)} on your account is "
            "taken off the amount due"
        )
    if statement.other_due:
        parts.append(f"{money_text(statement.other_due)} owed without a service line is added")
    if not parts:
        return ""
    return ("Of the lines above, " if statement.insurance_pending else "") + "; ".join(parts) + "."


def line_values(statement: Statement) -> list[tuple[object, ...]]:
    """The itemised lines in :data:`~addin.workbook.bill_layout.LINE_COLUMNS` order."""
    rows = []
    for line in statement.lines:
        description = line.description + (" (pending insurance)" if line.pending_insurance else "")
        rows.append(
            (
                line.service_date,
                line.code,
                description,
                line.charge,
                line.insurance_paid,
                line.adjustments,
                line.patient_paid,
                line.patient_owes,
            )
        )
    return rows


def write_bill_sheet(
    worksheet: Worksheet,
    formats: Mapping[str, Format],
    statement: Statement,
    layout: BillLayout | None = None,
) -> None:
    """Draw one statement on an empty worksheet (the BillTemplate layout, grown for its lines)."""
    layout = BillLayout.standard() if layout is None else layout
    lines = line_values(statement)
    values = bill_values(statement)
    totals = statement.line_totals
    bill_layout.write_bill(worksheet, formats, values, lines, totals, layout)
    n = len(lines)
    note = pending_note(statement)
    if note:
        row = layout.cell("bill_totals", n)[0] + 1
        first = layout.lines_col
        worksheet.merge_range(row, first, row, first + LAST_COL, note, formats["note"])
    title = [
        (r, c) for r, c, _, _, style in bill_layout.placed_labels(layout, n) if style == "title"
    ]
    if statement.final_notice and title:  # over the title, if a moved field left it room
        worksheet.write_string(*title[0], "FINAL NOTICE", formats["final_title"])
    _row_heights(worksheet, statement, lines, layout)
    _money_widths(worksheet, lines, totals, layout.lines_col)


def _row_heights(
    worksheet: Worksheet,
    statement: Statement,
    lines: Sequence[Sequence[object]],
    layout: BillLayout,
) -> None:
    header = layout.lines_row
    for i, line in enumerate(lines):
        wraps = math.ceil(len(str(line[2])) / DESCRIPTION_CHARS)
        if wraps > 1:
            worksheet.set_row(header + 1 + i, LINE_HEIGHT * wraps)
    n = len(lines)
    blocks = (
        ("bill_message", statement.message, 90),
        ("bill_plan_options", "\n".join(plan_option_lines(statement)), 95),
        ("bill_assistance_notice", statement.assistance_notice, 120),
    )
    for name, text, chars_per_line in blocks:
        cell = BILL_CELLS[name]
        rows = cell.last_row - cell.row + 1 if cell.last_row is not None else 1
        needed = sum(max(1, math.ceil(len(part) / chars_per_line)) for part in text.split("\n"))
        height = max(15.0, LINE_HEIGHT * needed / rows + 2)
        first = layout.cell(name, n)[0]
        for r in range(first, first + rows):
            worksheet.set_row(r, height)


def _money_widths(
    worksheet: Worksheet,
    lines: Sequence[Sequence[object]],
    totals: Sequence[Decimal],
    first_col: int = 0,
) -> None:
    """Widen a money column when its largest amount would not fit (Excel shows ####)."""
    money_cols = [i for i, c in enumerate(LINE_COLUMNS) if c.kind == "money"]
    for n, col in enumerate(money_cols):
        amounts = [abs(Decimal(str(line[col]))) for line in lines] + [abs(totals[n])]
        widest = max(len(f"{a:,.2f}") for a in amounts) + 4  # "$ ", a sign and padding
        if widest > LINE_COLUMNS[col].width:
            worksheet.set_column(first_col + col, first_col + col, widest)
