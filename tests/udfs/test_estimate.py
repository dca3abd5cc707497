import datetime as dt

import pytest

from addin.core.estimate import estimate_for_patient
from addin.errors import PaxlError
from addin.workbook.book import book_from_records
from tests.conftest import good_records
from tests.udfs.excel_ranges import excel_range
from udfs import pa_estimate

DAY = dt.date(2026, 6, 1)
TABLES = ("Patients", "Plans", "Coverage", "Fees", "Allowed")


def tables(records=None, *, serial_dates: bool = False):
    records = records or good_records()
    return [excel_range(records[n], n, serial_dates=serial_dates) for n in TABLES]


def test_estimate_matches_the_core_line_by_line():
    records = good_records()
    core = estimate_for_patient(book_from_records(records).tables, "P001", ["99213", "80053"], DAY)
    expected = [
        [
            line.code,
            *(
                float(getattr(line, f))
                for f in ("billed", "allowed", "plan", "secondary", "patient")
            ),
        ]
        for line in core.lines
    ]
    assert pa_estimate("P001", "99213,80053", DAY, *tables(records)) == expected
    assert pa_estimate("P001", [["99213"], ["80053"]], DAY, *tables(records)) == expected
    assert pa_estimate("P001", ["99213", "80053"], DAY, *tables(serial_dates=True)) == expected


def test_estimate_with_a_deductible_not_met_leaves_the_patient_the_allowed_amount():
    assert pa_estimate("P001", "99213", DAY, *tables()) == [
        ["99213", 180.0, 120.0, 0.0, 0.0, 120.0]
    ]


def test_estimate_for_a_self_pay_patient_is_the_charge():
    records = good_records()
    records["Coverage"] = [c for c in records["Coverage"] if c["PatientID"] != "P001"]
    assert pa_estimate("P001", "99213", DAY, *tables(records)) == [
        ["99213", 180.0, 180.0, 0.0, 0.0, 180.0]
    ]


def test_estimate_names_a_code_missing_from_fees():
    with pytest.raises(PaxlError, match="PA_ESTIMATE: code 12345 is not on the Fees sheet"):
        pa_estimate("P001", "12345", DAY, *tables())


def test_estimate_names_an_unknown_patient():
    with pytest.raises(PaxlError, match="PatientID P999 is not on the Patients sheet"):
        pa_estimate("P999", "99213", DAY, *tables())


def test_estimate_needs_codes():
    with pytest.raises(PaxlError, match="codes is blank; list the planned codes"):
        pa_estimate("P001", [[None], [""]], DAY, *tables())
