"""refresh_accounts writes the AR report sheet: the report's figures, to the cent, on the memory
adapter (the practice of tests/macros/practice.py, today 2026-06-15)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from addin.core.ledger import ledger_from_book
from addin.core.money import to_cents
from addin.reports.figures import report_figures, report_tables
from macros.accounts import AGING_TITLE_ROW, READS, refresh_accounts_on
from macros.accounts import SHEET as ACCOUNTS
from macros.ar_report import CHART_ROWS, HEADLINE_ROW, SHEET
from tests.macros.practice import NOW, TODAY, USER, practice


def _refreshed():
    workbook = practice()
    book = workbook.snapshot(READS).book
    refresh_accounts_on(workbook, now=NOW, user=USER)
    return workbook, book


def _same(cell: object, expected: object) -> bool:
    """A written cell equals a figure: money to the cent, dates as days, the rest exactly."""
    if isinstance(expected, Decimal):
        return isinstance(cell, float) and to_cents(cell) == to_cents(expected)
    if isinstance(expected, dt.date):
        return isinstance(cell, dt.datetime) and cell.date() == expected
    if expected == "":
        return cell is None
    return cell == expected


def _headline(values) -> dict[str, object]:
    rows = values[HEADLINE_ROW - 1 : HEADLINE_ROW + 9]
    return {row[0].strip(): row[1] for row in rows}


def test_every_report_table_is_on_the_sheet_with_the_figures_to_the_cent():
    workbook, book = _refreshed()
    values = workbook.values(SHEET)
    firsts = [row[0] for row in values]

    for table in report_tables(report_figures(book, TODAY)):
        at = firsts.index(table.title)
        width = len(table.header)
        assert tuple(values[at + 1][:width]) == table.header
        written = values[at + 2 : at + 2 + len(table.rows)]
        assert len(written) == len(table.rows) > 0, table.name
        for cells, expected in zip(written, table.rows, strict=True):
            assert all(_same(c, e) for c, e in zip(cells[:width], expected, strict=True)), (
                table.name,
                cells,
                expected,
            )


def test_the_headline_is_the_practice_s_worked_numbers_and_the_ledger_s():
    workbook, book = _refreshed()
    head = _headline(workbook.values(SHEET))
    accounts = ledger_from_book(book, as_of=TODAY).accounts

    # P002 45.00 with Medicare; P001 24.00 + P005 1,200.00 due; credits P002 20.00 + P004 20.00
    assert to_cents(head["with insurers"]) == 4500 == int(accounts["insurance_pending"].sum())
    assert to_cents(head["due from patients"]) == 122400 == int(accounts["patient_due"].sum())
    assert to_cents(head["A/R (open items)"]) == 126900
    assert to_cents(head["Credits"]) == 4000 == int(accounts["credit"].sum())
    assert to_cents(head["Net A/R (sum of balances)"]) == 122900 == int(accounts["balance"].sum())
    assert to_cents(head["A/R with no aging line"]) == 0
    # 266.00 collected / 1,555.00 charged; net of the 60.00 contractual: / 1,495.00
    assert head["Collections rate % (2025-07-01 to 2026-06-15)"] == 17.1
    assert head["Net collection rate % (after contractual)"] == 17.8
    assert (head["Payment plans on track"], head["Payment plans behind"]) == (1, 0)


def test_aging_patient_total_matches_the_accounts_sheet_aging_block():
    workbook, _ = _refreshed()
    report = workbook.values(SHEET)
    accounts = workbook.values(ACCOUNTS)

    report_total = next(r for r in report if r[0] == "Total" and r[3] is not None and r[4] is None)
    accounts_total = next(r for r in accounts[AGING_TITLE_ROW:] if r[0] == "Total")
    assert to_cents(report_total[1]) == to_cents(accounts_total[1]) == 122400


def test_payments_by_payer_and_by_method_both_sum_to_the_period_s_payments():
    _, book = _refreshed()
    figures = report_figures(book, TODAY)
    tables = {t.name: t for t in report_tables(figures)}

    by_payer = sum(r[3] for r in tables["by_payer"].rows)
    by_method = sum(r[2] for r in tables["by_method"].rows)
    assert to_cents(by_payer) == to_cents(by_method) == figures.collections.payments == 26600


def test_top_balances_show_account_ids_and_no_patient_names():
    workbook, book = _refreshed()
    values = workbook.values(SHEET)
    written = {str(v) for row in values for v in row if v is not None}
    patients = book["Patients"]

    names = set(patients["LastName"].dropna()) | set(patients["FirstName"].dropna())
    assert not any(name in text for name in names for text in written)
    at = [r[0] for r in values].index("Top balances (account IDs only)")
    assert [r[0] for r in values[at + 2 : at + 5]] == ["P005", "P002", "P001"]


def test_charts_sit_beside_their_blocks_without_overlapping_and_accounts_stays_active():
    workbook, _ = _refreshed()
    values = workbook.values(SHEET)

    charts = workbook.charts(SHEET)
    assert [c.title for c in charts] == [
        "A/R by month-end: insurance and patients",
        "Aging: patients and insurance",
        "Charges and payments by month",
        "Payment plans by state",
    ]
    for chart in charts:
        row, column, rows, _ = chart.source
        assert (column, values[row - 1][0]) in {
            (1, "Day"),
            (1, "Bucket"),
            (1, "Month"),
            (1, "State"),
        }
        firsts = [r[0] for r in values] + [None]
        last, after = firsts[row + rows - 2], firsts[row + rows - 1]
        assert last not in (None, "Total") and after in (None, "Total")
        assert chart.anchor == (row - 1, 8)
    anchors = [c.anchor[0] for c in charts]
    assert all(b - a >= CHART_ROWS for a, b in itertools.pairwise(anchors))
    assert workbook.selection().sheet == ACCOUNTS
    assert workbook.formats(SHEET)[(HEADLINE_ROW, 2)]["number_format"].startswith("_")


def test_refreshing_again_replaces_the_report_sheet():
    workbook, _ = _refreshed()
    refresh_accounts_on(workbook, now=NOW, user=USER)

    assert workbook.sheet_names().count(SHEET) == 1
    assert workbook.sheet_names()[-2:] == (ACCOUNTS, SHEET)
