"""Refresh accounts on a real ``xw.Book`` (xlwings' remote engine, as xlwings Server/Lite run it)
of a 20-patient sample: the AR report sheet holds the report's figures, to the cent, with charts.

Marked ``xlwings_pro`` (run with ``XLWINGS_LICENSE_KEY=noncommercial``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from addin.core.ledger import ledger_from_book
from addin.core.money import to_cents
from addin.reports.figures import report_figures, report_tables
from addin.workbook.remote_book import book_json_from_xlsx
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook
from macros import BODIES
from macros.accounts import READS
from macros.ar_report import HEADLINE_ROW, SHEET
from tests.macros.remote import click, port

pytestmark = pytest.mark.xlwings_pro

SAMPLE = generate_sample(20, 11)
NOW = dt.datetime.combine(SAMPLE.as_of + dt.timedelta(days=1), dt.time(9, 30))
TODAY = NOW.date()


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.xlsx"
    write_workbook(path, SAMPLE.records)
    payload = book_json_from_xlsx(path)
    book = port(payload).snapshot(READS).book
    return book, click(BODIES["refresh_accounts"], payload, now=NOW)


def _same(cell: object, expected: object) -> bool:
    """A cell of the client's JSON equals a figure: money to the cent, dates by day."""
    if isinstance(expected, Decimal):
        return isinstance(cell, float | int) and to_cents(cell) == to_cents(expected)
    if isinstance(expected, dt.date):
        return isinstance(cell, str) and cell.startswith(expected.isoformat())
    if expected in ("", None):
        return cell in ("", None)
    return cell == expected


def test_the_report_sheet_holds_the_figures_and_the_ledger_to_the_cent(refreshed):
    book, run = refreshed
    assert run.result.wrote, run.result.message
    values = next(s for s in run.after["sheets"] if s["name"] == SHEET)["values"]
    firsts = [row[0] for row in values]

    figures = report_figures(book, TODAY)
    for table in report_tables(figures):
        at = firsts.index(table.title)
        width = len(table.header)
        assert tuple(values[at + 1][:width]) == table.header
        written = values[at + 2 : at + 2 + len(table.rows)]
        assert len(written) == len(table.rows), table.name
        for cells, expected in zip(written, table.rows, strict=True):
            assert all(_same(c, e) for c, e in zip(cells[:width], expected, strict=True)), (
                table.name,
                cells,
            )
    accounts = ledger_from_book(book, as_of=TODAY).accounts
    ar, net = values[HEADLINE_ROW - 1][1], values[HEADLINE_ROW + 3][1]
    open_items = accounts["insurance_pending"].sum() + accounts["patient_due"].sum()
    assert to_cents(ar) == int(open_items) == figures.ar.total > 0
    assert to_cents(net) == int(accounts["balance"].sum())


def test_the_report_sheet_is_added_with_its_charts_and_accounts_keeps_the_focus(refreshed):
    _, run = refreshed

    assert ("addSheet", SHEET) in run.writes()
    charted = [a["args"][2] for a in run.actions if a["func"] == "addChart"]
    assert charted.count(SHEET) == 4
    activated = [a for a in run.actions if a["func"] == "activateSheet"]
    names = [s["name"] for s in run.after["sheets"]]
    assert names[activated[-1]["args"][0]] == "Accounts"
