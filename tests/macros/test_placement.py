"""send_to_collections on the memory adapter: the Collections sheet, status changes, placement."""

from __future__ import annotations

import csv
import datetime as dt

from macros.placement import SHEET, send_to_collections_into, send_to_collections_on
from macros.runner import run_macro
from tests.macros.overdue_practice import NOW, USER, overdue_practice


def _section(workbook, heading: str) -> list[dict[str, object]]:
    """The rows of the block under the title ``heading`` (header row first)."""
    values = workbook.values(SHEET)
    start = next(i for i, row in enumerate(values) if row[0] == heading) + 1
    if heading == "Status changes":
        start += 1  # the line saying who applies them
    header = [h for h in values[start] if h]
    rows = []
    for row in values[start + 1 :]:
        if not row[0] or row[0] == "None.":
            break
        rows.append(dict(zip(header, row, strict=False)))
    return rows


def test_the_eligible_account_with_its_placement_fields_and_status_change(tmp_path):
    workbook = overdue_practice()

    result = send_to_collections_into(workbook, now=NOW, user=USER, folder=tmp_path)

    # A003: first billed 2026-01-15 (151 days > 120), final notice 2026-04-20 (56 days >= 30),
    # 150.00 >= the 50.00 minimum: eligible. Everyone else fails at least one rule.
    (eligible,) = _section(workbook, "Eligible for placement")
    assert (eligible["Account"], eligible["Balance"], eligible["Days past"]) == ("A003", 150.0, 151)
    assert (eligible["First statement"], eligible["Final notice"]) == (
        dt.datetime(2026, 1, 15),
        dt.datetime(2026, 4, 20),
    )
    assert (eligible["Address1"], eligible["ZIP"], eligible["Phone"]) == (
        "3 Elm St",
        "62701",
        "555-0103",
    )
    (change,) = _section(workbook, "Status changes")
    assert (change["PatientID"], change["Row"], change["Current AccountStatus"]) == (
        "A003",
        4,
        "Active",
    )
    assert change["Change to"] == "Collections"
    assert change["Go to"] == '=HYPERLINK("#\'Patients\'!A4","Patients row 4")'
    assert result.message.startswith(
        "6 account(s) with a balance reviewed: 1 eligible for collections ($150.00), 5 not."
    )
    assert "paxl never rewrites rows of the data tables" in result.message


def test_accounts_not_eligible_are_listed_with_every_rule_they_fail():
    workbook = overdue_practice()

    send_to_collections_on(workbook, now=NOW, user=USER)

    rows = {r["Account"]: r for r in _section(workbook, "Not eligible")}
    assert list(rows) == ["A001", "A002", "A004", "A005", "A006"]
    assert rows["A001"]["Rules failed"] == "too_recent, no_final_notice"
    assert rows["A005"]["Rules failed"] == "under_minimum, too_recent, no_final_notice"
    assert rows["A006"]["Rules failed"] == "no_final_notice, status_collections"
    assert "106 days ago" in rows["A001"]["Why not"]


def test_the_data_tables_are_only_read(tmp_path):
    workbook = overdue_practice()
    patients_before = workbook.values("Patients")

    result = send_to_collections_into(workbook, now=NOW, user=USER, folder=tmp_path)

    assert result.applied.appended == {"Audit": 1}
    assert workbook.values("Patients") == patients_before
    assert workbook.values("Audit")[-1][1:6] == [
        USER,
        "send_to_collections",
        None,
        1,
        "1 eligible, 5 not eligible, 1 status change(s) to apply",
    ]


def test_on_desktop_the_placement_file_and_status_changes_go_next_to_the_workbook(tmp_path):
    workbook = overdue_practice()

    result = send_to_collections_into(workbook, now=NOW, user=USER, folder=tmp_path)

    folder = tmp_path / "paxl-collections" / "2026-06-15"
    with (folder / "placement.csv").open(newline="", encoding="utf-8") as handle:
        placement = list(csv.DictReader(handle))
    assert [(p["Account"], p["Balance"], p["FinalNoticeDate"]) for p in placement] == [
        ("A003", "150.00", "2026-04-20")
    ]
    with (folder / "status-changes.csv").open(newline="", encoding="utf-8") as handle:
        changes = list(csv.DictReader(handle))
    assert [(c["PatientID"], c["Row"], c["From"], c["To"]) for c in changes] == [
        ("A003", "4", "Active", "Collections")
    ]
    assert f"Placement file: {folder / 'placement.csv'}" in result.message


def test_without_a_workbook_folder_the_sheet_says_no_placement_file_was_made():
    workbook = overdue_practice()

    result = send_to_collections_on(workbook, now=NOW, user=USER)

    assert "No placement file was made" in result.message
    assert workbook.values(SHEET)[2][0].startswith("No placement file was made")


def test_a_nonprofit_hospital_sees_the_501r_date():
    workbook = overdue_practice()
    workbook.set_cell("Policy", _policy_row(workbook, "nonprofit_hospital"), 2, True)

    send_to_collections_on(workbook, now=NOW, user=USER)

    (eligible,) = _section(workbook, "Eligible for placement")
    # the later of the first statement + 120 days (2026-05-15) and the final notice + 30 days
    assert eligible["501(r) earliest"] == dt.datetime(2026, 5, 20)


def test_an_unusable_policy_setting_stops_the_button_with_nothing_written():
    workbook = overdue_practice()
    workbook.set_cell("Policy", _policy_row(workbook, "collections_minimum"), 2, -5)
    audit_before = workbook.values("Audit")

    result = run_macro(send_to_collections_on, workbook, now=NOW, user=USER)

    assert not result.wrote
    assert "collections_minimum" in result.message
    assert workbook.values("Audit") == audit_before
    assert SHEET not in workbook.sheet_names()


def _policy_row(workbook, name: str) -> int:
    sheet, address = workbook.names()[name]
    assert sheet == "Policy"
    return int(address[1:])
