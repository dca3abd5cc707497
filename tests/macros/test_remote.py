"""Every macro on a real ``xw.Book`` (xlwings' remote engine, as xlwings Server/Lite run them),
on a 20-patient sample workbook written by the template builder.

Marked ``xlwings_pro``: the remote engine is xlwings PRO code (CI runs these with
``XLWINGS_LICENSE_KEY=noncommercial``; deselect with ``-m 'not xlwings_pro'``).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import pytest

import macros
from addin.core.ledger import ledger_from_book
from addin.workbook.remote_book import book_json_from_xlsx
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook
from macros import BODIES
from macros.era_import import import_era_on
from macros.payment_plans import OPTIONS_HEADER_ROW, plan_context
from macros.refunds import READS
from tests.era.post_fixture import practice_workbook
from tests.macros.remote import click, port, row_of, select, with_staging

pytestmark = pytest.mark.xlwings_pro

SAMPLE = generate_sample(20, 11)
NOW = dt.datetime.combine(SAMPLE.as_of + dt.timedelta(days=1), dt.time(9, 30))
TODAY = NOW.date()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("sample") / "sample.xlsx"
    write_workbook(path, SAMPLE.records)
    return with_staging(book_json_from_xlsx(path), [])


@pytest.fixture(scope="module")
def ledger(sample):
    snapshot = port(sample).snapshot(READS)
    return ledger_from_book(snapshot.book, as_of=TODAY)


def _staged(patient_id: str, reference: str, amount: float = 25.0, **more) -> dict:
    return {
        "Date": TODAY,
        "PatientID": patient_id,
        "Payer": "Patient",
        "Method": "Check",
        "Reference": reference,
        "Amount": amount,
        **more,
    }


def _table_rows(payload: dict, table: str) -> list[dict]:
    frame = port(payload).read_table(table).frame
    return frame.to_dict("records")


def test_post_payments_appends_clears_staging_and_logs(sample):
    payload = with_staging(sample, [_staged("P000003", "9001"), _staged("P000004", "9002", 10.5)])
    before = len(_table_rows(payload, "Payments"))

    run = click(BODIES["post_payments"], payload, now=NOW)

    assert run.result.wrote
    writes = run.writes()
    assert ("setValues", "Payments") in writes
    assert ("rangeClearContents", "NewPayments") in writes
    assert ("setValues", "Audit") in writes
    assert run.alerts() == [run.result.message]
    payments = _table_rows(run.after, "Payments")
    assert len(payments) == before + 2
    new = payments[-2:]
    assert [p["PatientID"] for p in new] == ["P000003", "P000004"]
    assert [p["Amount"] for p in new] == [2500, 1050]
    assert {p["PostedBy"] for p in new} == {"rep1"}
    assert new[0]["PaymentID"] != new[1]["PaymentID"]
    assert new[0]["PaymentID"].startswith("PAY")
    assert port(run.after).read_table(macros.payments.NEW_PAYMENTS).frame.empty
    assert _table_rows(run.after, "Audit")[-1]["Action"] == "post_payments"


def test_a_failing_validation_emits_no_data_table_writes_only_the_alert(sample):
    payload = with_staging(sample, [_staged("P000003", "9001"), _staged("P999999", "9002")])

    run = click(BODIES["post_payments"], payload, now=NOW)

    assert not run.result.wrote
    assert run.writes() == []
    (alert,) = run.alerts()
    assert "sheet NewPayments, row 3, column PatientID" in alert


def test_a_duplicate_reference_is_refused_without_writing(sample):
    payments = _table_rows(sample, "Payments")
    paid = next(p for p in payments if p["Payer"] == "Patient" and p["Reference"])
    copy = _staged(
        paid["PatientID"],
        paid["Reference"],
        paid["Amount"] / 100,
        ChargeID=paid["ChargeID"],
        Method=paid["Method"],
    )
    payload = with_staging(sample, [copy])

    run = click(BODIES["post_payments"], payload, now=NOW)

    assert run.writes() == []
    (alert,) = run.alerts()
    assert "sheet NewPayments, row 2, column Reference" in alert
    assert paid["PaymentID"] in alert


def test_issue_refund_posts_the_refund_and_writes_the_voucher(sample, ledger):
    credit = ledger.accounts[ledger.accounts["refund_due"] > 0]
    assert len(credit), "the sample should have a patient with a refund due"
    patient_id = credit.index[0]
    payload = select(sample, "Patients", row_of(sample, "Patients", patient_id), 2)

    run = click(BODIES["issue_refund"], payload, now=NOW)

    assert run.result.wrote, run.result.message
    assert ("addSheet", f"Refund {patient_id}") in run.writes()
    assert ("setValues", "Payments") in run.writes()
    refund = _table_rows(run.after, "Payments")[-1]
    assert (refund["PatientID"], refund["Kind"], refund["Payer"], refund["Method"]) == (
        patient_id,
        "Refund",
        "Patient",
        "Check",
    )
    assert refund["Amount"] == int(credit.loc[patient_id, "refund_due"])
    assert f"Refund {patient_id}" in [s["name"] for s in run.after["sheets"]]


def test_issue_refund_without_credit_writes_nothing(sample, ledger):
    patient_id = ledger.accounts[ledger.accounts["credit"] == 0].index[0]
    payload = select(sample, "Patients", row_of(sample, "Patients", patient_id), 1)

    run = click(BODIES["issue_refund"], payload, now=NOW)

    assert run.writes() == []
    assert run.alerts() == [f"Patient {patient_id} has no credit to refund. Nothing was written."]


def _plannable(payload: dict) -> str:
    snapshot = port(payload).snapshot(macros.payment_plans.READS)
    for patient_id in snapshot["Patients"]["PatientID"]:
        context = plan_context(snapshot, patient_id, TODAY)
        running = [t for t in context.tracked if str(t.status) in ("on track", "behind")]
        if context.options and len(context.options.options) > 1 and not running:
            return patient_id
    raise AssertionError("no patient in the sample can take a plan")


def test_plan_options_then_create_the_clicked_option(sample):
    patient_id = _plannable(sample)
    payload = select(sample, "Patients", row_of(sample, "Patients", patient_id), 1)

    shown = click(BODIES["plan_options"], payload, now=NOW)

    sheet = f"Plan options {patient_id}"
    assert sheet in [s["name"] for s in shown.after["sheets"]]
    assert ("setValues", "Audit") in shown.writes()
    values = next(s for s in shown.after["sheets"] if s["name"] == sheet)["values"]
    header = values[OPTIONS_HEADER_ROW - 1]
    key_column = header.index("Key")
    last_option = OPTIONS_HEADER_ROW
    while last_option < len(values) and values[last_option][0] == patient_id:
        last_option += 1
    chosen = values[last_option - 1][key_column]
    assert chosen != "full"
    clicked = select(shown.after, sheet, last_option, 3)

    created = click(BODIES["create_payment_plan"], clicked, now=NOW)

    assert created.result.wrote, created.result.message
    plan = _table_rows(created.after, "PaymentPlans")[-1]
    assert (plan["PatientID"], plan["Status"]) == (patient_id, "Active")
    assert plan["Rule"] == {"income": "Income"}.get(chosen, "Equal")
    assert f"Plan {plan['PlanNo']}" in [s["name"] for s in created.after["sheets"]]


def test_refresh_accounts_writes_the_summary_table_and_a_chart(sample):
    run = click(BODIES["refresh_accounts"], sample, now=NOW)

    assert run.result.wrote
    funcs = [a["func"] for a in run.actions]
    assert "addTable" in funcs
    assert "addChart" in funcs
    rows = port(run.after).read_table("Patients").frame
    accounts = next(s for s in run.after["sheets"] if s["name"] == "Accounts")
    table = accounts["tables"][0]
    assert table["name"] == "AccountsSummary"
    assert table["row_count"] == len(rows) + 1


@pytest.mark.parametrize(
    ("button", "sheet"),
    [("verify_coverage", "Coverage check"), ("audit_accounts", "Audit findings")],
)
def test_findings_sheets_are_written_worst_first(sample, button, sheet):
    run = click(BODIES[button], sample, now=NOW)

    assert run.result.wrote
    values = next(s for s in run.after["sheets"] if s["name"] == sheet)["values"]
    assert values[3][0] in ("Severity", "No problems found.")
    severities = [r[0] for r in values[4:] if r and r[0]]
    order = ["error", "warning", "info"]
    assert severities == sorted(severities, key=order.index)
    assert _table_rows(run.after, "Audit")[-1]["Action"] == button


def test_the_desktop_entry_point_runs_on_the_calling_book(sample, monkeypatch):
    import xlwings as xw

    from addin.workbook.remote_book import remote_book

    book = remote_book(sample)
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))

    macros.refresh_accounts()

    funcs = [a["func"] for a in book.json()["actions"]]
    assert "addSheet" in funcs and funcs[-1] == "alert"


def test_the_template_ships_the_newpayments_staging_table(tmp_path):
    path = tmp_path / "empty.xlsx"
    write_workbook(path)
    payload = book_json_from_xlsx(path)

    run = click(BODIES["post_payments"], payload, now=NOW)

    assert run.writes() == []
    assert run.alerts() == [run.result.message]
    assert "nothing to post" in run.result.message


def test_import_era_posts_the_remittance_through_the_book(tmp_path):
    payload = book_json_from_xlsx(practice_workbook(tmp_path / "era.xlsx"))
    era_file = Path(__file__).resolve().parents[1] / "era" / "files" / "normal_payment.835"
    body = partial(import_era_on, path=era_file)

    run = click(body, payload, now=dt.datetime(2026, 4, 20, 9, 0))

    assert run.result.wrote, run.result.message
    writes = run.writes()
    assert ("setValues", "Payments") in writes and ("setValues", "Adjustments") in writes
    assert ("addSheet", "ERA posting") in writes
    payments = _table_rows(run.after, "Payments")
    assert sum(1 for p in payments if p["Reference"] == "EFT20260312001") == 5

    again = click(body, run.after, now=dt.datetime(2026, 4, 20, 9, 5))

    assert again.writes() == []
    assert "already posted" in again.alerts()[0]
