"""`paxl report` on a sample workbook: the deck opens with python-pptx, and the numbers on its
slides equal the ledger's to the cent (computed here independently of the report code)."""

import datetime as dt
import hashlib
from decimal import Decimal

import numpy as np
import pytest
from pptx import Presentation

from addin.cli import main
from addin.core.aging import age_lines, aging_totals
from addin.core.ledger import ledger_from_book
from addin.core.money import from_cents
from addin.workbook.loader import load_book
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook

AS_OF = dt.date(2026, 11, 15)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A 40-patient sample, its deck, and the workbook's hash before the run."""
    folder = tmp_path_factory.mktemp("report")
    sample = generate_sample(40, 5)
    path = folder / "practice.xlsx"
    write_workbook(path, sample.records)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    out = folder / "deck.pptx"
    code = main(["report", str(path), "--as-of", AS_OF.isoformat(), "-o", str(out)])
    return sample, path, out, code, before


@pytest.fixture(scope="module")
def tables(run):
    out = run[2]
    found = {}
    for slide in Presentation(str(out)).slides:
        for shape in slide.shapes:
            if shape.has_table:
                rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
                found[shape.name.removeprefix("table:")] = rows
            elif shape.has_text_frame:
                found[shape.name] = shape.text_frame.text
    return found


@pytest.fixture(scope="module")
def ledger(run):
    return ledger_from_book(load_book(run[1]), as_of=AS_OF)


def dollars(text):
    """'$1,234.56' / '-$1.00' → Decimal."""
    negative = text.startswith("-")
    value = Decimal(text.lstrip("-").lstrip("$").replace(",", ""))
    return -value if negative else value


def test_the_report_is_written_and_the_workbook_only_read(run, capsys):
    _, path, out, code, before = run
    assert code == 0
    assert out.exists() and out.stat().st_size > 10_000
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["deck.pptx", "practice.xlsx"]


def test_ar_on_the_slides_is_the_ledgers_to_the_cent(tables, ledger):
    accounts = ledger.accounts
    insurance = from_cents(int(accounts["insurance_pending"].sum()))
    patient = from_cents(int(accounts["patient_due"].sum()))
    credit = from_cents(int(accounts["credit"].sum()))
    net = from_cents(int(accounts["balance"].sum()))
    last = tables["ar_trend"][-1]
    assert last[0] == AS_OF.isoformat()
    assert [dollars(v) for v in last[1:]] == [insurance, patient, insurance + patient, credit, net]
    assert f"net A/R ${net:,}" in tables["text:ar_total"]


def test_patient_aging_on_the_slides_is_the_aging_of_the_ledger(tables, ledger, run):
    aged = age_lines(ledger, load_book(run[1])["Statements"], as_of=AS_OF)
    totals = aging_totals(aged)
    rows = tables["aging"]
    assert [r[0] for r in rows[1:-1]] == list(totals.labels)
    assert [dollars(r[1]) for r in rows[1:-1]] == [from_cents(a) for a in totals.amounts]
    lines = ledger.lines
    assert dollars(rows[-1][2]) == from_cents(int(lines["insurance_pending"].sum()))


def test_collections_on_the_slides_are_the_payments_of_the_period(tables, run):
    payments = load_book(run[1])["Payments"]
    dates = payments["Date"]
    inside = payments[(dates >= "2025-12-01") & (dates <= AS_OF.isoformat())]
    amounts = inside["Amount"].to_numpy(dtype=np.int64)
    paid = int(amounts[(inside["Kind"] == "Payment").to_numpy()].sum())
    refunded = int(amounts[(inside["Kind"] == "Refund").to_numpy()].sum())
    total = tables["collections"][-1]
    assert total[0] == "Total"
    assert dollars(total[2]) == from_cents(paid)
    assert dollars(total[3]) == from_cents(refunded)
    assert dollars(total[4]) == from_cents(paid - refunded)
    by_payer = sum(dollars(r[3]) for r in tables["by_payer"][1:])
    by_method = sum(dollars(r[2]) for r in tables["by_method"][1:])
    assert by_payer == by_method == from_cents(paid)


def test_top_balances_are_the_largest_guarantor_balances_by_id(tables, ledger):
    guarantors = ledger.guarantors
    owing = guarantors[guarantors["balance"] > 0]
    expected = sorted(zip(owing["balance"], owing.index, strict=True), key=lambda x: (-x[0], x[1]))
    rows = tables["top_balances"][1:]
    assert [(r[0], dollars(r[5])) for r in rows] == [
        (account, from_cents(int(cents))) for cents, account in expected[:10]
    ]


def test_no_patient_name_is_in_the_deck(tables, run):
    sample = run[0]
    text = "\n".join(
        cell for value in tables.values() for cell in _flatten(value) if isinstance(cell, str)
    )
    for person in sample.records["Patients"]:
        assert str(person["LastName"]) not in text
        assert f"{person['FirstName']} {person['LastName']}" not in text


def _flatten(value):
    if isinstance(value, str):
        return [value]
    return [cell for row in value for cell in row]


def test_the_same_workbook_and_date_give_the_same_deck(run, tmp_path):
    _, path, out, _, _ = run
    again = tmp_path / "again.pptx"
    assert main(["report", str(path), "--as-of", AS_OF.isoformat(), "-o", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_an_output_that_is_not_pptx_is_refused_and_nothing_written(run, tmp_path, capsys):
    path = run[1]
    assert main(["report", str(path), "-o", str(tmp_path / "deck.pdf")]) == 2
    assert ".pptx" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_with_errors_is_refused(tmp_path, capsys):
    faulty = generate_sample(20, 4, with_errors=True)
    path = tmp_path / "faulty.xlsx"
    write_workbook(path, faulty.records)
    assert main(["report", str(path), "-o", str(tmp_path / "deck.pptx")]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "deck.pptx").exists()


def test_bad_as_of_is_refused_with_the_format(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "book.xlsx", "--as-of", "11/15/2026", "-o", str(tmp_path / "d.pptx")])
    assert exit_.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
