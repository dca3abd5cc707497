"""Export headers → table columns: names, synonyms, saved mappings, and the problems they raise."""

from __future__ import annotations

import pytest

from addin.core.findings import Severity
from addin.errors import PaxlError
from addin.workbook.column_mapping import (
    SYNONYMS,
    TABLE_SYNONYMS,
    ColumnMapping,
    mapping_from_json,
    name_index,
    normalise_header,
    resolve_mapping,
)
from addin.workbook.schema import TABLES


def mapped(table, headers, **options):
    mapping, findings = resolve_mapping(table, headers, **options)
    return dict(mapping.columns), findings


def codes(findings):
    return [(f.code, f.column) for f in findings]


@pytest.mark.parametrize("header", ["Acct #", "Acct No", "Acct No.", "Account Number", "AcctNo"])
def test_spellings_of_account_number_normalise_alike(header):
    assert normalise_header(header) == "accountnumber"


def test_a_realistic_charges_export_maps_by_synonym():
    headers = ["Acct #", "DOS", "CPT Code", "Dx", "Billed Amt", "Charge ID", "Rendering Provider"]
    columns, findings = mapped("Charges", headers)
    assert columns == {
        "Acct #": "PatientID",
        "DOS": "ServiceDate",
        "CPT Code": "Code",
        "Dx": "Diagnoses",
        "Billed Amt": "Amount",
        "Charge ID": "ChargeID",
        "Rendering Provider": "Provider",
    }
    assert findings == []


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("MRN", "PatientID"),
        ("Account #", "PatientID"),
        ("Date of Service", "ServiceDate"),
        ("CPT", "Code"),
        ("Procedure", "Code"),
        ("ICD10", "Diagnoses"),
        ("ICD-10-CM", "Diagnoses"),
        ("Amt", "Amount"),
        ("Charge Amount", "Amount"),
        ("Units", "Units"),
        ("Qty", "Units"),
    ],
)
def test_charges_synonyms(header, column):
    columns, _ = mapped("Charges", [header])
    assert columns[header] == column


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Pmt Date", "Date"),
        ("Check #", "Reference"),
        ("Ref", "Reference"),
        ("Amt", "Amount"),
        ("Payment Amount", "Amount"),
        ("Acct No", "PatientID"),
        ("Payor", "Payer"),
        ("Pay Type", "Method"),
        ("Receipt #", "PaymentID"),
    ],
)
def test_payments_synonyms(header, column):
    columns, _ = mapped("Payments", [header])
    assert columns[header] == column


def test_the_same_word_means_different_columns_in_different_tables():
    assert mapped("Charges", ["Date"])[0]["Date"] == "ServiceDate"
    assert mapped("Payments", ["Date"])[0]["Date"] == "Date"
    assert mapped("Fees", ["Fee"])[0]["Fee"] == "Charge"
    assert mapped("Charges", ["Fee"])[0]["Fee"] == "Amount"


def test_no_name_means_two_columns_of_one_table():
    for table in TABLES:
        index = name_index(table)
        for column in table.columns:
            names = (
                column.name,
                *SYNONYMS.get(column.name, ()),
                *TABLE_SYNONYMS.get((table.name, column.name), ()),
            )
            for name in names:
                assert index[normalise_header(name)][0] == column.name, (table.name, name)


def test_a_column_own_name_beats_a_synonym_and_the_other_is_ignored_with_a_warning():
    columns, findings = mapped("Charges", ["Billed Amt", "Amount", "Acct #", "ChargeID"])
    assert columns["Amount"] == "Amount"
    assert columns["Billed Amt"] is None
    warning = next(f for f in findings if f.column == "Billed Amt")
    assert warning.code == "ignored_column" and warning.severity == Severity.WARNING
    assert '"Amount" is used' in warning.message


def test_two_equally_likely_headers_are_an_error_naming_both():
    _, findings = mapped("Charges", ["DOS", "dos", "Acct #", "Amount", "CPT", "Charge ID"])
    error = next(f for f in findings if f.code == "ambiguous_column")
    assert error.severity == Severity.ERROR and error.column == "ServiceDate"
    assert '"DOS" and "dos"' in error.message
    assert "mapping" in error.fix


