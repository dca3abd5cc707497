"""Import data: append the rows of another system's export (CSV or .xlsx) to one table.

The decisions are :func:`addin.workbook.importer.plan_import`'s: the export's header is found
and its columns mapped to the table's (by name and common synonyms — "MRN"/"Account #" →
PatientID, "DOS" → ServiceDate, "CPT" → Code — or a saved mapping file), US dates and ``$1,234.50``
/ ``(45.00)`` amounts are read, rows already in the workbook (same ID, or for payments the same
patient, payer, reference, amount and date) are skipped, payments and adjustments without an ID
get the next IDs, and every new row is checked as ``paxl validate`` checks it.

**All or nothing.** One row with a problem and nothing is written: the message box lists each
problem with the export's sheet (a CSV's file name), row and column. Otherwise the new rows are
appended to the table through one write plan, with an ``Audit`` row. Importing the same file
again adds nothing (every row is already present).

**Which file and table.** The body takes both. The desktop button reads the cell named
``import_file`` (a full path; blank = Excel's Open dialog, on Windows) and the cell named
``import_into`` (the table: Charges, Payments, Patients, ...; blank = the table of the sheet the
rep is on); an optional cell ``import_mapping`` holds the path of a saved mapping file (JSON, as
``paxl import --save-mapping`` writes it). The xlwings Lite/Server script takes the path and the
table as arguments — a path on the machine running Python (xlwings Server's), not the rep's.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from addin.core.findings import Severity
from addin.errors import PaxlError
from addin.workbook.column_mapping import ColumnMapping, mapping_from_json
from addin.workbook.export_reader import read_export
from addin.workbook.frames import is_blank
from addin.workbook.importer import IMPORTABLE, ImportPlan, Outcome, plan_import
from addin.workbook.port import WorkbookPort
from addin.workbook.schema import TABLES
from addin.workbook.write_plan import PlanRejected, WritePlan, apply
from macros.runner import Result, require_usable

log = logging.getLogger("paxl.macros")

READS = tuple(t.name for t in TABLES)
FILE_NAME = "import_file"
INTO_NAME = "import_into"
MAPPING_NAME = "import_mapping"
FILE_FILTER = "Exports (*.csv;*.txt;*.tsv;*.xlsx;*.xlsm),*.csv;*.txt;*.tsv;*.xlsx;*.xlsm"


def import_data_on(
    port: WorkbookPort,
    *,
    now: dt.datetime,
    user: str,
    path: str | Path,
    table: str,
    mapping: str | Path | None = None,
) -> Result:
    """Import the export at ``path`` into ``table`` (see the module doc).

    Args:
        port: the workbook.
        now: PostedAt of new payments/adjustments and the Audit time.
        user: PostedBy of new payments/adjustments and the Audit row's Who.
        path: the export file (.csv/.txt/.tsv or .xlsx/.xlsm).
        table: the table to append to (one of :data:`addin.workbook.importer.IMPORTABLE`,
            any case).
        mapping: a saved mapping file, or ``None`` for names and synonyms only.

    Raises:
        PlanRejected: a row (or the header or mapping) has a problem; each is named by the
            export's sheet, row and column. Nothing was written.
        PaxlError: the file, the table or the mapping cannot be used; nothing was written.
    """
    name = table_name(table)
    saved = read_mapping(Path(str(mapping).strip().strip('"'))) if mapping else None
    if saved is not None and saved.table != name:
        raise PaxlError(
            f"The mapping file is for the {saved.table} table, not {name}; choose the right "
            f"mapping file (cell {MAPPING_NAME}) or table (cell {INTO_NAME})."
        )
    export = read_export(Path(str(path).strip().strip('"')))
    snapshot = port.snapshot(READS)
    require_usable(snapshot, (name, "Audit"))
    plan = plan_import(
        snapshot.book, export, name, mapping=saved, as_of=now.date(), now=now, user=user
    )
    if not plan.may_write(skip_invalid=False):
        raise PlanRejected([f for f in plan.findings if f.severity == Severity.ERROR])
    present = plan.count(Outcome.PRESENT)
    ignored = plan.count(Outcome.IGNORED)
    if not plan.appends:
        message = (
            f"Nothing new to import from {export.name}: {present} row(s) are already in {name}"
            + (f", {ignored} row(s) ignored (totals)" if ignored else "")
            + ". Nothing was written."
        )
        port.alert(message)
        return Result(message, None, plan.findings)
    counts = f"{len(plan.appends)} new row(s), {present} already present, {ignored} ignored"
    message = (
        f"Imported {len(plan.appends)} row(s) from {export.name} into {name}"
        + (f"; {present} row(s) were already there and were skipped" if present else "")
        + (f"; {ignored} totals row(s) ignored" if ignored else "")
        + "."
    )
    write = (
        WritePlan()
        .append(name, plan.appends, origins=origins(plan))
        .audit(
            at=now,
            who=user,
            action="import_data",
            table=name,
            rows=len(plan.appends),
            detail=f"import from {export.name}: {counts}",
        )
        .alert(message)
    )
    return Result(message, apply(write, port, snapshot), plan.findings)


def import_data_named_on(port: WorkbookPort, *, now: dt.datetime, user: str, book=None) -> Result:
    """:func:`import_data_on` for the file in the cell named ``import_file`` (else, with the
    desktop ``book``, the one chosen in Excel's Open dialog), the table in ``import_into`` (else
    the active sheet's) and the mapping in ``import_mapping``."""
    return import_data_on(
        port,
        now=now,
        user=user,
        path=import_path(port, book),
        table=import_table(port),
        mapping=import_mapping(port),
    )


def table_name(text: str) -> str:
    """The importable table named ``text`` (any case, spaces ignored).

    Raises:
        PaxlError: no such importable table; the message lists them.
    """
    wanted = str(text).strip().casefold()
    for name in IMPORTABLE:
        if name.casefold() == wanted:
            return name
    raise PaxlError(
        f"paxl cannot import into {text!r}. Type one of {', '.join(IMPORTABLE)} in the cell "
        f"named {INTO_NAME}."
    )


def origins(plan: ImportPlan) -> list[tuple[str, int]] | None:
    """The export row of each appended row (for messages), in append order."""
    rows = [(plan.sheet, r.row) for r in plan.rows if r.outcome == Outcome.APPENDED]
    return rows if len(rows) == len(plan.appends) else None


def read_mapping(path: Path) -> ColumnMapping:
    """A saved mapping file (JSON, :mod:`addin.workbook.column_mapping`).

    Raises:
        PaxlError: missing, not JSON, or not a valid mapping.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise PaxlError(
            f"The mapping file {path} cannot be read ({error.strerror}); check the path in the "
            f"cell named {MAPPING_NAME}."
        ) from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PaxlError(
            f"The mapping file {path.name} is not valid JSON (line {error.lineno}: {error.msg})."
        ) from None
    return mapping_from_json(data, path.name)


def import_path(port: WorkbookPort, book=None) -> str:
    """The export to import: the cell named ``import_file``, else Excel's Open dialog
    (desktop Excel on Windows).

    Raises:
        PaxlError: no file chosen (the message says how to choose one).
    """
    named = _named(port, FILE_NAME)
    if named:
        return named
    chosen = _ask(book) if book is not None else None
    if chosen:
        return chosen
    raise PaxlError(
        "No export file was chosen. Choose it in the Open dialog, or type its full path in a "
        f"cell named {FILE_NAME} (Formulas > Define Name), then click Import data again."
    )


def import_table(port: WorkbookPort) -> str:
    """The table to import into: the cell named ``import_into``, else the table of the sheet
    the rep is on.

    Raises:
        PaxlError: neither names an importable table.
    """
    named = _named(port, INTO_NAME)
    if named:
        return table_name(named)
    selection = port.selection()
    for candidate in (selection.table, selection.sheet):
        if candidate and candidate.casefold() in {t.casefold() for t in IMPORTABLE}:
            return table_name(candidate)
    raise PaxlError(
        "Which table should the rows go into? Click a cell on that table's sheet (Charges, "
        f"Payments, Patients, ...), or type its name in a cell named {INTO_NAME}, then click "
        "Import data again."
    )


def import_mapping(port: WorkbookPort) -> str | None:
    """The saved mapping file named by the cell ``import_mapping`` (``None``: none)."""
    return _named(port, MAPPING_NAME)


def _named(port: WorkbookPort, name: str) -> str | None:
    value = port.name_values([name]).get(name)
    if is_blank(value):
        return None
    return str(value).strip().strip('"') or None


def _ask(book) -> str | None:
    """Excel's Open dialog (Windows desktop only); ``None`` when unavailable or cancelled."""
    try:
        if book.app.engine.type != "desktop":
            return None
        answer = book.app.api.GetOpenFilename(FILE_FILTER, 1, "Choose the export to import")
    except Exception:  # a host without the dialog (macOS, a server)
        log.debug("no Open dialog on this host", exc_info=True)
        return None
    return answer if isinstance(answer, str) and answer else None


__all__ = [
    "import_data_named_on",
    "import_data_on",
    "import_mapping",
    "import_path",
    "import_table",
    "table_name",
]
