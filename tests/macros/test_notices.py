"""overdue_notices on the memory adapter: the worklist sheet, letters, drafts, the Contacts log."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

from pypdf import PdfReader

from macros.notices import HEADER, HEADER_ROW, SHEET, overdue_notices_into, overdue_notices_on
from macros.runner import run_macro
from tests.macros.overdue_practice import NOW, USER, overdue_practice, overdue_records

DAY = "2026-06-15"


def _rows(workbook) -> list[dict[str, object]]:
    values = workbook.values(SHEET)
    assert tuple(values[HEADER_ROW - 1]) == HEADER
    return [dict(zip(HEADER, row, strict=False)) for row in values[HEADER_ROW:] if row[0]][:4]


def _contacts(workbook) -> list[dict[str, object]]:
    values = workbook.values("Contacts")
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_overdue_accounts_most_overdue_first_with_channel_and_call_check(tmp_path):
    workbook = overdue_practice()

    result = overdue_notices_into(workbook, now=NOW, user=USER, folder=tmp_path)

    rows = _rows(workbook)
    # A005 (14 days) is not overdue; A006 is in collections: not worked
    assert [(r["Account"], r["Channel"], r["Dunning level"]) for r in rows] == [
        ("A003", "Call", 5),
        ("A001", "Letter", 4),
        ("A002", "Email", 3),
        ("A004", "Call", 2),
    ]
    a003, a001, _, a004 = rows
    assert a001["Amount due"] == 200.0
    assert a001["Reason"] == ("Oldest unpaid bill sent 2026-03-01, 106 days ago (dunning level 4).")
    # 09:30 in New York is 06:30 in Los Angeles (too early) and 08:30 in Chicago
    assert (a003["Call allowed now"], a003["Local time"]) == ("No", dt.datetime(2026, 6, 15, 6, 30))
    assert "06:30" in a003["Why not"]
    assert (a004["Call allowed now"], a004["Why not"], a004["Time zone"]) == (
        "Yes",
        None,
        "America/Chicago",
    )
    assert a004["Local time"] == dt.datetime(2026, 6, 15, 8, 30)
    assert a001["Call allowed now"] is None
    assert a001["Go to"] == '=HYPERLINK("#\'Patients\'!A2","Patients row 2")'
    assert result.message.startswith(
        "4 overdue account(s): 1 letter(s), 1 email draft(s), 2 call(s) (1 may be called now), "
        "0 text(s); not worked: 1 Collections."
    )


def test_letters_and_drafts_are_made_next_to_the_workbook_and_logged_as_sent(tmp_path):
    workbook = overdue_practice()

    result = overdue_notices_into(workbook, now=NOW, user=USER, folder=tmp_path)

    folder = tmp_path / "paxl-notices" / DAY
    assert sorted(p.name for p in folder.iterdir()) == ["email-A002.eml", "letter-A001.pdf"]
    text = "".join(page.extract_text() for page in PdfReader(folder / "letter-A001.pdf").pages)
    assert "$200.00" in text
    draft = email.message_from_bytes(
        (folder / "email-A002.eml").read_bytes(), policy=email.policy.default
    )
    assert draft["To"].addresses[0].addr_spec == "pat@example.com"
    assert result.applied.appended == {"Contacts": 2, "Audit": 1}
    assert _contacts(workbook) == [
        {
            "ContactID": "N202606150930-A001",
            "PatientID": "A001",
            "ContactedAt": dt.datetime(2026, 6, 15, 9, 30),
            "Channel": "Letter",
            "Outcome": "Sent",
            "By": USER,
            "Note": "Past-due notice (level 4)",
        },
        {
            "ContactID": "N202606150930-A002",
            "PatientID": "A002",
            "ContactedAt": dt.datetime(2026, 6, 15, 9, 30),
            "Channel": "Email",
            "Outcome": "Sent",
            "By": USER,
            "Note": "Past-due notice (level 3)",
        },
    ]
    rows = {r["Account"]: r for r in _rows(workbook)}
    assert (rows["A001"]["File"], rows["A002"]["File"]) == ("letter-A001.pdf", "email-A002.eml")
    assert workbook.values(SHEET)[2][0] == f"Letters and email drafts: {folder}"
    assert workbook.values("Audit")[-1][1:5] == [USER, "overdue_notices", "Contacts", 4]


def test_a_second_click_the_same_day_sends_no_second_notice(tmp_path):
    workbook = overdue_practice()
    overdue_notices_into(workbook, now=NOW, user=USER, folder=tmp_path)

    again = overdue_notices_into(
        workbook, now=NOW + dt.timedelta(hours=2), user=USER, folder=tmp_path
    )

    assert again.applied.appended == {"Audit": 1}
    assert len(_contacts(workbook)) == 2
    rows = {r["Account"]: r for r in _rows(workbook)}
    assert rows["A001"]["File"] == "already sent today"
    assert "2 account(s) already had a notice today" in again.message


def test_without_a_workbook_folder_no_files_are_made_and_nothing_is_logged():
    workbook = overdue_practice()

    result = overdue_notices_on(workbook, now=NOW, user=USER)  # memory: no folder

    assert result.applied.appended == {"Audit": 1}
    assert _contacts(workbook) == []
    assert "No letters or email drafts were made" in result.message
    assert "only in Excel on the desktop" in result.message
    assert {r["File"] for r in _rows(workbook)} == {None}


def test_a_contacts_row_that_fails_the_checks_stops_everything(tmp_path):
    records = overdue_records()
    records["Contacts"] = [
        {
            "ContactID": "N202606150930-A001",  # the ID the letter's row would get
            "PatientID": "A001",
            "ContactedAt": dt.datetime(2026, 6, 15, 9, 0),
            "Channel": "Call",
            "Outcome": "No answer",
        }
    ]
    workbook = overdue_practice(records)

    result = run_macro(
        lambda port, *, now, user: overdue_notices_into(port, now=now, user=user, folder=tmp_path),
        workbook,
        now=NOW,
        user=USER,
    )

    assert not result.wrote
    assert "sheet Contacts, row 3, column ContactID" in result.message
    assert len(_contacts(workbook)) == 1
    assert SHEET not in workbook.sheet_names()
    assert not (tmp_path / "paxl-notices").exists()
    assert [m for m, _ in workbook.alerts] == [result.message]


def test_problems_found_are_listed_under_the_table():
    records = overdue_records()
    records["Patients"][3]["TimeZone"] = "Chicago"  # A004: not an IANA zone
    workbook = overdue_practice(records)

    result = overdue_notices_on(workbook, now=NOW, user=USER)

    values = workbook.values(SHEET)
    problems = [row for row in values if row[0] == "error"]
    assert len(problems) == 1
    assert problems[0][1] == "sheet Patients, row 5, column TimeZone"
    assert "1 problem(s) are listed under the table" in result.message
