"""refresh_accounts on the memory adapter: the Accounts summary, A/R aging and its chart."""

from __future__ import annotations

from addin.workbook.port import selected_patient_id
from macros.accounts import ACCOUNTS_TITLE_ROW, AGING_TITLE_ROW, SHEET, refresh_accounts_on
from tests.macros.practice import NOW, USER, practice


def _accounts(workbook) -> dict[str, dict[str, object]]:
    values = workbook.values(SHEET)
    header = values[ACCOUNTS_TITLE_ROW - 1]
    return {
        row[0]: dict(zip(header, row, strict=False))
        for row in values[ACCOUNTS_TITLE_ROW:]
        if row[0]
    }


def test_one_row_per_patient_with_balances_aging_and_plan_status():
    workbook = practice()

    result = refresh_accounts_on(workbook, now=NOW, user=USER)

    rows = _accounts(workbook)
    assert list(rows) == ["P001", "P002", "P003", "P004", "P005"]
    p001 = rows["P001"]
    assert (p001["Balance"], p001["Patient due"], p001["Oldest (days)"]) == (24.0, 24.0, 45)
    assert (p001["Aging bucket"], p001["Dunning level"]) == ("31-60", 2)
    assert (p001["Plan"], p001["Plan status"], p001["Account status"]) == (
        "PP000001",
        "on track",
        "Payment plan",
    )
    p002 = rows["P002"]
    assert (p002["Balance"], p002["Insurance pending"], p002["Credit"]) == (25.0, 45.0, 20.0)
    assert p002["Aging bucket"] is None
    p004 = rows["P004"]
    assert (p004["Balance"], p004["Refund due"]) == (-20.0, 20.0)
    p005 = rows["P005"]
    assert (p005["Aging bucket"], p005["Dunning level"], p005["Oldest (days)"]) == ("121+", 5, 156)
    assert result.applied.appended == {"Audit": 1}
    assert workbook.values("Audit")[-1][2:5] == ["refresh_accounts", None, 5]


def test_aging_block_sums_what_patients_owe_and_has_a_chart():
    workbook = practice()

    refresh_accounts_on(workbook, now=NOW, user=USER)

    values = workbook.values(SHEET)
    block = values[AGING_TITLE_ROW : AGING_TITLE_ROW + 7]
    assert [r[:3] for r in block] == [
        ["Bucket (days)", "Due from patients", "Accounts"],
        ["0-30", 0.0, 0],
        ["31-60", 24.0, 1],
        ["61-90", 0.0, 0],
        ["91-120", 0.0, 0],
        ["121+", 1200.0, 1],
        ["Total", 1224.0, 2],
    ]
    (chart,) = workbook.charts(SHEET)
    assert chart.source == (AGING_TITLE_ROW + 1, 1, 6, 2)
    assert workbook.formats(SHEET)[(AGING_TITLE_ROW + 2, 1)]["number_format"] == "@"


def test_an_account_typed_payment_plan_without_a_running_plan_shows_active():
    workbook = practice()
    workbook.set_cell("PaymentPlans", 2, 10, "Cancelled")

    refresh_accounts_on(workbook, now=NOW, user=USER)

    p001 = _accounts(workbook)["P001"]
    assert (p001["Plan status"], p001["Account status"]) == ("cancelled", "Active")


def test_a_click_on_an_accounts_row_selects_that_patient_anywhere_in_the_table():
    workbook = practice()
    refresh_accounts_on(workbook, now=NOW, user=USER)

    workbook.select(SHEET, ACCOUNTS_TITLE_ROW + 5, 7)

    assert selected_patient_id(workbook.selection()) == "P005"
    assert "AccountsSummary" in workbook.table_names()


def test_refreshing_again_replaces_the_sheet():
    workbook = practice()
    refresh_accounts_on(workbook, now=NOW, user=USER)
    refresh_accounts_on(workbook, now=NOW, user=USER)

    assert workbook.sheet_names().count(SHEET) == 1
    assert len(_accounts(workbook)) == 5
