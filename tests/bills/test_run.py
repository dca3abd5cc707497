"""The statement run on workbook files: who is billed, what is written, and the input untouched."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from pypdf import PdfReader

from addin.bills.run import bill_layout_of, run_statements
from addin.core.ledger import guarantor_summary, ledger_from_book
from addin.core.money import ZERO
from addin.errors import PaxlError
from addin.workbook.loader import load_book, read_table
from addin.workbook.sample import generate_sample
from addin.workbook.schema import TABLES_BY_NAME
from addin.workbook.template import write_workbook
from addin.workbook.xlsx_file import open_xlsx
from tests.core.test_statement_builder import FEES, PLANS, charge, covered, logged, patient, pay

D = Decimal
JUNE = dt.date(2026, 6, 1)
AS_OF = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory) -> tuple[Path, dt.date]:
    """A 40-patient sample workbook and a statement date 45 days after its "today"."""
    sample = generate_sample(40, 7)
    path = tmp_path_factory.mktemp("sample") / "practice.xlsx"
    write_workbook(path, sample.records, policy={"statement_minimum": D("0.01")})
    return path, sample.as_of + dt.timedelta(days=45)


@pytest.fixture(scope="module")
def sample_run(sample_book, tmp_path_factory):
    path, as_of = sample_book
    out = tmp_path_factory.mktemp("run")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = run_statements(
        path, out / "bills.xlsx", as_of=as_of, pdf_dir=out / "pdf", combined_pdf=True
    )
    after = (path.read_bytes(), path.stat().st_mtime_ns)
    return result, out, before, after


def test_the_run_bills_every_account_due_at_the_ledgers_amount(sample_book, sample_run):
    path, as_of = sample_book
    result = sample_run[0]
    book = load_book(path)
    ledger = ledger_from_book(book, as_of=as_of)
    due = {}
    for g in ledger.guarantors.index:
        summary = guarantor_summary(ledger, g)
        due[str(g)] = max(summary.patient_due - summary.credit, ZERO)
    billed = {s.account: s.amount_due for s in result.statements}
    assert len(billed) >= 5
    assert billed == {g: due[g] for g in billed}
    patients = book.tables["Patients"].set_index("PatientID")["AccountStatus"]
    not_billed = {g for g, amount in due.items() if amount > 0} - set(billed)
    assert {patients[g] for g in not_billed} <= {"Collections", "Closed"}
    assert result.total_due == sum(billed.values())
    assert sum(result.by_level.values()) == result.billed
    assert result.skipped["nothing due"] == sum(1 for amount in due.values() if amount == 0)


def test_the_input_workbook_is_never_modified(sample_run):
    _, _, before, after = sample_run
    assert before == after


def test_the_log_rows_read_back_as_a_statements_table(sample_run):
    result, out, _, _ = sample_run
    with open_xlsx(out / "bills.xlsx") as xlsx:
        read = read_table(xlsx, TABLES_BY_NAME["Statements"])
    assert {f.severity for f in read.findings} <= {"warning"}  # the extra link columns
    frame = read.frame
    assert list(frame["StatementID"]) == [r["StatementID"] for r in result.log_rows]
    assert [D(int(c)) / 100 for c in frame["AmountDue"]] == [
        s.amount_due for s in result.statements
    ]
    assert list(frame["FinalNotice"]) == [s.final_notice for s in result.statements]


def test_one_pdf_per_bill_and_a_combined_pdf_each_showing_the_amount_due(sample_run):
    result, out, _, _ = sample_run
    assert [p.name for p in result.pdfs] == [f"{s.statement_id}.pdf" for s in result.statements]
    for statement, path in zip(result.statements, result.pdfs, strict=True):
        text = " ".join(p.extract_text() for p in PdfReader(path).pages)
        assert statement.account in text
        assert re.search(rf"Amount due\s*\${statement.amount_due:,.2f}", text), path.name
    combined = PdfReader(result.combined_pdf)
    assert len(combined.pages) >= result.billed
    assert sorted(p.name for p in (out / "pdf").iterdir()) == sorted(
        [p.name for p in result.pdfs] + [result.combined_pdf.name]
    )


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail("LibreOffice (soffice) is not installed; `make test` installs it.")
    return found


@pytest.mark.libreoffice
def test_the_bill_workbook_opens_in_libreoffice_with_the_right_amounts(sample_run, tmp_path):
    result, out, _, _ = sample_run
    done = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out / "bills.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "bills.pdf").pages]
    for s in result.statements:
        bill = [p for p in pages if f"Account number {s.account}" in p]
        assert bill, s.account
        amount = f"{s.amount_due:,.2f}"
        assert re.search(rf"Amount due \$ {re.escape(amount)}", bill[0]), s.account
        assert "Amount enclosed" in " ".join(bill)


# --- hand-made books ------------------------------------------------------------------------------


def write_book(path: Path, patients, charges, payments=(), statements=()) -> Path:
    write_workbook(
        path,
        {
            "Patients": list(patients),
            "Plans": PLANS,
            "Coverage": [covered(p["PatientID"]) for p in patients],
            "Fees": FEES,
            "Charges": list(charges),
            "Payments": list(payments),
            "Statements": list(statements),
        },
    )
    return path


def test_skipped_accounts_are_counted_by_reason(tmp_path):
    book = write_book(
        tmp_path / "book.xlsx",
        [
            patient("P1"),
            patient("P2", AccountStatus="Collections"),
            patient("P3", AccountStatus="Closed"),
            patient("P4"),
            patient("P5"),
        ],
        [
            charge("C1", "P1", JUNE, "80.00"),
            charge("C2", "P2", JUNE, "80.00"),
            charge("C3", "P3", JUNE, "80.00"),
            charge("C4", "P4", JUNE, "2.00"),
            charge("C5", "P5", JUNE, "80.00"),
        ],
        statements=[logged("P5", dt.date(2026, 6, 15), "80.00")],
    )
    result = run_statements(book, tmp_path / "bills.xlsx", as_of=AS_OF)
    assert [s.account for s in result.statements] == ["P1"]
    assert result.skipped == {
        "in collections": 1,
        "closed": 1,
        "below minimum": 1,
        "billed within cycle": 1,
    }
    assert result.log_rows[0]["StatementID"] == "ST-20260630-P1"


def test_a_second_run_with_the_first_runs_log_appended_skips_what_it_billed(tmp_path):
    patients = [patient("P1")]
    charges = [charge("C1", "P1", JUNE, "80.00")]
    first = run_statements(
        write_book(tmp_path / "a.xlsx", patients, charges), tmp_path / "one.xlsx", as_of=AS_OF
    )
    book = write_book(tmp_path / "b.xlsx", patients, charges, statements=list(first.log_rows))
    later = run_statements(book, tmp_path / "two.xlsx", as_of=AS_OF + dt.timedelta(days=10))
    assert later.billed == 0 and later.skipped == {"billed within cycle": 1}


def test_a_workbook_with_problems_is_refused_and_nothing_is_written(tmp_path):
    book = write_book(
        tmp_path / "book.xlsx",
        [patient("P1")],
        [charge("C1", "P1", JUNE, "80.00")],
        [pay("P9", JUNE, "10.00")],  # an unknown patient
    )
    with pytest.raises(PaxlError, match="problem"):
        run_statements(book, tmp_path / "bills.xlsx", as_of=AS_OF, pdf_dir=tmp_path / "pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_the_output_may_not_be_the_input(tmp_path):
    book = write_book(tmp_path / "book.xlsx", [patient("P1")], [charge("C1", "P1", JUNE, "8")])
    before = book.read_bytes()
    with pytest.raises(PaxlError, match="never changes its input"):
        run_statements(book, book, as_of=AS_OF)
    assert book.read_bytes() == before


def test_an_unmoved_bill_template_gives_the_standard_layout_and_no_note(sample_book):
    path, _ = sample_book
    layout, notes = bill_layout_of(path)
    assert layout.is_standard and notes == ()


def test_payments_since_and_previous_balance_reach_the_pdf(tmp_path):
    book = write_book(
        tmp_path / "book.xlsx",
        [patient("P1")],
        [charge("C1", "P1", dt.date(2026, 4, 1), "80.00")],
        [pay("P1", dt.date(2026, 5, 10), "30.00", "C1")],
        [logged("P1", dt.date(2026, 5, 1), "80.00")],
    )
    result = run_statements(book, tmp_path / "bills.xlsx", as_of=AS_OF, pdf_dir=tmp_path / "pdf")
    [s] = result.statements
    assert (s.previous_balance, s.payments_since, s.amount_due) == (
        D("80.00"),
        D("30.00"),
        D("50.00"),
    )
    text = PdfReader(io.BytesIO(result.pdfs[0].read_bytes())).pages[0].extract_text()
    assert "Previous balance" in text and "$80.00" in text and "$30.00" in text


def test_an_empty_workbook_gives_an_empty_log_and_no_pdfs(tmp_path):
    write_workbook(tmp_path / "book.xlsx")
    result = run_statements(
        tmp_path / "book.xlsx", tmp_path / "bills.xlsx", as_of=AS_OF, pdf_dir=tmp_path / "pdf"
    )
    assert (result.billed, result.skipped, result.pdfs, result.combined_pdf) == (0, {}, (), None)
    assert result.workbooks == (tmp_path / "bills.xlsx",)


def moved_names(source: Path, target: Path, **refs: str) -> Path:
    """A copy of ``source`` whose ``bill_*`` defined names point at ``refs`` (names only)."""
    workbook = openpyxl.load_workbook(source)
    for name, ref in refs.items():
        workbook.defined_names[name].attr_text = ref
    workbook.save(target)
    return target


def one_bill_book(path: Path) -> Path:
    return write_book(path, [patient("P1")], [charge("C1", "P1", JUNE, "80.00")])


def test_bills_put_moved_bill_template_fields_at_their_new_cells(tmp_path):
    standard = one_bill_book(tmp_path / "book.xlsx")
    moved = moved_names(
        standard,
        tmp_path / "moved.xlsx",
        bill_amount_due="BillTemplate!$B$30",
        bill_account="BillTemplate!$C$4",
    )
    result = run_statements(moved, tmp_path / "bills.xlsx", as_of=AS_OF)
    assert result.notes == ()
    bill = openpyxl.load_workbook(result.workbooks[0])["Bill P1"]
    assert bill["B30"].value == 80.0 and bill["A30"].value == "Amount due"
    assert bill["C4"].value == "P1" and bill["A4"].value == "Account number"
    assert bill["G9"].value is None and bill["G5"].value is None  # the standard cells are empty
    assert bill["G44"].value == 80.0  # the remit slip did not move


def test_a_standard_bill_template_gives_the_same_bill_workbook_as_before(tmp_path):
    book = one_bill_book(tmp_path / "book.xlsx")
    result = run_statements(book, tmp_path / "bills.xlsx", as_of=AS_OF)
    bill = openpyxl.load_workbook(result.workbooks[0])["Bill P1"]
    assert bill["G9"].value == 80.0 and bill["E9"].value == "Amount due"
    assert bill["G5"].value == "P1"


def test_unusable_bill_template_names_stop_the_run_naming_the_name_and_the_fix(tmp_path):
    moved = moved_names(
        one_bill_book(tmp_path / "book.xlsx"),
        tmp_path / "moved.xlsx",
        bill_amount_due="BillTemplate!$A$20",
        bill_account="Policy!$C$4",
    )
    with pytest.raises(PaxlError) as error:
        run_statements(moved, tmp_path / "bills.xlsx", as_of=AS_OF)
    message = str(error.value)
    assert "bill_amount_due (A20) overlaps bill_lines" in message
    assert "bill_account points at Policy, not BillTemplate" in message
    assert not (tmp_path / "bills.xlsx").exists()


def test_a_missing_bill_template_name_keeps_its_standard_cell_with_a_note(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("BillTemplate").write_string(0, 0, "x")
    workbook.define_name("bill_amount_due", "=BillTemplate!$B$30")
    workbook.close()
    layout, notes = bill_layout_of(path)
    assert layout.cell("bill_amount_due") == (29, 1)
    assert layout.cell("bill_account") == (4, 6)
    assert any("bill_account is missing" in note for note in notes)


def test_the_run_opens_the_workbook_once_for_its_tables_and_bill_names(
    sample_book, tmp_path, monkeypatch
):
    import addin.bills.run as run

    path, as_of = sample_book
    opened = []

    def counting_open(*args, **kwargs):
        opened.append(args[0])
        return open_xlsx(*args, **kwargs)

    monkeypatch.setattr(run, "open_xlsx", counting_open)
    result = run.run_statements(path, tmp_path / "bills.xlsx", as_of=as_of)
    assert opened == [path] and result.billed > 0
