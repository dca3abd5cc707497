"""`paxl import BOOK.xlsx EXPORT.csv|EXPORT.xlsx --into TABLE -o OUT.xlsx`: add an export's rows.

Reads an export from a practice-management system, maps its columns to the table's
(:mod:`addin.workbook.column_mapping`), types and checks every row against the workbook
(:mod:`addin.workbook.importer`) and writes **a new workbook** — BOOK's tables with the new rows
appended and an Audit row saying so. BOOK itself is never changed.

* All or nothing by default: one bad row and nothing is written (exit 1); the problems are listed
  with the export's row and column. ``--skip-invalid`` appends the valid rows and writes the
  rejects file (``--rejects FILE``, default ``OUT-rejects.csv``): one line per problem — sheet,
  row, column, code, reason, fix — naming rows and IDs only, no patient data.
* Rows already in the workbook (same ID, or for payments the same patient, payer, reference,
  amount and date) are skipped and reported; importing the same file twice adds nothing.
* Payments and adjustments without an ID get the next IDs after the workbook's (``PAY0000418``).
* ``--mapping MAP.json`` uses a saved, editable mapping; ``--save-mapping MAP.json`` writes the one
  used (also when rows were rejected, to fix and rerun); ``--set Kind=Payment`` gives a column the
  export lacks one value for every row.
* A password-protected BOOK (or export) opens with ``--password`` or ``PAXL_PASSWORD``;
  ``--encrypt-output`` protects OUT with the same password. The rejects file and the mapping hold
  no patient data and are plain text.

Exit status: 0 when OUT was written, 1 when rows (or the mapping) have problems and nothing was
written, 2 when a file cannot be read (wrong password, not a workbook, BOOK has errors).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import io
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from addin.commands._book_args import add_password_arguments, output_password, password_from
from addin.commands._output import print_findings, print_json
from addin.core.findings import Finding, Severity
from addin.errors import PaxlError
from addin.workbook.column_mapping import ColumnMapping, mapping_from_json
from addin.workbook.derive import write_derived
from addin.workbook.encryption import write_output
from addin.workbook.export_reader import read_export
from addin.workbook.importer import IMPORTABLE, ImportPlan, Outcome, plan_import
from addin.workbook.loader import load_book

REJECT_COLUMNS = ("sheet", "row", "column", "code", "reason", "fix")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="add rows from another system's export (CSV or .xlsx) to a table, into a new workbook",
        description=(
            "Map an export's columns to a table (by name and common synonyms, or a mapping "
            "file), convert US dates and $ amounts, check every row against the workbook as "
            "`paxl validate` does, skip rows already present, and write a new workbook with the "
            "new rows appended. Nothing is written when a row has a problem, unless "
            "--skip-invalid. Your workbook is never changed."
        ),
    )
    parser.add_argument("book", type=Path, help="the workbook (.xlsx or .xlsm); it is only read")
    parser.add_argument("export", type=Path, help="the export: .csv (or other text) or .xlsx")
    parser.add_argument(
        "--into",
        choices=IMPORTABLE,
        help="the table to add the rows to (default: the one the --mapping file names)",
    )
    parser.add_argument(
        "-o", "--out", type=Path, required=True, metavar="OUT.xlsx", help="workbook to write"
    )
    parser.add_argument("--sheet", help="the export workbook's sheet (default: the first)")
    parser.add_argument("--mapping", type=Path, metavar="MAP.json", help="saved column mapping")
    parser.add_argument(
        "--save-mapping", type=Path, metavar="MAP.json", help="write the mapping used, to edit"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="one value for every row of a column the export lacks, e.g. --set Kind=Payment",
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="append the valid rows and list the others in the rejects file",
    )
    parser.add_argument(
        "--rejects",
        type=Path,
        metavar="REJECTS.csv",
        help="where to list rejected rows and why (default with --skip-invalid: OUT-rejects.csv)",
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    add_password_arguments(parser, encrypt_output=True)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    password = password_from(args, args.book)
    protect = output_password(args, password)
    _check_paths(args)
    saved = load_mapping(args.mapping) if args.mapping else None
    table = _table(args.into, saved)
    defaults = parse_settings(args.set)
    book = load_book(args.book, password=password)
    export = read_export(args.export, password=password, sheet=args.sheet)
    now = dt.datetime.now().replace(microsecond=0)
    plan = plan_import(
        book,
        export,
        table,
        mapping=saved,
        defaults=defaults,
        as_of=now.date(),
        now=now,
        user=_user(),
    )
    files: dict[str, str] = {}
    if args.save_mapping and plan.mapping is not None:
        files["mapping"] = str(save_mapping(plan.mapping, args.save_mapping))
    written = plan.may_write(skip_invalid=args.skip_invalid)
    if written:
        write_derived(book, plan.append_records(), args.out, password=protect)
        files["workbook"] = str(args.out)
    rejects = plan.rejects()
    rejects_path = args.rejects
    if rejects_path is None and args.skip_invalid and written:
        rejects_path = args.out.with_name(f"{args.out.stem}-rejects.csv")
    if rejects and rejects_path is not None:
        files["rejects"] = str(write_output(rejects_csv(rejects), rejects_path))
    if args.json:
        print_json(to_json(plan, written, files), out)
    else:
        write_report(plan, written, files, out)
    return 0 if written else 1


# --- inputs -------------------------------------------------------------------------------------


def _check_paths(args: argparse.Namespace) -> None:
    out = args.out.resolve()
    if args.out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise PaxlError(f"{args.out.name} is not a workbook name; write to an .xlsx file (-o).")
    for given, what in ((args.book, "workbook"), (args.export, "export")):
        if out == given.resolve():
            raise PaxlError(
                f"The output {args.out.name} is the {what} being read; paxl never changes its "
                "input. Choose another output file (-o)."
            )
    for extra in (args.rejects, args.save_mapping):
        if extra is not None and extra.resolve() in (
            out,
            args.book.resolve(),
            args.export.resolve(),
        ):
            raise PaxlError(f"{extra.name} is one of the import's workbooks; choose another name.")


def load_mapping(path: Path) -> ColumnMapping:
    """Read a mapping file (:mod:`addin.workbook.column_mapping` describes it).

    Raises:
        PaxlError: missing, not JSON, or not a valid mapping.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise PaxlError(f"The mapping file {path} cannot be read ({exc.strerror}).") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PaxlError(
            f"The mapping file {path.name} is not valid JSON (line {exc.lineno}: {exc.msg})."
        ) from None
    return mapping_from_json(data, path.name)


