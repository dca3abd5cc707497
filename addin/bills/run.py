"""The statement run: load the book, pick the accounts to bill, build the bills, write them.

Gather → decide → write once (functional core, imperative shell):

1. the book is loaded with :func:`~addin.workbook.loader.load_open_book` (any error-severity
   problem stops the run before anything is written), and the bill layout with
   :func:`bill_layout_in` (where the rep moved the ``bill_*`` names on BillTemplate), from one
   opening of the file; the input file is only ever read;
2. :func:`~addin.core.statement_builder.prepare_billing` and
   :func:`~addin.core.statement_builder.select_accounts` decide, vectorised, who gets a bill;
3. one :class:`~addin.core.statement.Statement` is built per billed account (the only
   per-account Python), in account order;
4. the bill workbook(s) and, if asked, one PDF per bill and a combined PDF are written, each file
   under a temporary name and moved into place.

Nothing in the run prints patient data: progress and the summary carry counts and totals only.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from addin.bills.pdf import render_combined, render_pdf
from addin.bills.sheet import MAX_BILLS_PER_WORKBOOK, part_paths, write_bill_workbooks
from addin.collector import paused_collection
from addin.core.money import from_cents
from addin.core.statement import Statement
from addin.core.statement_builder import (
    BILL,
    build_statement,
    log_row,
    prepare_billing,
    select_accounts,
    statement_channel,
)
from addin.errors import PaxlError
from addin.workbook.bill_positions import BILL_LAYOUT, BILL_SHEET, BillLayout, checked_layout
from addin.workbook.book import Book
from addin.workbook.encryption import write_output
from addin.workbook.loader import load_open_book
from addin.workbook.xlsx_file import XlsxFile, open_xlsx

#: ``progress(stage, done, total)``: stage is "building bills", "writing sheets" or "writing PDFs"
Progress = Callable[[str, int, int], None]
COMBINED_PDF = "statements-{date:%Y%m%d}.pdf"


@dataclass(frozen=True)
class RunResult:
    """What a statement run did (counts and totals only: safe to print).

    Attributes:
        as_of: the statement date.
        statements: the bills built, in sheet order.
        log_rows: their Statements log rows (schema column order; money in dollars).
        skipped: reason → number of accounts skipped for it.
        workbooks: the bill workbooks written.
        pdfs: the PDF bills written (one per bill), and ``combined_pdf`` if asked for.
        seconds: wall time per stage.
        notes: things the rep should know (e.g. a missing BillTemplate name).
    """

    as_of: dt.date
    statements: tuple[Statement, ...]
    log_rows: tuple[Mapping[str, object], ...]
    skipped: Mapping[str, int]
    workbooks: tuple[Path, ...] = ()
    pdfs: tuple[Path, ...] = ()
    combined_pdf: Path | None = None
    seconds: Mapping[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def billed(self) -> int:
        return len(self.statements)

    @property
    def total_due(self) -> Decimal:
        """Sum of the bills' amounts due, dollars."""
        return sum((s.amount_due for s in self.statements), Decimal("0.00"))

    @property
    def by_level(self) -> dict[int, int]:
        """Dunning level → number of bills (levels 1–5 present in the run)."""
        return dict(sorted(Counter(s.dunning_level for s in self.statements).items()))

    @property
    def final_notices(self) -> int:
        return sum(1 for s in self.statements if s.final_notice)


@paused_collection()  # a bulk run: see addin.collector
def run_statements(
    book_path: Path,
    out: Path,
    *,
    as_of: dt.date,
    pdf_dir: Path | None = None,
    combined_pdf: bool = False,
    password: str | None = None,
    output_password: str | None = None,
    per_workbook: int = MAX_BILLS_PER_WORKBOOK,
    progress: Progress | None = None,
) -> RunResult:
    """Bill every account that is due, from a workbook file (which is never modified).

    Args:
        book_path: the paxl workbook to read.
        out: the bill workbook to write (``.xlsx``); more than ``per_workbook`` bills continue
            in ``OUT-2.xlsx``, ...
        as_of: the statement date.
        pdf_dir: write one PDF per bill here (``<StatementID>.pdf``), or ``None``.
        combined_pdf: also write all bills into ``statements-<YYYYMMDD>.pdf`` in ``pdf_dir``.
        password: the workbook's password, if it is encrypted.
        output_password: encrypt the bill workbooks and PDFs with this password (in memory,
            before they are written), or ``None`` for plain files.
        per_workbook: most bill sheets per workbook.
        progress: called as work advances (no patient data).

    Raises:
        PaxlError: the workbook has problems (nothing is written), its BillTemplate names are
            unusable, the output would overwrite the input, or the output is not an .xlsx path.
    """
    book_path, out = Path(book_path), Path(out)
    _check_paths(book_path, out, pdf_dir, combined_pdf)
    started = time.perf_counter()
    with open_xlsx(book_path, password=password) as xlsx:  # one open: tables and names
        book = load_open_book(xlsx, source=book_path)
        layout, notes = bill_layout_in(xlsx, book_path.name)
    read = time.perf_counter() - started
    result = bill_book(
        book,
        out,
        source=book_path,
        as_of=as_of,
        pdf_dir=pdf_dir,
        combined_pdf=combined_pdf,
        per_workbook=per_workbook,
        progress=progress,
        output_password=output_password,
        layout=layout,
    )
    return replace(result, seconds={"read": read, **result.seconds}, notes=notes)


