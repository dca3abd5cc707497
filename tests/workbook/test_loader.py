"""The file loader: hand-made workbooks → typed tables, Policy and problems at the right cells."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pandas as pd
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from addin.core.findings import Severity
from addin.errors import PaxlError
from addin.workbook.loader import load_book, read_book, table_sheets
from addin.workbook.sample import generate_sample
from addin.workbook.schema import TABLES, TABLES_BY_NAME
from addin.workbook.template import write_workbook


def where(findings):
    return [(f.code, f.sheet, f.row, f.column) for f in findings]


def errors(findings):
    return [f for f in findings if f.severity is Severity.ERROR]


def test_a_good_workbook_loads_with_no_problems(make_workbook, records):
    book, findings = read_book(make_workbook(records))
    assert findings == []
    assert set(book.tables) == {t.name for t in TABLES}
    assert len(book["Patients"]) == 3
    assert list(book["Audit"].columns[-2:]) == ["_sheet", "_row"]


def test_values_are_typed_by_the_schema(make_workbook, records):
    book, _ = read_book(make_workbook(records))
    patients, payments = book["Patients"], book["Payments"]
    assert patients["ZIP"].iloc[0] == "02134"
    assert patients["DOB"].iloc[0] == pd.Timestamp("1980-05-17")
    assert patients["MonthlyIncome"].iloc[0] == 420000
    assert str(patients["MonthlyIncome"].dtype) == "Int64"
    assert patients["HouseholdSize"].iloc[0] == 3
    assert pd.isna(patients["HouseholdSize"].iloc[1])
    assert payments["Amount"].tolist() == [9600, 2000]
    assert payments["PostedAt"].iloc[1] == pd.Timestamp("2026-04-15 10:30")
    assert book["Plans"]["Coinsurance"].iloc[0] == Decimal("0.2")
    assert book["Fees"]["DeductibleApplies"].tolist()[1] is True
    assert book["Payments"]["_row"].tolist() == [2, 3]
    assert book["Payments"]["_sheet"].tolist() == ["Payments", "Payments"]


def test_ids_typed_as_numbers_read_as_text(make_workbook, records):
    records["Patients"][0]["PatientID"] = 1001
    records["Charges"][0]["PatientID"] = 1001
    records["Payments"][0]["PatientID"] = 1001
    records["Adjustments"][0]["PatientID"] = 1001
    records["Coverage"][0]["PatientID"] = 1001
    records["Statements"][0]["PatientID"] = 1001
    records["Patients"][2]["Guarantor"] = 1001
    records["Fees"][0]["Code"] = 99213
    book, findings = read_book(make_workbook(records))
    assert findings == []
    assert book["Patients"]["PatientID"].iloc[0] == "1001"
    assert book["Charges"]["PatientID"].iloc[0] == "1001"
    assert book["Fees"]["Code"].iloc[0] == "99213"


def test_dates_typed_as_excel_serial_numbers_are_dates(make_workbook, records):
    records["Charges"][0]["ServiceDate"] = 46083  # a plain number, no date format
    records["Contacts"][0]["ContactedAt"] = 46083.75
    book, findings = read_book(make_workbook(records))
    assert findings == []
    assert book["Charges"]["ServiceDate"].iloc[0] == pd.Timestamp("2026-03-02")
    assert book["Contacts"]["ContactedAt"].iloc[0] == pd.Timestamp("2026-03-02 18:00")


def test_blank_rows_are_ignored_and_rows_keep_their_excel_row(make_workbook, records):
    records["Payments"].insert(1, {})
    records["Payments"].append({})
    book, findings = read_book(make_workbook(records))
    assert findings == []
    assert book["Payments"]["PaymentID"].tolist() == ["PAY001", "PAY002"]
    assert book["Payments"]["_row"].tolist() == [2, 4]


def test_an_empty_excel_table_has_no_rows(make_workbook):
    book, findings = read_book(make_workbook({}))
    assert findings == []
    assert all(len(frame) == 0 for frame in book.tables.values())


def test_a_table_continues_on_numbered_sheets(make_workbook, records):
    more = [
        {**records["Payments"][1], "PaymentID": f"PAY1{i:02d}", "Amount": Decimal(i)}
        for i in range(1, 4)
    ]
    more[1]["Kind"] = "Gift"
    path = make_workbook(
        {**records, "Payments_3": more[2:], "Payments_2": [more[0], {}, more[1]]},
    )
    book, findings = read_book(path)
    payments = book["Payments"]
    assert payments["PaymentID"].tolist() == ["PAY001", "PAY002", "PAY101", "PAY102", "PAY103"]
    assert payments["_sheet"].tolist() == ["Payments"] * 2 + ["Payments_2"] * 2 + ["Payments_3"]
    assert payments["_row"].tolist() == [2, 3, 2, 4, 2]
    assert where(findings) == [("not_allowed", "Payments_2", 4, "Kind")]


def test_table_sheets_are_ordered_by_number_and_need_the_first():
    names = ["Home", "Payments_10", "payments", "Payments_2", "Payments_x", "PaymentPlans"]
    assert table_sheets(names, "Payments") == ["payments", "Payments_2", "Payments_10"]
    assert table_sheets(["Payments_2"], "Payments") == []


def test_duplicate_ids_across_continuation_sheets_name_both_sheets(make_workbook, records):
    path = make_workbook({**records, "Payments_2": [records["Payments"][0]]})
    _, findings = read_book(path)
    [finding] = findings
    assert where([finding]) == [("duplicate_id", "Payments_2", 2, "PaymentID")]
    assert "Payments row 2" in finding.message


def test_header_below_a_title_and_columns_in_any_order(make_workbook, records):
    header = list(reversed(TABLES[0].column_names))
    rows = [["Patients (exported)"], [], header]
    rows += [[r.get(h) for h in header] for r in records.pop("Patients")]
    path = make_workbook(records, omit=["Patients"], raw_sheets={"Patients": rows})
    book, findings = read_book(path)
    assert findings == []
    assert book["Patients"]["PatientID"].tolist() == ["P001", "P002", "P003"]
    assert book["Patients"]["_row"].tolist() == [4, 5, 6]


def test_headers_match_ignoring_case_and_spaces(make_workbook, records):
    names = [" patientid", *TABLES[0].column_names[1:]]
    rows = [{" patientid": r.pop("PatientID"), **r} for r in records["Patients"]]
    path = make_workbook({**records, "Patients": rows}, headers={"Patients": names})
    book, findings = read_book(path)
    assert findings == []
    assert book["Patients"]["PatientID"].tolist() == ["P001", "P002", "P003"]


def test_an_unknown_column_is_a_warning_and_ignored(make_workbook, records):
    names = [*TABLES[0].column_names, "Nickname"]
    records["Patients"][0]["Nickname"] = "Annie"
    book, findings = read_book(make_workbook(records, headers={"Patients": names}))
    assert where(findings) == [("unknown_column", "Patients", 1, "Nickname")]
    assert findings[0].severity is Severity.WARNING
    assert "Nickname" not in book["Patients"].columns


def test_a_missing_column_is_one_error_and_its_cells_are_blank(make_workbook, records):
    names = [c for c in TABLES[0].column_names if c != "AccountStatus"]
    book, findings = read_book(make_workbook(records, headers={"Patients": names}))
    assert where(findings) == [("missing_column", "Patients", 1, "AccountStatus")]
    assert book["Patients"]["AccountStatus"].isna().all()


def test_a_missing_table_is_one_error(make_workbook, records):
    del records["Plans"]
    _, findings = read_book(make_workbook(records, omit=["Plans"]))
    assert where(findings) == [("missing_table", "Plans", None, None)]


def test_a_table_on_a_renamed_sheet_is_found_by_its_excel_table_name(make_workbook, records):
    fees = records.pop("Fees")
    path = make_workbook(
        {**records, "Charge master": fees},
        omit=["Fees"],
        headers={"Charge master": TABLES_BY_NAME["Fees"].column_names},
        table_names={"Charge master": "Fees"},
    )
    book, findings = read_book(path)
    assert findings == []
    assert book["Fees"]["Code"].tolist() == ["99213", "80053"]
    assert book["Fees"]["_sheet"].tolist() == ["Charge master"] * 2
    assert book["Fees"]["_row"].tolist() == [2, 3]


def test_a_sheet_without_the_header_is_reported(make_workbook, records):
    records.pop("Audit")
    path = make_workbook(records, omit=["Audit"], raw_sheets={"Audit": [["who knows"], [1, 2]]})
    _, findings = read_book(path)
    assert where(findings) == [("missing_header", "Audit", 1, None)]


def test_cells_of_the_wrong_type_are_blank_and_reported_without_their_value(make_workbook, records):
    records["Patients"][1]["DOB"] = "Chen"
    records["Payments"][1]["Amount"] = "twenty"
    records["Payments"][0]["Amount"] = Decimal("96.005")
    records["Charges"][0]["Units"] = 1.5
    records["Fees"][0]["DeductibleApplies"] = "maybe"
    records["Plans"][0]["Coinsurance"] = "a fifth"
    book, findings = read_book(make_workbook(records))
    assert sorted(where(findings)) == [
        ("wrong_type", "Charges", 2, "Units"),
        ("wrong_type", "Fees", 2, "DeductibleApplies"),
        ("wrong_type", "Patients", 3, "DOB"),
        ("wrong_type", "Payments", 2, "Amount"),
        ("wrong_type", "Payments", 3, "Amount"),
        ("wrong_type", "Plans", 2, "Coinsurance"),
    ]
    assert pd.isna(book["Patients"]["DOB"].iloc[1])
    assert book["Payments"]["Amount"].isna().all()
    text = " ".join(f.message + f.fix for f in findings)
    for secret in ("Chen", "twenty", "96.005", "a fifth", "maybe"):
        assert secret not in text


def test_enum_values_are_normalised_to_the_schema_spelling(make_workbook, records):
    records["Payments"][1]["Kind"] = "payment"
    records["Payments"][1]["Payer"] = "PATIENT"
    book, findings = read_book(make_workbook(records))
    assert findings == []
    assert book["Payments"]["Kind"].iloc[1] == "Payment"
    assert book["Payments"]["Payer"].iloc[1] == "Patient"


def test_messages_carry_ids_and_rows_but_no_patient_data(make_workbook, records):
    records["Patients"][0]["AccountStatus"] = "Rivera"
    records["Patients"][1]["LastName"] = None
    records["Payments"][0]["Amount"] = Decimal("-96.00")
    _, findings = read_book(make_workbook(records))
    text = " ".join(f.message + " " + f.fix for f in findings)
    assert len(findings) == 3
    for secret in ("Rivera", "Chen", "Li", "1980", "96"):
        assert secret not in text


# --- Policy ---------------------------------------------------------------------------------


def test_policy_settings_are_read_typed(make_workbook):
    path = make_workbook(
        policy={
            "statement_cycle_days": 45,
            "statement_minimum": Decimal("7.50"),
            "income_cap_hospital": Decimal("0.05"),
            "nonprofit_hospital": True,
            "practice_name": "Riverside Clinic",
            "call_window_start": dt.time(9, 0),
        }
    )
    book, findings = read_book(path)
    assert findings == []
    assert book.policy["statement_cycle_days"] == 45
    assert book.policy["statement_minimum"] == Decimal("7.50")
    assert book.policy["income_cap_hospital"] == Decimal("0.05")
    assert book.policy["nonprofit_hospital"] is True
    assert book.policy["practice_name"] == "Riverside Clinic"
    assert book.policy["call_window_start"] == "09:00"
    assert book.policy["due_days"] == 21


def test_a_blank_policy_setting_takes_its_default_with_a_warning(make_workbook):
    book, findings = read_book(make_workbook(policy={"due_days": None}))
    assert book.policy["due_days"] == 21
    [finding] = findings
    assert (finding.code, finding.severity, finding.column) == (
        "policy_default",
        Severity.WARNING,
        "due_days",
    )
    assert finding.sheet == "Policy" and finding.row is not None


def test_a_policy_setting_of_the_wrong_type_is_an_error_and_the_default_is_used(make_workbook):
    book, findings = read_book(make_workbook(policy={"aging_1": "thirty"}))
    assert book.policy["aging_1"] == 30
    assert [(f.code, f.severity, f.column) for f in findings] == [
        ("wrong_type", Severity.ERROR, "aging_1")
    ]
    assert "Policy!B" in findings[0].message


def test_policy_tables_are_read(make_workbook):
    book, _ = read_book(make_workbook())
    guidelines = book.policy_tables["PovertyGuidelines"]
    assert guidelines["Year"].tolist() == [2025, 2026]
    assert guidelines["Base"].tolist() == [1565000, 1596000]
    assert book.policy_tables["AssistanceTiers"]["Discount"].tolist()[0] == Decimal("1")


def test_policy_tables_are_found_by_header_without_excel_tables(make_workbook):
    book, findings = read_book(make_workbook(excel_tables=False))
    assert findings == []
    assert book.policy_tables["PovertyGuidelines"]["PerExtraPerson"].tolist() == [550000, 568000]
    assert book.policy_tables["AssistanceTiers"]["_row"].tolist() == [2, 3, 4, 5]


def test_a_workbook_without_policy_uses_the_defaults_with_one_warning(make_workbook):
    book, findings = read_book(make_workbook(policy_sheet=False))
    assert where(findings) == [("policy_default", "Policy", None, None)]
    assert book.policy["aging_4"] == 120
    assert len(book.policy_tables["AssistanceTiers"]) == 4


# --- load_book and unreadable files ---------------------------------------------------------


def test_load_book_returns_the_book_when_there_are_only_warnings(make_workbook, records):
    book = load_book(make_workbook(records, policy={"due_days": None}))
    assert len(book["Charges"]) == 2


def test_load_book_refuses_a_workbook_with_errors_and_says_where(make_workbook, records):
    records["Payments"][1]["PatientID"] = "P404"
    records["Charges"][0]["Amount"] = None
    records["Patients"][2]["LastName"] = None
    with pytest.raises(PaxlError) as caught:
        load_book(make_workbook(records))
    message = str(caught.value)
    assert "book.xlsx has 3 problems" in message
    assert "Charges, row 2, Amount: Amount is blank" in message
    assert "Patients, row 4, LastName" in message
    assert "Payments, row 3, PatientID: PatientID P404 is not" in message
    assert ".;" not in message and ".." not in message
    assert "paxl validate" in message


def test_read_book_does_not_change_the_file(make_workbook, records):
    path = make_workbook(records)
    before = path.read_bytes()
    read_book(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("random.xlsx", bytes(range(256)) * 8, "is not an Excel workbook"),
        ("data.xlsx", b"PatientID,LastName\nP1,Smith\n", "is not an Excel workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old .xls format"),
        ("cut.xlsx", b"PK\x03\x04" + bytes(100), "is damaged"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_one_clear_error(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PaxlError, match=expected):
        read_book(path)


def test_a_zip_that_is_not_a_workbook_is_one_clear_error(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(PaxlError, match="is not an Excel workbook"):
        read_book(path)


def test_a_missing_file_or_a_folder_is_one_clear_error(tmp_path):
    with pytest.raises(PaxlError, match="does not exist"):
        read_book(tmp_path / "nope.xlsx")
    with pytest.raises(PaxlError, match="is a folder"):
        read_book(tmp_path)


@pytest.fixture
def encrypted(make_workbook, records, tmp_path):
    plain = make_workbook(records)
    path = tmp_path / "locked.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("s3cret", target)
    return path


def test_an_encrypted_workbook_opens_with_its_password(encrypted, tmp_path):
    files_before = sorted(p.name for p in tmp_path.iterdir())
    book, findings = read_book(encrypted, password="s3cret")
    assert findings == []
    assert book["Patients"]["PatientID"].tolist() == ["P001", "P002", "P003"]
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before  # nothing decrypted to disk


def test_an_encrypted_workbook_needs_the_right_password(encrypted):
    with pytest.raises(PaxlError, match="password-protected"):
        read_book(encrypted)
    with pytest.raises(PaxlError, match=r"password .* is wrong"):
        read_book(encrypted, password="guess")


def test_a_password_given_for_a_plain_workbook_is_ignored(make_workbook, records):
    book, _ = read_book(make_workbook(records), password="unused")
    assert len(book["Patients"]) == 3


def test_an_xlsm_with_a_bad_sheet_part_is_damaged_not_a_traceback(make_workbook, records):
    path = make_workbook(records)
    damaged = path.with_name("damaged.xlsm")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    with pytest.raises(PaxlError, match="damaged"):
        read_book(damaged)


# --- the synthetic sample -------------------------------------------------------------------


def test_a_clean_sample_loads_with_no_problems(tmp_path):
    path = tmp_path / "sample.xlsx"
    sample = generate_sample(20, 11)
    write_workbook(path, sample.records)
    book, findings = read_book(path)
    assert findings == []
    for name, rows in sample.records.items():
        assert len(book[name]) == len(rows), name


def test_mistakes_injected_into_a_sample_are_found_at_their_cells(tmp_path):
    path = tmp_path / "sample.xlsx"
    sample = generate_sample(20, 11, with_errors=True)
    write_workbook(path, sample.records)
    _, findings = read_book(path)
    codes = {"unknown_patient": "unknown_reference", "negative_amount": "negative_amount"}
    expected = {
        (codes[i.kind], i.table, i.row, i.column) for i in sample.injected if i.kind in codes
    }
    assert {kind for kind in codes} <= {i.kind for i in sample.injected}
    assert expected <= set(where(findings))
    # the other injected kinds (future date, malformed ICD-10, repeated reference) are valid
    # cells for the validator; `paxl audit` reports them. A posting for an unknown patient may
    # also name a charge of a known patient: that is reported too.
    assert {f.code for f in errors(findings)} <= set(codes.values()) | {"charge_patient_mismatch"}


def test_a_workbook_already_open_reads_as_from_its_path(make_workbook, records):
    from addin.workbook.loader import load_open_book, read_open_book
    from addin.workbook.xlsx_file import open_xlsx

    records["Payments"][0]["Amount"] = "lots"  # one problem, found either way
    path = make_workbook(records)
    book, findings = read_book(path)
    with open_xlsx(path) as xlsx:
        same, same_findings = read_open_book(xlsx, source=str(path))
    assert same_findings == findings and len(findings) == 1
    assert same.source == book.source and same.policy == book.policy
    for name, frame in book.tables.items():
        pd.testing.assert_frame_equal(same.tables[name], frame)
    with open_xlsx(path) as xlsx, pytest.raises(PaxlError, match=r"1 problem.*Payments"):
        load_open_book(xlsx, source=path)
