"""The sample is realistic, deterministic, true to the schema, and its mistakes are known."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections import Counter, defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from addin.cli import main
from addin.core.audit import audit_book
from addin.core.expected import expected_payments, payment_variance_findings
from addin.core.findings import Severity
from addin.core.pricing import CONTRACT
from addin.errors import PaxlError
from addin.workbook.book import book_from_records
from addin.workbook.loader import read_book
from addin.workbook.sample import AS_OF, INJECTED_KINDS, generate_sample
from addin.workbook.sample_data import CITIES, FEES_BY_CODE, MALFORMED_DIAGNOSES
from addin.workbook.schema import TABLES, ColumnType
from addin.workbook.template import write_workbook

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # the package reads its data the old way
    import simple_icd_10_cm as icd

PATIENTS = 50
PRACTICE_ZONE = ZoneInfo("America/New_York")
EVENT_DATES = {  # columns holding something that happened (due dates may lie ahead)
    "Patients": ("DOB",),
    "Coverage": ("EffectiveFrom", "VerifiedOn"),
    "Charges": ("ServiceDate",),
    "Payments": ("Date", "PostedAt"),
    "Adjustments": ("Date", "PostedAt"),
    "PaymentPlans": ("Created",),
    "Statements": ("StatementDate",),
    "Contacts": ("ContactedAt",),
    "Audit": ("At",),
}
CPT_OR_HCPCS = re.compile(r"^(\d{5}|\d{4}[FTU]|[A-Z]\d{4})$")


@pytest.fixture(scope="module")
def sample():
    return generate_sample(PATIENTS, 1)


@pytest.fixture(scope="module")
def records(sample):
    return sample.records


@pytest.fixture(scope="module")
def faulty():
    return generate_sample(PATIENTS, 1, with_errors=True)


def _balances(records) -> dict[str, Decimal]:
    """Balance per guarantor account: charges − payments − adjustments + refunds."""
    account = {p["PatientID"]: p["Guarantor"] or p["PatientID"] for p in records["Patients"]}
    balance: dict[str, Decimal] = defaultdict(Decimal)
    for c in records["Charges"]:
        balance[account[c["PatientID"]]] += c["Amount"]
    for p in records["Payments"]:
        sign = 1 if p["Kind"] == "Refund" else -1
        balance[account[p["PatientID"]]] += sign * p["Amount"]
    for a in records["Adjustments"]:
        balance[account[a["PatientID"]]] -= a["Amount"]
    return balance


# --- determinism ---------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_sample(records):
    assert generate_sample(PATIENTS, 1).records == records


def test_a_different_seed_gives_a_different_sample(records):
    other = generate_sample(PATIENTS, 2).records
    assert other["Patients"] != records["Patients"]
    assert other["Charges"] != records["Charges"]


def test_as_of_moves_the_whole_sample(records):
    earlier = generate_sample(PATIENTS, 1, as_of=dt.date(2026, 3, 1)).records
    assert max(c["ServiceDate"] for c in earlier["Charges"]) < dt.date(2026, 3, 1)
    assert max(c["ServiceDate"] for c in records["Charges"]) >= dt.date(2026, 10, 1)


def test_patient_count_out_of_range_is_refused():
    with pytest.raises(PaxlError, match="--patients"):
        generate_sample(0, 1)


# --- consistency with the schema -----------------------------------------------------------------


def test_every_table_has_rows_with_only_schema_columns(records):
    for schema in TABLES:
        rows = records[schema.name]
        assert rows, schema.name
        for row in rows:
            assert set(row) <= set(schema.column_names), schema.name


def test_ids_are_unique_text_and_unique_combinations_hold(records):
    for schema in TABLES:
        rows = records[schema.name]
        if schema.key:
            keys = [row[schema.key] for row in rows]
            assert all(isinstance(k, str) for k in keys), schema.name
            assert len(set(keys)) == len(keys), schema.name
        for combo in schema.unique_together:
            values = [tuple(row[c] for c in combo) for row in rows]
            assert len(set(values)) == len(values), (schema.name, combo)


def test_required_values_are_present_and_enums_are_valid(records):
    for schema in TABLES:
        for i, row in enumerate(records[schema.name]):
            for column in schema.columns:
                value = row.get(column.name)
                if column.required:
                    assert value not in (None, ""), (schema.name, i + 2, column.name)
                if column.is_enum and value is not None:
                    assert str(value) in column.choices, (schema.name, i + 2, column.name, value)


def test_every_foreign_key_resolves(records):
    for schema in TABLES:
        for column in schema.columns:
            ref = column.references
            if ref is None:
                continue
            keys = {row[ref.column] for row in records[ref.table]} | set(ref.also)
            for row in records[schema.name]:
                value = row.get(column.name)
                assert value is None or value in keys, (schema.name, column.name, value)
    patients = {p["PatientID"] for p in records["Patients"]}
    assert all(p["Guarantor"] in patients for p in records["Patients"] if p["Guarantor"])


def test_values_have_their_column_types(records):
    expected = {
        ColumnType.TEXT: (str,),
        ColumnType.INTEGER: (int,),
        ColumnType.MONEY: (Decimal,),
        ColumnType.RATE: (Decimal,),
        ColumnType.DATE: (dt.date,),
        ColumnType.DATETIME: (dt.datetime,),
        ColumnType.BOOLEAN: (bool,),
    }
    for schema in TABLES:
        for row in records[schema.name]:
            for column in schema.columns:
                value = row.get(column.name)
                if value is not None:
                    assert isinstance(value, expected[column.type]), (schema.name, column.name)
                    if column.type is ColumnType.DATE:
                        assert type(value) is dt.date, (schema.name, column.name)


def test_money_is_exact_to_the_cent_and_entered_positive(records):
    for schema in TABLES:
        for column in schema.columns:
            if column.type is not ColumnType.MONEY:
                continue
            for row in records[schema.name]:
                value = row.get(column.name)
                if value is not None:
                    assert value.as_tuple().exponent == -2, (schema.name, column.name, value)
                    assert value >= 0, (schema.name, column.name, value)


def test_nothing_happens_after_the_as_of_date(records):
    for table, columns in EVENT_DATES.items():
        for row in records[table]:
            for column in columns:
                value = row.get(column)
                if value is not None:
                    day = value.date() if isinstance(value, dt.datetime) else value
                    assert day < AS_OF, (table, column, value)


def test_payment_references_are_unique(records):
    references = [p["Reference"] for p in records["Payments"]]
    assert all(references)
    assert len(set(references)) == len(references)


# --- realism -------------------------------------------------------------------------------------


def test_patients_have_us_addresses_with_matching_time_zones(records):
    zones = {c.state: c.time_zone for c in CITIES}
    for p in records["Patients"]:
        assert re.fullmatch(r"\d{5}", p["ZIP"])
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", p["Phone"] or "(000) 555-0100")
        assert p["Email"] is None or p["Email"].endswith("@example.com")
        assert p["TimeZone"] in (None, zones[p["State"]])
        if p["TimeZone"] is None:
            assert zones[p["State"]] == "America/New_York"  # blank = the practice's zone
        assert p["HouseholdSize"] >= 1


def test_children_answer_to_a_parent_patient_of_the_same_household(records):
    by_id = {p["PatientID"]: p for p in records["Patients"]}
    children = [p for p in records["Patients"] if p["Guarantor"]]
    assert children
    for child in children:
        parent = by_id[child["Guarantor"]]
        assert parent["Guarantor"] is None
        assert child["DOB"] > parent["DOB"]
        assert (child["Address1"], child["ZIP"]) == (parent["Address1"], parent["ZIP"])
        assert child["HouseholdSize"] == parent["HouseholdSize"] >= 2


def test_some_incomes_are_blank_and_some_patients_have_secondary_insurance(records):
    incomes = [p["MonthlyIncome"] for p in records["Patients"]]
    assert None in incomes
    assert sum(1 for i in incomes if i is not None) > PATIENTS // 2
    assert any(c["Rank"] == 2 for c in records["Coverage"])
    assert {p["PlanType"] for p in records["Plans"]} >= {
        "Commercial",
        "Medicare",
        "Medicaid",
        "Self-pay",
    }


def test_codes_have_cpt_or_hcpcs_shapes_and_diagnoses_are_billable_icd10(records):
    assert 40 <= len(records["Fees"]) <= 60
    for fee in records["Fees"]:
        assert CPT_OR_HCPCS.match(fee["Code"])
    diagnoses = {d for c in records["Charges"] for d in c["Diagnoses"].split(",")}
    for code in diagnoses:
        assert icd.is_valid_item(code) and icd.is_leaf(code), code
    for code in MALFORMED_DIAGNOSES:
        assert not icd.is_valid_item(code), code


def test_charge_amount_is_the_fee_times_the_units(records):
    fees = {f["Code"]: f["Charge"] for f in records["Fees"]}
    for c in records["Charges"]:
        assert c["Amount"] == fees[c["Code"]] * c["Units"]
        assert FEES_BY_CODE[c["Code"]].description == next(
            f["Description"] for f in records["Fees"] if f["Code"] == c["Code"]
        )


def test_contractual_adjustment_is_billed_minus_allowed_and_the_plan_pays_no_more(records):
    allowed = {(a["PlanID"], a["Code"]): a["Allowed"] for a in records["Allowed"]}
    primary = {
        c["PatientID"]: c["PlanID"]
        for c in records["Coverage"]
        if c["Rank"] == 1 and c["EffectiveTo"] is None
    }
    charges = {c["ChargeID"]: c for c in records["Charges"]}
    contractual = [a for a in records["Adjustments"] if a["Reason"] == "45"]
    assert contractual
    for adj in contractual:
        charge = charges[adj["ChargeID"]]
        line_allowed = allowed[primary[charge["PatientID"]], charge["Code"]] * charge["Units"]
        assert adj["Group"] == "CO"
        assert adj["Amount"] == charge["Amount"] - min(line_allowed, charge["Amount"])
    paid_by_plan: dict[str, Decimal] = defaultdict(Decimal)
    for p in records["Payments"]:
        if p["Payer"] != "Patient":
            paid_by_plan[p["ChargeID"]] += p["Amount"]
    written_off = defaultdict(Decimal)
    for a in contractual:
        written_off[a["ChargeID"]] += a["Amount"]
    for charge_id, paid in paid_by_plan.items():
        assert paid + written_off[charge_id] <= charges[charge_id]["Amount"]


def test_payments_include_insurers_patients_unapplied_and_refunds(records):
    payments = records["Payments"]
    payers = Counter("Patient" if p["Payer"] == "Patient" else "plan" for p in payments)
    assert payers["Patient"] > 0 and payers["plan"] > 0
    assert any(p["ChargeID"] is None and p["Payer"] == "Patient" for p in payments)
    assert any(p["Kind"] == "Refund" for p in payments)
    assert all(p["Method"] == "EFT" for p in payments if p["Payer"] != "Patient")


def test_some_accounts_are_in_credit_and_most_owe_or_are_settled(records):
    balances = _balances(records)
    assert any(b < 0 for b in balances.values())
    assert sum(1 for b in balances.values() if b >= 0) > len(balances) * 0.8


def test_statements_contacts_and_plans_are_logged(records):
    assert records["Statements"] and records["Contacts"] and records["PaymentPlans"]
    on_plan = {  # the guarantor accounts: a child shares its guarantor's status
        p["Guarantor"] or p["PatientID"]
        for p in records["Patients"]
        if p["AccountStatus"] == "Payment plan"
    }
    active = {p["PatientID"] for p in records["PaymentPlans"] if p["Status"] == "Active"}
    assert on_plan == active
    for plan in records["PaymentPlans"]:
        assert plan["Installment"] * (plan["Count"] - 1) < plan["Balance"]
        assert plan["FirstDue"] > plan["Created"]


def test_calls_happen_within_the_call_window_in_the_patients_own_zone(records):
    zones = {
        p["PatientID"]: ZoneInfo(p["TimeZone"] or "America/New_York") for p in records["Patients"]
    }
    calls = [c for c in records["Contacts"] if c["Channel"] == "Call"]
    assert calls
    for call in calls:
        local = (
            call["ContactedAt"].replace(tzinfo=PRACTICE_ZONE).astimezone(zones[call["PatientID"]])
        )
        assert 8 <= local.hour < 21, call


# --- insurers pay what the contract says ---------------------------------------------------------

CLEAN_PATIENTS = 60
#: what a clean sample may still show: real credits (a patient paid twice, a copay at the desk
#: that the secondary then covered)
CLEAN_WARNINGS = {"credit_balance", "overpaid_charge"}


@pytest.fixture(scope="module", params=(1, 2, 3), ids=lambda seed: f"seed{seed}")
def clean(request):
    sample = generate_sample(CLEAN_PATIENTS, request.param)
    return sample, book_from_records(sample.records)


def test_every_insurer_payment_in_a_clean_sample_is_what_the_core_expects(clean):
    _, book = clean
    expected = expected_payments(book.tables)
    assert {e.rank for e in expected} == {1, 2}  # primaries and secondaries are both checked
    assert all(e.allowed_source == CONTRACT for e in expected)
    assert [(e.charge_id, e.plan_id, e.paid, e.expected) for e in expected if e.difference] == []
    assert payment_variance_findings(expected) == []


def test_a_clean_sample_audits_without_errors_or_payment_variances(clean):
    sample, book = clean
    findings = audit_book(book, as_of=sample.as_of)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert {f.code for f in findings} <= CLEAN_WARNINGS


def test_the_written_sample_agrees_with_the_core_after_reading_it_back(sample_book, records):
    book, _ = read_book(sample_book)
    expected = expected_payments(book.tables)
    assert expected == expected_payments(book_from_records(records).tables)
    assert payment_variance_findings(expected) == []


def test_coverage_holds_what_was_used_in_the_benefit_year_before_the_sample(records):
    plans = {p["PlanID"]: p for p in records["Plans"]}
    active = [c for c in records["Coverage"] if c["EffectiveTo"] is None]
    partly_met = 0
    for row in active:
        plan = plans[row["PlanID"]]
        if plan["PlanType"] == "Self-pay":
            assert row["DeductibleMet"] is None and row["BenefitYear"] is None
            continue
        assert row["BenefitYear"] == AS_OF.year
        assert 0 <= row["DeductibleMet"] <= plan["Deductible"]
        assert row["DeductibleMet"] <= row["OOPUsed"] <= (plan["OOPMax"] or row["OOPUsed"])
        partly_met += 0 < row["DeductibleMet"] < plan["Deductible"]
        if row["Rank"] == 2:  # a secondary starts the sample with nothing used
            assert row["DeductibleMet"] == row["OOPUsed"] == 0
    assert partly_met


# --- injected mistakes ---------------------------------------------------------------------------


def test_the_clean_sample_has_no_injected_mistakes(sample):
    assert sample.injected == ()


def test_every_kind_of_mistake_is_injected_and_recorded(faulty):
    assert {m.kind for m in faulty.injected} == set(INJECTED_KINDS)
    records = faulty.records
    patients = {p["PatientID"] for p in records["Patients"]}
    for m in faulty.injected:
        row = records[m.table][m.row - 2]
        key = next(t.key for t in TABLES if t.name == m.table)
        assert row[key] == m.id
        value = row[m.column]
        if m.kind == "unknown_patient":
            assert value not in patients
        elif m.kind == "future_date":
            assert value > faulty.as_of
        elif m.kind == "negative_amount":
            assert value < 0
        elif m.kind == "malformed_icd10":
            assert any(not icd.is_valid_item(code) for code in value.split(","))
        elif m.kind == "duplicate_reference":
            same = [
                p
                for p in records["Payments"]
                if (p["Payer"], p["Reference"], p["Amount"])
                == (row["Payer"], row["Reference"], row["Amount"])
            ]
            assert len(same) == 2


def test_injecting_mistakes_leaves_the_rest_of_the_sample_unchanged(records, faulty):
    changed = {(m.table, m.row) for m in faulty.injected}
    for table, rows in records.items():
        faulty_rows = faulty.records[table]
        assert len(faulty_rows) >= len(rows)
        for i, row in enumerate(rows):
            if (table, i + 2) not in changed:
                assert faulty_rows[i] == row, (table, i + 2)


# --- the written workbook ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory, records):
    path = tmp_path_factory.mktemp("sample") / "sample.xlsx"
    write_workbook(path, records)
    return path


def test_the_written_sample_reads_back_with_the_right_row_counts(sample_book, records):
    book = openpyxl.load_workbook(sample_book, read_only=False)
    for schema in TABLES:
        sheet = book[schema.name]
        _, _, _, last = range_boundaries(sheet.tables[schema.name].ref)
        assert last - 1 == len(records[schema.name]), schema.name
        first = records[schema.name][0]
        key = schema.key or schema.column_names[0]
        assert sheet.cell(2, schema.column_names.index(key) + 1).value == first[key]


def test_a_clean_sample_loads_with_no_problems(sample_book, records):
    book, findings = read_book(sample_book)
    assert findings == []
    for schema in TABLES:
        assert len(book[schema.name]) == len(records[schema.name]), schema.name
    charges = book["Charges"]
    assert int(charges["Amount"].sum()) == sum(int(c["Amount"] * 100) for c in records["Charges"])


def test_the_loader_finds_injected_mistakes_at_the_recorded_rows(tmp_path, faulty):
    path = tmp_path / "faulty.xlsx"
    write_workbook(path, faulty.records)
    _, findings = read_book(path)
    found = {(f.sheet, f.row, f.column) for f in findings}
    for m in faulty.injected:
        if m.kind in ("unknown_patient", "negative_amount"):  # the others are audit findings
            assert (m.table, m.row, m.column) in found, m


def test_sample_command_writes_a_workbook_and_lists_the_mistakes(tmp_path, capsys):
    out = tmp_path / "demo.xlsx"
    assert main(["sample", "--patients", "12", "--seed", "3", "--with-errors", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Wrote" in printed
    for kind in INJECTED_KINDS:
        assert f"injected {kind}" in printed
    assert openpyxl.load_workbook(out).sheetnames[0] == "Home"


def test_sample_command_refuses_a_non_xlsx_output(tmp_path, capsys):
    assert main(["sample", "--patients", "5", "-o", str(tmp_path / "demo.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err
