"""Placement CSV for the agency and the status changes to apply."""

import csv
import datetime as dt
import io

from addin.bills.placement import (
    PLACEMENT_COLUMNS,
    STATUS_COLUMNS,
    placement_csv,
    status_changes_csv,
    write_placement,
)
from addin.core.collections_rules import (
    AccountFacts,
    CollectionsReview,
    CollectionsRules,
    Decision,
    Reason,
    StatusChange,
)
from tests.bills.overdue_fixture import CONTACT

d = dt.date


def decision(account, *, reasons=(), changes=()):
    facts = AccountFacts(
        account=account,
        balance=123456,
        patients=(account, "K1"),
        first_statement=d(2026, 1, 15),
        newest_statement=d(2026, 3, 1),
        final_notices=(d(2026, 4, 15),),
    )
    return Decision(
        facts=facts,
        contact=CONTACT,
        reasons=tuple(reasons),
        final_notice=d(2026, 4, 15),
        days_past=137,
        earliest_eca=None,
        status_changes=tuple(changes),
    )


def review():
    placed = decision(
        "P000042",
        changes=[
            StatusChange("P000042", "Patients", 43, "Active"),
            StatusChange("K1", "Patients", 44, None),
        ],
    )
    refused = decision("P7", reasons=[Reason("under_minimum", "...")])
    return CollectionsReview(d(2026, 6, 1), CollectionsRules(), (placed,), (refused,))


def rows(data: bytes):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_placement_has_one_row_per_eligible_account_with_the_agency_fields():
    data = placement_csv(review())
    assert data.startswith((",".join(PLACEMENT_COLUMNS) + "\r\n").encode())
    (row,) = rows(data)
    assert row == {
        "Account": "P000042",
        "GuarantorName": "Ana Rivera",
        "Address1": "12 Elm Street",
        "Address2": "Apt 4",
        "City": "Springfield",
        "State": "IL",
        "ZIP": "62704",
        "Phone": "(217) 555-0199",
        "Balance": "1234.56",
        "FirstStatementDate": "2026-01-15",
        "FinalNoticeDate": "2026-04-15",
        "DaysPast": "137",
        "Patients": "P000042;K1",
    }


def test_status_changes_name_sheet_row_and_the_new_status():
    data = status_changes_csv(review())
    assert data.startswith((",".join(STATUS_COLUMNS) + "\r\n").encode())
    assert rows(data) == [
        {
            "PatientID": "P000042",
            "Sheet": "Patients",
            "Row": "43",
            "Column": "AccountStatus",
            "From": "Active",
            "To": "Collections",
        },
        {
            "PatientID": "K1",
            "Sheet": "Patients",
            "Row": "44",
            "Column": "AccountStatus",
            "From": "",
            "To": "Collections",
        },
    ]


def test_no_eligible_accounts_is_a_header_only_file(tmp_path):
    empty = CollectionsReview(d(2026, 6, 1), CollectionsRules(), (), ())
    path = write_placement(empty, tmp_path / "placement.csv")
    assert path.read_text(encoding="utf-8").splitlines() == [",".join(PLACEMENT_COLUMNS)]
    assert [p.name for p in tmp_path.iterdir()] == ["placement.csv"]
