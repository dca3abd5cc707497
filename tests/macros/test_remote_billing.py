"""The billing and follow-up buttons on a real ``xw.Book`` (xlwings' remote engine, as xlwings
Server/Lite run them), on a 20-patient sample workbook written by the template builder.

Marked ``xlwings_pro``: the remote engine is xlwings PRO code (CI runs these with
``XLWINGS_LICENSE_KEY=noncommercial``; deselect with ``-m 'not xlwings_pro'``).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from addin.core.statement_builder import BILL, prepare_billing, select_accounts
from addin.workbook.remote_book import book_json_from_xlsx
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook
from macros import BODIES
from macros.imports import import_data_on
from macros.statements import READS
from tests.macros.remote import click, port, row_of, select, with_staging

pytestmark = pytest.mark.xlwings_pro

SAMPLE = generate_sample(20, 11)
NOW = dt.datetime.combine(SAMPLE.as_of + dt.timedelta(days=1), dt.time(9, 30))
TODAY = NOW.date()
DATA_TABLES = ("Patients", "Charges", "Payments", "Adjustments", "PaymentPlans", "Coverage")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("sample") / "sample.xlsx"
    write_workbook(path, SAMPLE.records)
    return with_staging(book_json_from_xlsx(path), [])


@pytest.fixture(scope="module")
def decisions(sample):
    snapshot = port(sample).snapshot(READS)
    return select_accounts(prepare_billing(snapshot.book, as_of=TODAY))["decision"]


def _rows(payload: dict, table: str) -> list[dict]:
    return port(payload).read_table(table).frame.to_dict("records")


def _sheet(payload: dict, name: str) -> list[list]:
    return next(s for s in payload["sheets"] if s["name"] == name)["values"]


def test_the_statement_run_writes_bill_sheets_and_logs_them_and_a_second_run_writes_nothing(
    sample, decisions
):
    billed = sorted(str(a) for a in decisions.index[decisions == BILL])
    assert billed, "the sample should have accounts due a bill"
    logged_before = len(_rows(sample, "Statements"))

    run = click(BODIES["generate_statements"], sample, now=NOW)

    assert run.result.wrote, run.result.message
    writes = run.writes()
    for account in billed:
        assert ("addSheet", f"Bill {account}") in writes
    assert ("addSheet", "Statement run") in writes
    assert ("setValues", "Statements") in writes
    assert not {sheet for _, sheet in writes} & set(DATA_TABLES)
    log = _rows(run.after, "Statements")
    assert len(log) == logged_before + len(billed)
    assert sorted(r["PatientID"] for r in log[logged_before:]) == billed
    assert {r["StatementDate"].date() for r in log[logged_before:]} == {TODAY}

    again = click(BODIES["generate_statements"], run.after, now=NOW.replace(hour=16))

    assert again.writes() == []
    assert again.alerts() == [again.result.message]
    within = int((decisions == "billed within cycle").sum()) + len(billed)
    assert f"billed within cycle {within}" in again.result.message


def test_a_bill_sheet_keeps_the_account_as_text_and_money_as_money(sample, decisions):
    account = str(decisions.index[decisions == BILL][0])
    payload = select(sample, "Patients", row_of(sample, "Patients", account), 2)

    run = click(BODIES["generate_bill"], payload, now=NOW)

    assert run.result.wrote, run.result.message
    assert ("addSheet", f"Bill {account}") in run.writes()
    values = _sheet(run.after, f"Bill {account}")
    assert values[4][6] == account  # bill_account, G5
    due = _rows(run.after, "Statements")[-1]["AmountDue"]
    assert values[8][6] == due / 100  # bill_amount_due, G9, in dollars
    formats = [a["args"][0] for a in run.actions if a["func"] == "setNumberFormat" and a["args"][0]]
    assert "@" in formats and any(f.startswith("_($*") for f in formats)


def test_no_bill_for_an_account_owing_nothing_and_no_writes(sample, decisions):
    account = str(decisions.index[decisions == "nothing due"][0])
    payload = select(sample, "Patients", row_of(sample, "Patients", account), 1)

    run = click(BODIES["generate_bill"], payload, now=NOW)

    assert run.writes() == []
    assert run.alerts() == [run.result.message]
    assert "owes nothing now" in run.result.message


def test_overdue_notices_write_the_worklist_sheet_and_log_nothing_without_files(sample):
    contacts_before = _rows(sample, "Contacts")

    run = click(BODIES["overdue_notices"], sample, now=NOW)

    assert run.result.wrote, run.result.message
    writes = run.writes()
    assert ("addSheet", "Overdue notices") in writes
    assert ("setValues", "Audit") in writes
    assert not any(sheet == "Contacts" for _, sheet in writes)
    assert _rows(run.after, "Contacts") == contacts_before
    assert "only in Excel on the desktop" in run.alerts()[0]
    assert _rows(run.after, "Audit")[-1]["Action"] == "overdue_notices"


def test_send_to_collections_only_reads_the_data_tables(sample):
    run = click(BODIES["send_to_collections"], sample, now=NOW)

    assert run.result.wrote, run.result.message
    writes = run.writes()
    assert ("addSheet", "Collections") in writes
    assert {sheet for _, sheet in writes} <= {"Collections", "Audit"}
    values = _sheet(run.after, "Collections")
    assert values[0][0] == f"Collections review as of {TODAY.isoformat()}"
    assert any(row[0] == "Status changes" for row in values)


def test_todays_worklist_writes_the_today_sheet(sample):
    run = click(BODIES["todays_worklist"], sample, now=NOW)

    assert run.result.wrote, run.result.message
    assert {sheet for _, sheet in run.writes()} <= {"Today", "Audit"}
    values = _sheet(run.after, "Today")
    assert values[4][:4] == ["Rank", "Kind", "Reason", "Amount"]
    ranks = [row[0] for row in values[5:] if row[0] != ""]
    assert ranks == list(range(1, len(ranks) + 1))


def test_import_data_appends_through_the_book_and_a_bad_row_emits_no_writes(sample, tmp_path):
    patient = _rows(sample, "Patients")[0]["PatientID"]
    header = "MRN,Pmt Date,Payer,Method,Check #,Amount,Kind\n"
    good = tmp_path / "good.csv"
    good.write_text(header + f"{patient},{TODAY:%m/%d/%Y},Patient,Check,99001,$12.34,Payment\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(header + f"P999999,{TODAY:%m/%d/%Y},Patient,Check,99002,$5.00,Payment\n")
    before = len(_rows(sample, "Payments"))

    refused = click(partial(import_data_on, path=bad, table="Payments"), sample, now=NOW)

    assert refused.writes() == []
    (alert,) = refused.alerts()
    assert "sheet bad.csv, row 2, column MRN" in alert

    run = click(partial(import_data_on, path=good, table="Payments"), sample, now=NOW)

    assert ("setValues", "Payments") in run.writes()
    payments = _rows(run.after, "Payments")
    assert len(payments) == before + 1
    assert (payments[-1]["PatientID"], payments[-1]["Amount"]) == (patient, 1234)


def test_the_desktop_buttons_run_on_the_calling_book(sample, monkeypatch):
    import xlwings as xw

    import macros
    from addin.workbook.remote_book import remote_book

    book = remote_book(select(sample, "Payments", 2, 1))
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))

    macros.import_data()  # no import_file cell, and no Open dialog on this host

    (action,) = book.json()["actions"]
    assert action["func"] == "alert"
    assert "No export file was chosen" in action["args"][0]