def save_mapping(mapping: ColumnMapping, path: Path) -> Path:
    """Write the mapping file (JSON, UTF-8, keys in the export's order)."""
    text = json.dumps(mapping.to_json(), indent=2, ensure_ascii=False) + "\n"
    return write_output(text.encode("utf-8"), path)


def _table(into: str | None, saved: ColumnMapping | None) -> str:
    if into is None and saved is None:
        raise PaxlError("Say which table the rows go into: --into Charges, Payments, ...")
    if into is not None and saved is not None and saved.table != into:
        raise PaxlError(
            f"The mapping file is for the {saved.table} table, not {into}; use the right "
            "mapping file or --into."
        )
    return into or saved.table  # type: ignore[union-attr]


def parse_settings(items: Sequence[str]) -> dict[str, str]:
    """``["Kind=Payment", "Method=Check"]`` → ``{"Kind": "Payment", "Method": "Check"}``."""
    settings: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise PaxlError(f"--set {item} needs the form COLUMN=VALUE, e.g. --set Kind=Payment.")
        settings[name.strip()] = value.strip()
    return settings


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "paxl import"


# --- outputs ------------------------------------------------------------------------------------


def rejects_csv(findings: Sequence[Finding]) -> bytes:
    """The rejects file: one line per problem, Excel-friendly (UTF-8 with BOM, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REJECT_COLUMNS)
    for f in findings:
        writer.writerow((f.sheet or "", f.row or "", f.column or "", f.code, f.message, f.fix))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _counts(plan: ImportPlan) -> dict[str, int]:
    return {
        "appended": plan.count(Outcome.APPENDED),
        "already_present": plan.count(Outcome.PRESENT),
        "rejected": plan.count(Outcome.REJECTED),
        "ignored": plan.count(Outcome.IGNORED),
        "blank": plan.blank_rows,
    }


def to_json(plan: ImportPlan, written: bool, files: Mapping[str, str]) -> dict[str, object]:
    """The outcome as JSON: counts, every row's outcome, the mapping, problems and files."""
    return {
        "table": plan.table,
        "export": plan.export,
        "sheet": plan.sheet,
        "header_row": plan.header_row,
        "written": written,
        "counts": _counts(plan),
        "rows": [{"row": r.row, "outcome": str(r.outcome), "id": r.id} for r in plan.rows],
        "mapping": plan.mapping.to_json() if plan.mapping is not None else None,
        "findings": [f.to_dict() for f in plan.findings],
        "files": dict(files),
    }


def write_report(plan: ImportPlan, written: bool, files: Mapping[str, str], out: TextIO) -> None:
    """A readable report: the mapping, counts, problems and what was written."""
    out.write(f"Import of {plan.export} into {plan.table}")
    out.write(f" (header on row {plan.header_row})\n" if plan.header_row else "\n")
    if plan.mapping is not None:
        pairs = [f"{h} -> {c}" for h, c in plan.mapping.columns if c is not None]
        pairs += [f"{c} = {v!r} for every row" for c, v in plan.mapping.defaults]
        out.write("  columns: " + ("; ".join(pairs) or "none") + "\n")
    counts = _counts(plan)
    if not plan.stopped:
        out.write(
            "  rows: {appended} to append, {already_present} already present, "
            "{rejected} rejected, {ignored} totals ignored, {blank} blank\n".format(**counts)
        )
    shown = [f for f in plan.findings if f.severity != Severity.INFO]
    if shown:
        out.write("\n")
        print_findings(shown, as_json=False, out=out)
    present = [f.row for f in plan.findings if f.code == "already_present" and f.row]
    if present:
        out.write(f"\nAlready in the workbook (skipped): rows {_row_list(present)}.\n")
    out.write("\n")
    if written:
        out.write(f"Wrote {files['workbook']} ({counts['appended']} new rows).\n")
    elif plan.stopped:
        out.write("Nothing was written: fix the problems with the export's columns above.\n")
    else:
        out.write(
            "Nothing was written: fix the rejected rows, or use --skip-invalid to append the "
            "valid ones.\n"
        )
    if "rejects" in files:
        out.write(f"Rejected rows and why: {files['rejects']}\n")
    if "mapping" in files:
        out.write(f"Mapping saved to {files['mapping']} (edit it and pass it with --mapping).\n")


def _row_list(rows: Sequence[int], limit: int = 20) -> str:
    text = ", ".join(str(r) for r in rows[:limit])
    return text + (f" and {len(rows) - limit} more" if len(rows) > limit else "")
