"""todays_worklist on the memory adapter: the ranked tasks on the Today sheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from addin.workbook.memory_adapter import MemoryWorkbook
from addin.workbook.schema import TABLES
from macros.runner import run_macro
from macros.worklist import HEADER, HEADER_ROW, SHEET, todays_worklist_on
from tests.macros.overdue_practice import NOW, USER, overdue_practice, overdue_records


def _tasks(workbook) -> list[dict[str, object]]:
    values = workbook.values(SHEET)
    assert tuple(values[HEADER_ROW - 1][: len(HEADER)]) == HEADER
    return [dict(zip(HEADER, row, strict=False)) for row in values[HEADER_ROW:] if row[0]]


def test_tasks_are_ranked_by_urgency_times_money_at_stake():
    workbook = overdue_practice()

    result = todays_worklist_on(workbook, now=NOW, user=USER)

    tasks = _tasks(workbook)
    # every deadline is today or past (weight 8): score = 8 x amount; ties by kind
    assert [(t["Rank"], t["Kind"], t["IDs"], t["Amount"], t["Days left"]) for t in tasks] == [
        (1, "Dunning notice", "A001", 200.0, -15),  # level 4 reached 2026-05-31: 1,600.00
        (2, "Collections date", "A003", 150.0, -26),  # placeable since 2026-05-20: 1,200.00
        (3, "Dunning notice", "A002", 80.0, 0),  # level 3 reached today: 640.00
        (4, "Dunning notice", "A004", 60.0, -14),  # 480.00
        (5, "Call now", "A004", 60.0, 0),  # 480.00; calls after notices on a tie
    ]
    assert tasks[1]["Deadline"] == dt.datetime(2026, 5, 20)
    assert tasks[4]["Where"] == "Patients row 5, Phone"
    assert tasks[4]["Go to"] == '=HYPERLINK("#\'Patients\'!A5","Patients row 5")'
    assert result.message == "5 task(s) today, $550.00 at stake; see sheet Today."
    assert workbook.values("Audit")[-1][1:6] == [
        USER,
        "todays_worklist",
        None,
        5,
        "5 task(s), $550.00 at stake",
    ]


def test_a_row_with_an_error_is_a_fix_data_task_and_left_out_of_the_money():
    records = overdue_records()
    records["Charges"].append(
        {
            "ChargeID": "CX",
            "PatientID": "A999",  # not on Patients
            "ServiceDate": dt.date(2026, 5, 1),
            "Code": "99213",
            "Amount": Decimal("5000.00"),
            "Status": "Patient due",
        }
    )
    workbook = overdue_practice(records)

    result = todays_worklist_on(workbook, now=NOW, user=USER)

    fixes = [t for t in _tasks(workbook) if t["Kind"] == "Fix data"]
    assert [(f["Where"], f["Amount"]) for f in fixes] == [("Charges row 8, PatientID", 5000.0)]
    assert "1 row(s) with errors are left out of the amounts until fixed" in result.message


def test_a_missing_table_stops_the_worklist_with_nothing_written():
    keep = [t.name for t in TABLES if t.name != "Adjustments"]
    workbook = MemoryWorkbook.from_records(overdue_records(), tables=keep)
    audit_before = workbook.values("Audit")

    result = run_macro(todays_worklist_on, workbook, now=NOW, user=USER)

    assert not result.wrote
    assert "Adjustments" in result.message
    assert SHEET not in workbook.sheet_names()
    assert workbook.values("Audit") == audit_before
    assert [m for m, _ in workbook.alerts] == [result.message]
