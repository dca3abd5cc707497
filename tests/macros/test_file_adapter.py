"""Every button, headless, on a file: a 20-patient sample workbook file opened with the file
adapter, the macro body run on it, the result saved as a NEW workbook.

Each test checks that the macro did its work (or refused with a clear message), that the new
workbook loads with no error, that it holds the input's rows plus exactly the rows the macro
appended (and the sheets it wrote), and that the input file's bytes are unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import partial
from pathlib import Path

import pytest

import macros
from addin.core.findings import Severity
from addin.core.ledger import ledger_from_book
from addin.workbook.file_adapter import FileWorkbook, SavedWorkbook
from addin.workbook.loader import read_book
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook
from macros import BODIES
from macros.era_import import import_era_on
from macros.imports import import_data_on
from macros.payment_plans import OPTIONS_HEADER_ROW, plan_context
from macros.payments import NEW_PAYMENTS
from macros.runner import Body, Result
from tests.era.post_fixture import practice_workbook
from tests.macros.practice import USER

SAMPLE = generate_sample(20, 11)
NOW = dt.datetime.combine(SAMPLE.as_of + dt.timedelta(days=1), dt.time(9, 30))
TODAY = NOW.date()
ERA_FILE = Path(__file__).resolve().parents[1] / "era" / "files" / "normal_payment.835"


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.xlsx"
    write_workbook(path, SAMPLE.records)
    return path


@pytest.fixture(scope="module")
def input_sha(sample_file) -> str:
    return _sha(sample_file)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(workbook: FileWorkbook, body: Body) -> Result:
    result = body(workbook, now=NOW, user=USER)
    assert result.wrote, result.message
    return result


def _save(workbook: FileWorkbook, tmp_path: Path, sample_file: Path, input_sha: str):
    """Save as a new file; check it loads without errors and holds the input's rows plus the
    appended ones, in order, and the written sheets; check the input is unchanged."""
    out = tmp_path / "out.xlsx"
    saved = workbook.save_as(out)
    book, findings = read_book(out)
    assert [f for f in findings if f.severity == Severity.ERROR] == []
    appended = workbook.appended()
    assert saved.appended == {t: len(rows) for t, rows in appended.items()}
    for table, frame in book.tables.items():
        before = len(workbook.book.tables[table])
        assert len(frame) == before + len(appended.get(table, ())), table
        key = frame.columns[0]
        written = [r[key] for r in appended.get(table, ())]
        assert frame[key].iloc[before:].tolist() == written, table
    reopened = FileWorkbook.open(out)
    for sheet in saved.sheets:
        assert reopened.values(sheet) == workbook.values(sheet), sheet
    assert _sha(sample_file) == input_sha
    return saved, book


def _audited(saved: SavedWorkbook, book, action: str) -> None:
    assert saved.appended["Audit"] >= 1
    assert book["Audit"]["Action"].iloc[-1] == action


def _row_of(workbook: FileWorkbook, sheet: str, first_cell: object) -> int:
    for number, row in enumerate(workbook.values(sheet), start=1):
        if row and row[0] == first_cell:
            return number
    raise KeyError(first_cell)


#: buttons that write one sheet (and an Audit row) and need nothing chosen
SHEET_BUTTONS = {
    "refresh_accounts": "Accounts",
    "verify_coverage": "Coverage check",
    "audit_accounts": "Audit findings",
    "overdue_notices": "Overdue notices",
    "send_to_collections": "Collections",
    "todays_worklist": "Today",
}
#: buttons with a test of their own below
OWN_TESTS = {
    "post_payments",
    "issue_refund",
    "plan_options",
    "create_payment_plan",
    "generate_bill",
    "generate_statements",
    "import_era",
    "import_data",
}


def test_every_button_is_run_on_a_file():
    assert set(BODIES) == OWN_TESTS | set(SHEET_BUTTONS)


def test_post_payments_on_file(sample_file, input_sha, tmp_path):
    workbook = FileWorkbook.open(sample_file)
    empty = BODIES["post_payments"](workbook, now=NOW, user=USER)
    assert not empty.wrote
    assert "nothing to post" in empty.message
    patient = workbook.read_table("Patients").frame["PatientID"].iloc[0]
    workbook.type_row(
        NEW_PAYMENTS.name,
        {
            "Date": TODAY,
            "PatientID": patient,
            "Payer": "Patient",
            "Method": "Check",
            "Reference": "FILE-9001",
            "Amount": 25,
        },
    )

    _run(workbook, BODIES["post_payments"])

    assert workbook.read_table(NEW_PAYMENTS).frame.empty
    saved, book = _save(workbook, tmp_path, sample_file, input_sha)
    assert saved.appended["Payments"] == 1
    posted = book["Payments"].iloc[-1]
    assert (posted["PatientID"], posted["Reference"], posted["Amount"]) == (
        patient,
        "FILE-9001",
        2500,
    )
    assert posted["PostedBy"] == USER
    _audited(saved, book, "post_payments")


def test_issue_refund_on_file(sample_file, input_sha, tmp_path):
    probe = FileWorkbook.open(sample_file)
    ledger = ledger_from_book(probe.snapshot(macros.refunds.READS).book, as_of=TODAY)
    credit = ledger.accounts[ledger.accounts["refund_due"] > 0]
    assert len(credit), "the sample should have a patient with a refund due"
    patient = credit.index[0]
    workbook = FileWorkbook.open(
        sample_file, selection=f"Patients!{_row_of(probe, 'Patients', patient)}"
    )

    _run(workbook, BODIES["issue_refund"])

    saved, book = _save(workbook, tmp_path, sample_file, input_sha)
    refund = book["Payments"].iloc[-1]
    assert (refund["PatientID"], refund["Kind"]) == (patient, "Refund")
    assert refund["Amount"] == int(credit.loc[patient, "refund_due"])
    assert f"Refund {patient}" in saved.sheets
    _audited(saved, book, "issue_refund")


def _plannable(workbook: FileWorkbook) -> str:
    snapshot = workbook.snapshot(macros.payment_plans.READS)
    for patient in snapshot["Patients"]["PatientID"]:
        context = plan_context(snapshot, patient, TODAY)
        running = [t for t in context.tracked if str(t.status) in ("on track", "behind")]
        if context.options and len(context.options.options) > 1 and not running:
            return patient
    raise AssertionError("no patient in the sample can take a plan")


def test_plan_options_and_create_payment_plan_on_file(sample_file, input_sha, tmp_path):
    probe = FileWorkbook.open(sample_file)
    patient = _plannable(probe)
    workbook = FileWorkbook.open(
        sample_file, selection=("Patients", _row_of(probe, "Patients", patient))
    )

    _run(workbook, BODIES["plan_options"])
    sheet = f"Plan options {patient}"
    values = workbook.values(sheet)
    last_option = OPTIONS_HEADER_ROW
    while last_option < len(values) and values[last_option][0] == patient:
        last_option += 1
    assert last_option > OPTIONS_HEADER_ROW + 1, "pay in full and at least one plan"
    workbook.select(sheet, last_option, 3)  # the rep clicks the last option (a plan)
    _run(workbook, BODIES["create_payment_plan"])

    saved, book = _save(workbook, tmp_path, sample_file, input_sha)
    assert saved.appended["PaymentPlans"] == 1
    plan = book["PaymentPlans"].iloc[-1]
    assert (plan["PatientID"], plan["Status"]) == (patient, "Active")
    assert sheet in saved.sheets
    assert f"Plan {plan['PlanNo']}" in saved.sheets
    _audited(saved, book, "create_payment_plan")


@pytest.mark.parametrize(("button", "sheet"), SHEET_BUTTONS.items())
def test_sheet_buttons_on_file(sample_file, input_sha, tmp_path, button, sheet):
    workbook = FileWorkbook.open(sample_file)

    _run(workbook, BODIES[button])

    saved, book = _save(workbook, tmp_path, sample_file, input_sha)
    assert sheet in saved.sheets
    _audited(saved, book, button)


def test_generate_bill_on_file(sample_file, input_sha, tmp_path):
    probe = FileWorkbook.open(sample_file)
    billed = probe.read_table("Statements").frame["PatientID"].iloc[-1]
    workbook = FileWorkbook.open(
        sample_file, selection=f"Patients!{_row_of(probe, 'Patients', billed)}"
    )

    _run(workbook, BODIES["generate_bill"])

    saved, book = _save(workbook, tmp_path, sample_file, input_sha)
    assert saved.appended["Statements"] == 1
    assert book["Statements"]["StatementDate"].iloc[-1].date() == TODAY
    _audited(saved, book, "generate_bill")


def test_generate_statements_on_file(sample_file, input_sha, tmp_path):
    workbook = FileWorkbook.open(sample_file)

    _run(workbook, BODIES["generate_statements"])

    saved, book = _save(workbook, tmp_path, sample_file, input_sha)
    billed = saved.appended["Statements"]
    assert billed >= 1
    assert sum(name.startswith("Bill ") for name in saved.sheets) == billed
    assert "Statement run" in saved.sheets
    assert set(book["Statements"]["StatementDate"].iloc[-billed:].dt.date) == {TODAY}
    _audited(saved, book, "generate_statements")


def test_import_era_on_file(sample_file, input_sha, tmp_path):
    workbook = FileWorkbook.open(sample_file)
    body = partial(import_era_on, path=ERA_FILE)

    result = _run(workbook, body)

    saved, book = _save(workbook, tmp_path, sample_file, input_sha)
    assert "ERA posting" in saved.sheets
    # the sample's claims are not the remittance's: nothing matches, the claims are listed
    assert "0 payment row(s)" in result.message and "unmatched claim(s)" in result.message
    assert "Unmatched claims" in saved.sheets
    _audited(saved, book, "import_era")


def test_import_era_posts_matching_claims_on_file(tmp_path):
    practice = practice_workbook(tmp_path / "era.xlsx")
    before = _sha(practice)
    workbook = FileWorkbook.open(practice)

    workbook_result = import_era_on(
        workbook, now=dt.datetime(2026, 4, 20, 9, 0), user=USER, path=ERA_FILE
    )

    assert workbook_result.wrote, workbook_result.message
    (tmp_path / "out").mkdir()
    saved, book = _save(workbook, tmp_path / "out", practice, before)
    assert saved.appended["Payments"] == 5
    assert saved.appended["Adjustments"] >= 1
    assert (book["Payments"]["Reference"] == "EFT20260312001").sum() == 5


def test_import_data_on_file(sample_file, input_sha, tmp_path):
    workbook = FileWorkbook.open(sample_file)
    patient = workbook.read_table("Patients").frame["PatientID"].iloc[0]
    export = tmp_path / "payments.csv"
    export.write_text(
        "MRN,Pmt Date,Payer,Method,Check #,Amount,Kind\n"
        f"{patient},{TODAY:%m/%d/%Y},Patient,Check,99001,$12.34,Payment\n"
    )

    _run(workbook, partial(import_data_on, path=export, table="Payments"))

    saved, book = _save(workbook, tmp_path, sample_file, input_sha)
    assert saved.appended["Payments"] == 1
    assert (book["Payments"]["PatientID"].iloc[-1], book["Payments"]["Amount"].iloc[-1]) == (
        patient,
        1234,
    )
    _audited(saved, book, "import_data")