@paused_collection()
def bill_book(
    book: Book,
    out: Path,
    *,
    as_of: dt.date,
    source: Path | None = None,
    pdf_dir: Path | None = None,
    combined_pdf: bool = False,
    per_workbook: int = MAX_BILLS_PER_WORKBOOK,
    progress: Progress | None = None,
    output_password: str | None = None,
    layout: BillLayout | None = None,
) -> RunResult:
    """The statement run on an already loaded book (see :func:`run_statements`); ``source`` is
    the workbook it came from, which no output may overwrite; ``layout`` places the bill fields
    (``None``: the standard layout)."""
    _check_paths(source, Path(out), pdf_dir, combined_pdf)
    clock = {"start": time.perf_counter()}
    data = prepare_billing(book, as_of=as_of)
    selection = select_accounts(data)
    accounts = [str(a) for a in selection.index[selection["decision"] == BILL]]
    skipped = dict(Counter(d for d in selection["decision"] if d != BILL).most_common())
    statements: list[Statement] = []
    for i, account in enumerate(accounts, start=1):
        statements.append(build_statement(data, account))
        if progress is not None:
            progress("building bills", i, len(accounts))
    _check_paths(source, Path(out), pdf_dir, combined_pdf, len(statements), per_workbook)
    contact = _preferred_contact(book)
    rows = tuple(log_row(s, statement_channel(contact.get(s.account))) for s in statements)
    _check_totals(statements, selection)
    clock["build"] = time.perf_counter()

    def sheet_progress(done: int) -> None:
        if progress is not None:
            progress("writing sheets", done, len(statements))

    workbooks = write_bill_workbooks(
        statements,
        rows,
        Path(out),
        per_workbook=per_workbook,
        progress=sheet_progress,
        password=output_password,
        layout=layout,
    )
    clock["sheets"] = time.perf_counter()
    pdfs, combined = _write_pdfs(
        statements, pdf_dir, combined_pdf, as_of, progress, output_password
    )
    clock["pdfs"] = time.perf_counter()
    return RunResult(
        as_of=as_of,
        statements=tuple(statements),
        log_rows=rows,
        skipped=skipped,
        workbooks=tuple(workbooks),
        pdfs=tuple(pdfs),
        combined_pdf=combined,
        seconds={
            "build": clock["build"] - clock["start"],
            "sheets": clock["sheets"] - clock["build"],
            "pdfs": clock["pdfs"] - clock["sheets"],
        },
    )


def _check_paths(
    book_path: Path | None,
    out: Path,
    pdf_dir: Path | None,
    combined_pdf: bool,
    bills: int = 1,
    per_workbook: int = MAX_BILLS_PER_WORKBOOK,
) -> None:
    if out.suffix.lower() != ".xlsx":
        raise PaxlError(
            f"the bill workbook must be an .xlsx file, not {out.name}; use -o NAME.xlsx"
        )
    if combined_pdf and pdf_dir is None:
        raise PaxlError("--combined-pdf needs --pdf DIR: the folder to write the PDFs to")
    if book_path is not None:
        source = book_path.resolve()
        for path in part_paths(out, bills, per_workbook):
            if path.resolve() == source:
                raise PaxlError(
                    f"the output {path.name} is the workbook being billed; "
                    "write the bills to a new file (paxl never changes its input)"
                )


def _preferred_contact(book: Book) -> dict[str, object]:
    patients = book.tables["Patients"].dropna(subset=["PatientID"])
    return dict(
        zip(
            patients["PatientID"].astype(str),
            patients["PreferredContact"].to_numpy(dtype=object),
            strict=True,
        )
    )


def _check_totals(statements: Sequence[Statement], selection) -> None:
    """Every bill's amount due is the selection's (ledger) figure — a guard against drift."""
    for s in statements:
        expected = from_cents(int(selection.at[s.account, "amount_due"]))
        if s.amount_due != expected:  # pragma: no cover - a bug, never the rep's data
            raise AssertionError(f"statement {s.statement_id}: amount due drifted from the ledger")


def _write_pdfs(
    statements: Sequence[Statement],
    pdf_dir: Path | None,
    combined: bool,
    as_of: dt.date,
    progress: Progress | None,
    password: str | None = None,
) -> tuple[list[Path], Path | None]:
    if pdf_dir is None:
        return [], None
    pdf_dir = Path(pdf_dir)
    pdf_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i, statement in enumerate(statements, start=1):
        path = pdf_dir / f"{statement.statement_id}.pdf"
        written.append(write_output(render_pdf(statement), path, password=password))
        if progress is not None:
            progress("writing PDFs", i, len(statements))
    combined_path = None
    if combined and statements:
        combined_path = write_output(
            render_combined(statements, f"Patient statements {as_of:%m/%d/%Y}"),
            pdf_dir / COMBINED_PDF.format(date=as_of),
            password=password,
        )
    return written, combined_path


def bill_layout_of(
    book_path: Path, *, password: str | None = None
) -> tuple[BillLayout, tuple[str, ...]]:
    """Where the input's ``bill_*`` defined names put each bill field, and notes for the rep
    (:func:`~addin.workbook.bill_positions.checked_layout`: a workbook without BillTemplate or
    ``bill_*`` names bills in the standard layout; a missing name keeps its standard cell).

    Raises:
        PaxlError: a name points off BillTemplate, at a range or a deleted cell, or two fields
            (or a field and the itemised lines) overlap — naming the defined name and the fix.
    """
    with open_xlsx(book_path, password=password) as xlsx:
        return bill_layout_in(xlsx, book_path.name)


def bill_layout_in(xlsx: XlsxFile, name: str) -> tuple[BillLayout, tuple[str, ...]]:
    """:func:`bill_layout_of` on a workbook already open; ``name`` is its file name."""
    sheet = xlsx.find_sheet(BILL_SHEET)
    names = {field: xlsx.defined_name_reference(field) for field in BILL_LAYOUT}
    return checked_layout(names, sheet, name)