def test_numbered_diagnosis_columns_all_feed_diagnoses():
    mapping, findings = resolve_mapping("Charges", ["Dx1", "Dx 2", "ICD 3", "Acct #"])
    assert mapping.feeds()["Diagnoses"] == ("Dx1", "Dx 2", "ICD 3")
    assert not [f for f in findings if f.code == "ambiguous_column"]


def test_a_required_column_no_header_feeds_is_an_error_unless_paxl_fills_it():
    _, findings = mapped("Payments", ["MRN", "Amt"], sheet="pay.csv", header_row=1)
    missing = {f.column for f in findings if f.code == "unmapped_required"}
    assert missing == {"PaymentID", "Date", "Payer", "Kind", "Method"}
    error = next(f for f in findings if f.column == "Kind")
    assert (error.sheet, error.row) == ("pay.csv", 1)
    assert "--set Kind=" in error.fix
    _, findings = mapped(
        "Payments",
        ["MRN", "Amt", "Pmt Date", "Paid By", "Method"],
        defaults={"Kind": "Payment"},
        optional=("PaymentID",),
    )
    assert [f for f in findings if f.severity == Severity.ERROR] == []


def test_headers_that_fit_nothing_are_ignored_with_a_warning():
    _, findings = mapped("Charges", ["Acct #", "Front desk note", ""])
    assert ("ignored_column", "Front desk note") in codes(findings)
    assert all(f.column for f in findings)  # the blank header is not mentioned


def test_a_saved_mapping_decides_first_and_null_ignores():
    saved = ColumnMapping(
        "Charges", (("Ref No", "ChargeID"), ("DOS", None), ("Visit date", "ServiceDate"))
    )
    columns, findings = mapped("Charges", ["Ref No", "DOS", "Visit Date", "Acct #"], saved=saved)
    assert columns == {
        "Ref No": "ChargeID",
        "DOS": None,
        "Visit Date": "ServiceDate",  # matched ignoring case and spaces
        "Acct #": "PatientID",
    }
    assert ("ignored_column", "DOS") not in codes(findings)  # the rep said so


def test_a_saved_mapping_naming_a_header_the_export_lacks_is_a_warning():
    saved = ColumnMapping("Charges", (("Old header", "ChargeID"),))
    _, findings = mapped("Charges", ["Acct #"], saved=saved)
    assert ("mapping_unused", "Old header") in codes(findings)


def test_a_saved_mapping_for_another_table_is_refused():
    with pytest.raises(PaxlError, match="for the Payments table, not Charges"):
        resolve_mapping("Charges", ["Acct #"], saved=ColumnMapping("Payments", ()))


def test_mapping_files_round_trip_through_json():
    mapping = ColumnMapping(
        "Payments",
        (("Acct #", "PatientID"), ("Memo", None)),
        (("Kind", "Payment"),),
        (("Method", (("VISA", "Card"),)),),
    )
    assert mapping_from_json(mapping.to_json()) == mapping


def test_the_rep_s_value_words_join_the_built_in_ones():
    mapping = mapping_from_json(
        {"into": "Payments", "columns": {}, "values": {"Method": {"Lockbox": "Check"}}}
    )
    words = mapping.value_map("Method")
    assert words["lockbox"] == "Check" and words["visa"] == "Card"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "is not a paxl mapping"),
        ({"into": "Charges"}, "is not a paxl mapping"),
        ({"into": "Nope", "columns": {}}, '"into"'),
        ({"into": "Charges", "columns": {"A": "Colour"}}, "does not have: Colour"),
        ({"into": "Charges", "columns": {"A": ["x"]}}, "must be text"),
        ({"into": "Charges", "columns": {}, "defaults": {"Status": None}}, "must be text"),
    ],
)
def test_bad_mapping_files_are_refused_with_a_sentence(data, message):
    with pytest.raises(PaxlError, match=message):
        mapping_from_json(data, "map.json")


def test_setting_a_column_the_table_lacks_is_refused():
    with pytest.raises(PaxlError, match="no column Colour"):
        resolve_mapping("Charges", ["Acct #"], defaults={"Colour": "red"})
