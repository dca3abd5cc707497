import datetime as dt
from decimal import Decimal

import pytest

from addin.core.ledger import ledger_from_book
from addin.errors import PaxlError
from addin.workbook.book import book_from_records
from tests.conftest import good_records
from tests.udfs.excel_ranges import excel_range, serial
from udfs import pa_balance


def tables(records, *, serial_dates: bool = False):
    return [
        excel_range(records[name], name, serial_dates=serial_dates)
        for name in ("Charges", "Payments", "Adjustments")
    ]


@pytest.fixture
def busy_records():
    """The good records plus a refund, an unapplied payment, a void charge and a late charge."""
    records = good_records()
    d = dt.date
    records["Charges"] += [
        {
            "ChargeID": "C003",
            "PatientID": "P003",
            "ServiceDate": d(2026, 4, 2),
            "Code": "99213",
            "Amount": Decimal("180.00"),
            "Status": "Void",
        },
        {
            "ChargeID": "C004",
            "PatientID": "P001",
            "ServiceDate": d(2026, 6, 20),
            "Code": "80053",
            "Amount": Decimal("45.00"),
            "Status": "Patient due",
        },
    ]
    payment = {"Method": "Card", "Kind": "Payment", "Payer": "Patient"}
    records["Payments"] += [
        {
            **payment,
            "PaymentID": "PAY003",
            "Date": d(2026, 4, 5),
            "PatientID": "P003",
            "ChargeID": "C003",
            "Amount": Decimal("30.00"),
        },
        {
            **payment,
            "PaymentID": "PAY004",
            "Date": d(2026, 5, 5),
            "PatientID": "P003",
            "Kind": "Refund",
            "Amount": Decimal("10.00"),
        },
        {
            **payment,
            "PaymentID": "PAY005",
            "Date": d(2026, 6, 25),
            "PatientID": "P001",
            "Amount": Decimal("5.55"),
        },
    ]
    return records


def core_balances(records, as_of=None):
    ledger = ledger_from_book(book_from_records(records), as_of=as_of)
    return {pid: float(Decimal(int(c)) / 100) for pid, c in ledger.accounts["balance"].items()}


def test_balance_of_one_patient():
    assert pa_balance("P001", *tables(good_records())) == 24.0


@pytest.mark.parametrize("ids", [["P001", "P002"], [["P001"], ["P002"]]])
def test_balance_of_a_column_of_patients(ids):
    assert pa_balance(ids, *tables(good_records())) == [[24.0], [25.0]]


@pytest.mark.parametrize("serial_dates", [False, True])
def test_balances_match_the_core_ledger_for_every_patient(busy_records, serial_dates):
    expected = core_balances(busy_records)
    ids = [[pid] for pid in expected]
    got = pa_balance(ids, *tables(busy_records, serial_dates=serial_dates))
    assert dict(zip(expected, (r[0] for r in got), strict=True)) == expected
    assert expected["P003"] == -20.0  # paid 30 on a void charge, refunded 10: a credit


def test_as_of_leaves_out_later_services_and_postings(busy_records):
    as_of = dt.date(2026, 5, 31)
    expected = core_balances(busy_records, as_of)
    assert pa_balance("P001", *tables(busy_records), as_of) == expected["P001"] == 24.0
    assert pa_balance("P001", *tables(busy_records), serial(as_of)) == 24.0
    assert pa_balance("P001", *tables(busy_records)) == 24.0 + 45.0 - 5.55


def test_patients_table_shows_zero_for_patients_without_activity():
    records = good_records()
    patients = excel_range(records["Patients"], "Patients")
    assert pa_balance([["P003"], ["P001"]], *tables(records), None, patients) == [[0.0], [24.0]]


def test_an_unknown_patient_shows_a_message_in_its_row_and_blank_ids_stay_blank():
    rows = pa_balance([["P001"], ["P999"], [None]], *tables(good_records()))
    assert rows[0] == [24.0]
    assert rows[1][0].startswith("Error: P999 has no charges, payments or adjustments here")
    assert rows[2] == [None]


def test_an_unknown_single_patient_raises_on_the_cell():
    patients = excel_range(good_records()["Patients"], "Patients")
    with pytest.raises(PaxlError, match="PA_BALANCE: P999 is not on the Patients table"):
        pa_balance("P999", *tables(good_records()), None, patients)


def test_headers_match_ignoring_case_and_spaces_and_extra_columns_are_ignored():
    records = good_records()
    charges, payments, adjustments = tables(records)
    charges[0] = [h.lower() for h in charges[0]]
    charges[0][3] = "Service Date"
    payments = [[*row, "note"] for row in payments]
    assert pa_balance("P001", charges, payments, adjustments) == 24.0


def test_blank_rows_in_the_range_are_skipped():
    charges, payments, adjustments = tables(good_records())
    charges.insert(2, [None] * len(charges[0]))
    charges.append([None] * len(charges[0]))
    assert pa_balance("P002", charges, payments, adjustments) == 25.0


def test_a_missing_column_says_to_pass_the_whole_table():
    charges, payments, adjustments = tables(good_records())
    charges = [row[:8] for row in charges]  # drops Amount
    with pytest.raises(PaxlError, match=r"charges has no Amount column; pass the whole Charges"):
        pa_balance("P001", charges, payments, adjustments)


def test_a_bad_cell_names_table_row_and_column_without_its_value():
    charges, payments, adjustments = tables(good_records())
    amount = charges[0].index("Amount")
    charges[2][amount] = 12.345
    with pytest.raises(PaxlError) as info:
        pa_balance("P001", charges, payments, adjustments)
    message = str(info.value)
    assert "Charges row 3, Amount: Amount has fractions of a cent." in message
    assert "12.345" not in message


def test_a_blank_required_cell_is_reported_by_the_ledger_with_its_row():
    charges, payments, adjustments = tables(good_records())
    charges[2][charges[0].index("PatientID")] = None
    with pytest.raises(PaxlError, match=r"Charges row 3, PatientID: blank; fill it in"):
        pa_balance("P001", charges, payments, adjustments)


def test_a_table_argument_must_be_a_table():
    _, payments, adjustments = tables(good_records())
    with pytest.raises(PaxlError, match=r"charges is not a table; pass the whole table"):
        pa_balance("P001", 5, payments, adjustments)


def test_rows_shorter_than_the_header_are_refused():
    charges, payments, adjustments = tables(good_records())
    charges[2] = charges[2][:3]
    with pytest.raises(PaxlError, match="charges: every row must have as many cells as the header"):
        pa_balance("P001", charges, payments, adjustments)
