"""plan_import: which export rows are appended, already present, rejected (and why) or ignored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from addin.core.findings import Severity
from addin.workbook.book import book_from_records
from addin.workbook.column_mapping import ColumnMapping
from addin.workbook.export_reader import Export
from addin.workbook.importer import Outcome, plan_import
from tests.conftest import good_records

NOW = dt.datetime(2026, 4, 30, 9, 15)
CHARGES_HEADER = ["Acct #", "DOS", "CPT Code", "Dx", "Billed Amt", "Charge ID"]


def book(**extra):
    records = good_records()
    for table, rows in extra.items():
        records[table] = records[table] + rows
    return book_from_records(records)


def export(rows, header=CHARGES_HEADER, name="export.csv", title=()):
    return Export(name, name, [*[list(t) for t in title], list(header), *map(list, rows)])


def plan(rows, table="Charges", the_book=None, **options):
    header = options.pop("header", CHARGES_HEADER)
    return plan_import(
        the_book or book(),
        export(rows, header=header),
        table,
        as_of=NOW.date(),
        now=NOW,
        user="rep7",
        **options,
    )


def outcomes(result):
    return {r.row: (str(r.outcome), r.id) for r in result.rows}


def problems(result, severity=Severity.ERROR):
    return sorted((f.row, f.column, f.code) for f in result.findings if f.severity == severity)


MESSY = [
    ["P001", "03/31/2026", "99213", "E11.9", "$1,234.50", "C100"],  # 2: good
    ["P002", "3/31/26", "80053", "", "(45.00)", "C101"],  # 3: negative amount
    ["", "", "", "", "", ""],  # 4: blank
    ["P404", "2026-03-31", "99213", "", "180.00", "C102"],  # 5: unknown patient
    ["P001", "13/45/2026", "99213", "", "180.00", "C103"],  # 6: bad date
    ["P001", "03/02/2026", "99213", "", "180.00", "C001"],  # 7: already in the book
    ["P003", "Mar 31 2026", "80053", "R51", "45.00", "C104"],  # 8: good
    ["P002", "03/09/2026", "80053", "", "999.00", "C002"],  # 9: C002 exists, other amount
    ["Total", "", "", "", "$1,639.50", ""],  # 10: totals
]


def test_a_messy_export_appends_exactly_the_valid_rows_and_says_why_for_the_rest():
    result = plan(MESSY)
    assert result.header_row == 1
    assert outcomes(result) == {
        2: ("appended", "C100"),
        3: ("rejected", "C101"),
        5: ("rejected", "C102"),
        6: ("rejected", "C103"),
        7: ("already present", "C001"),
        8: ("appended", "C104"),
        9: ("rejected", "C002"),
        10: ("ignored", None),
    }
    assert result.blank_rows == 1
    assert problems(result) == [
        (3, "Billed Amt", "negative_amount"),
        (5, "Acct #", "unknown_reference"),
        (6, "DOS", "wrong_type"),
        (9, "Charge ID", "conflicts_with_existing"),
    ]
    assert problems(result, Severity.WARNING) == [(10, None, "totals_row")]
    assert problems(result, Severity.INFO) == [(7, None, "already_present")]
    assert [r["ChargeID"] for r in result.appends] == ["C100", "C104"]
    first = result.appends[0]
    assert first["Amount"] == Decimal("1234.50")
    assert first["ServiceDate"] == dt.date(2026, 3, 31)
    assert first["Diagnoses"] == "E11.9"
    assert not result.may_write(skip_invalid=False)
    assert result.may_write(skip_invalid=True)


def test_reasons_name_the_export_row_and_column_and_never_cell_values():
    result = plan(MESSY)
    by_row = {f.row: f for f in result.findings if f.severity == Severity.ERROR}
    assert by_row[3].message == "Amount is negative; amounts are entered positive."
    assert by_row[5].message == "PatientID P404 is not a PatientID on the Patients sheet."
    assert by_row[6].message == "ServiceDate is not a date."
    assert by_row[9].message == (
        "ChargeID C002 is already in the workbook (Charges row 3) with a different Amount; "
        "paxl never changes an existing row."
    )
    assert "999" not in by_row[9].message
    assert all(f.sheet == "export.csv" for f in result.findings)


def test_the_rejects_list_holds_each_rejected_row_and_the_totals_row():
    rejects = plan(MESSY).rejects()
    assert [(f.row, f.code) for f in rejects] == [
        (3, "negative_amount"),
        (5, "unknown_reference"),
        (6, "wrong_type"),
        (9, "conflicts_with_existing"),
        (10, "totals_row"),
    ]


def test_importing_the_appended_rows_again_adds_nothing():
    first = plan(MESSY)
    again = plan(MESSY, the_book=book(Charges=[dict(r) for r in first.appends]))
    assert again.appends == ()
    assert again.audit is None
    assert again.count(Outcome.PRESENT) == 3  # C100, C104 and C001
    assert again.count(Outcome.APPENDED) == 0


def test_an_audit_row_records_who_imported_how_many_rows_from_which_file():
    audit = plan(MESSY).audit
    assert audit == {
        "At": NOW,
        "Who": "rep7",
        "Action": "Import",
        "Table": "Charges",
        "Rows": 2,
        "Detail": "import from export.csv",
    }
    assert plan(MESSY).append_records()["Audit"] == [audit]


def test_the_header_may_sit_below_title_rows():
    rows = [["P001", "03/31/2026", "99213", "", "10.00", "C100"]]
    result = plan_import(
        book(),
        export(rows, title=[["Charge detail report"], ["Printed 04/30/2026"], []]),
        "Charges",
        as_of=NOW.date(),
        now=NOW,
        user="rep7",
    )
    assert result.header_row == 4
    assert outcomes(result) == {5: ("appended", "C100")}


def test_without_a_recognisable_header_the_import_stops():
    result = plan([["x", "y"]], header=["Colour", "Size"])
    assert result.stopped and result.header_row is None
    assert [f.code for f in result.findings] == ["no_header"]
    assert not result.may_write(skip_invalid=True)


def test_a_required_column_missing_from_the_export_stops_the_import():
    result = plan([["P001", "10.00"]], header=["Acct #", "Billed Amt"])
    assert result.stopped
    assert {f.column for f in result.findings if f.code == "unmapped_required"} == {
        "ChargeID",
        "ServiceDate",
        "Code",
    }
    assert result.rows == () and not result.may_write(skip_invalid=True)


def test_a_repeated_id_within_the_export_rejects_the_second_row():
    rows = [
        ["P001", "03/31/2026", "99213", "", "10.00", "C100"],
        ["P002", "03/31/2026", "99213", "", "10.00", "C100"],
    ]
    result = plan(rows)
    assert outcomes(result) == {2: ("appended", "C100"), 3: ("rejected", "C100")}
    assert problems(result) == [(3, "Charge ID", "duplicate_id")]


def test_a_totals_row_may_say_total_in_its_id_column():
    rows = [["Grand Total:", "", "", "", "$10.00", ""], ["Total", "", "", "", "5", "CX"]]
    result = plan(rows)
    assert outcomes(result)[2] == ("ignored", None)
    assert outcomes(result)[3][0] == "rejected"  # it has an ID of its own: a record, and bad


PAYMENTS_HEADER = ["Pmt Date", "MRN", "Paid By", "Pay Type", "Check #", "Amt", "Applied To"]


def pay(rows, the_book=None, **options):
    mapping = ColumnMapping(
        "Payments",
        (("Applied To", "ChargeID"),),
    )
    return plan(
        rows,
        table="Payments",
        the_book=the_book,
        header=PAYMENTS_HEADER,
        mapping=mapping,
        defaults={"Kind": "Payment"},
        **options,
    )


def test_payments_get_new_ids_after_the_book_s_own_and_the_import_stamp():
    rows = [
        ["04/20/2026", "P002", "Self Pay", "VISA", "AUTH77", "$20.00", ""],
        ["04/21/2026", "P003", "Patient", "Check", "1001", "15.00", ""],
    ]
    result = pay(rows)
    assert [(r["PaymentID"], r["Payer"], r["Method"]) for r in result.appends] == [
        ("PAY003", "Patient", "Card"),
        ("PAY004", "Patient", "Check"),
    ]
    assert {(r["PostedBy"], r["PostedAt"]) for r in result.appends} == {("rep7", NOW)}
    assert result.appends[0]["Kind"] == "Payment"


def test_new_ids_are_numbered_over_the_appended_rows_only():
    rows = [
        ["04/20/2026", "P002", "Patient", "Cash", "", "20.00", ""],
        ["04/20/2026", "P404", "Patient", "Cash", "", "20.00", ""],
        ["04/22/2026", "P003", "Patient", "Cash", "", "5.00", ""],
    ]
    result = pay(rows)
    assert [(r.row, str(r.outcome)) for r in result.rows] == [
        (2, "appended"),
        (3, "rejected"),
        (4, "appended"),
    ]
    assert [r["PaymentID"] for r in result.appends] == ["PAY003", "PAY004"]


def test_a_payment_already_posted_under_another_id_is_found_by_its_natural_key():
    rows = [["04/01/2026", "P001", "ACME-PPO", "EFT", "TRN123", "96.00", "C001"]]
    result = pay(rows)
    assert outcomes(result) == {2: ("already present", "PAY001")}
    finding = next(f for f in result.findings if f.code == "already_present")
    assert "same patient, payer, reference, amount and date" in finding.message
    assert "PaymentID PAY001" in finding.message


def test_equal_payments_count_one_for_one_so_two_cash_payments_stay_two():
    cash = ["04/20/2026", "P002", "Patient", "Cash", "", "20.00", ""]
    first = pay([cash, cash])
    assert first.count(Outcome.APPENDED) == 2
    once = book(Payments=[dict(first.appends[0])])
    second = pay([cash, cash], the_book=once)
    assert outcomes(second) == {
        2: ("already present", "PAY003"),
        3: ("appended", "PAY004"),
    }
    both = book(Payments=[dict(r) for r in first.appends])
    assert pay([cash, cash], the_book=both).count(Outcome.APPENDED) == 0


def test_a_payment_on_another_patient_s_charge_is_rejected():
    rows = [["04/21/2026", "P003", "Patient", "Check", "1001", "15.00", "C001"]]
    result = pay(rows)
    assert problems(result) == [(2, "Applied To", "charge_patient_mismatch")]
