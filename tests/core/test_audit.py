import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core.audit import audit_book
from addin.core.audit_charges import duplicate_charges
from addin.core.findings import Severity, sort_findings
from addin.workbook.book import book_from_records

AS_OF = dt.date(2026, 3, 31)


def patient(pid, *, dob="1980-04-02", guarantor=None, last="Smith"):
    return {
        "PatientID": pid,
        "LastName": last,
        "FirstName": "Pat",
        "DOB": dob,
        "AccountStatus": "Active",
        "Guarantor": guarantor,
    }


def charge(cid, pid="P1", *, date="2026-01-05", code="99213", amount="100.00", **extra):
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": date,
        "Code": code,
        "Diagnoses": "E11.9",
        "Amount": amount,
        **extra,
    }


def payment(pay_id, pid="P1", *, charge_id=None, amount="20.00", ref=None, payer="Patient", **x):
    return {
        "PaymentID": pay_id,
        "Date": "2026-02-01",
        "PatientID": pid,
        "ChargeID": charge_id,
        "Payer": payer,
        "Kind": "Payment",
        "Method": "Check" if payer == "Patient" else "EFT",
        "Reference": ref,
        "Amount": amount,
        **x,
    }


def adjustment(adj_id, pid="P1", *, charge_id=None, amount="10.00", **x):
    return {
        "AdjustmentID": adj_id,
        "Date": "2026-02-01",
        "PatientID": pid,
        "ChargeID": charge_id,
        "Kind": "Write-off",
        "Amount": amount,
        **x,
    }


FEES = [{"Code": "99213", "Charge": "100.00"}, {"Code": "36415", "Charge": "10.00"}]


def book(charges=(), payments=(), adjustments=(), patients=None, **tables):
    return book_from_records(
        {
            "Patients": list(patients or [patient("P1"), patient("P2")]),
            "Fees": tables.pop("Fees", FEES),
            "Charges": list(charges),
            "Payments": list(payments),
            "Adjustments": list(adjustments),
            **tables,
        }
    )


def audit(b, as_of=AS_OF):
    return audit_book(b, as_of=as_of)


def codes(findings):
    return [f.code for f in findings]


def only(findings, code):
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, findings
    return found[0]


# --- a clean book --------------------------------------------------------------------------------


def test_clean_book_has_no_findings():
    b = book(
        charges=[charge("C1"), charge("C2", "P2", code="36415", amount="20.00", Units=2)],
        payments=[payment("Y1", charge_id="C1", ref="1001")],
        adjustments=[adjustment("A1", "P2", charge_id="C2")],
    )
    assert audit(b) == []


# --- credit balances and overpaid lines ----------------------------------------------------------


def test_patient_paying_more_than_owed_has_a_credit_balance_on_the_patients_row():
    b = book(charges=[charge("C1")], payments=[payment("Y1", amount="150.00", ref="1001")])
    found = only(audit(b), "credit_balance")
    assert (found.severity, found.sheet, found.row, found.ids) == (
        Severity.WARNING,
        "Patients",
        2,
        ("P1",),
    )
    assert "refund" in found.fix.lower()
    assert "150" not in found.message and "50" not in found.message


def test_credit_is_judged_as_of_the_audit_date():
    late = payment("Y1", amount="150.00", ref="1001", Date="2026-04-15")
    b = book(charges=[charge("C1")], payments=[late])
    assert "credit_balance" not in codes(audit(b, as_of=AS_OF))
    assert "credit_balance" in codes(audit(b, as_of=dt.date(2026, 4, 30)))


def test_line_paid_beyond_its_amount_is_reported_on_the_charge():
    b = book(
        charges=[charge("C1"), charge("C2", date="2026-01-06")],
        payments=[payment("Y1", charge_id="C1", amount="130.00", ref="1001")],
    )
    findings = audit(b)
    over = only(findings, "overpaid_charge")
    assert (over.sheet, over.row, over.column, over.ids) == ("Charges", 2, "Amount", ("C1", "P1"))
    # the excess went to the open C2, so the patient is not in credit
    assert "credit_balance" not in codes(findings)


def test_unreadable_ledger_becomes_a_warning_not_a_crash():
    b = book(charges=[charge("C1")], payments=[payment("Y1", ref="1", Kind=None)])
    found = only(audit(b), "balances_not_checked")
    assert found.severity is Severity.WARNING
    assert "Payments row 2" in found.message


# --- insurer under- and overpayment (DESIGN §5: billed 1,200, allowed 800, deductible 500, 20%)


def insured_book(insurer_paid):
    return book(
        charges=[charge("C1", code="99214", amount="1200.00", Status="Adjudicated")],
        payments=[
            payment("Y1", charge_id="C1", amount=insurer_paid, ref="EFT-9", payer="PL1"),
        ],
        Fees=[*FEES, {"Code": "99214", "Charge": "1200.00"}],
        Plans=[
            {
                "PlanID": "PL1",
                "Payer": "Acme Health",
                "PlanType": "Commercial",
                "Deductible": "500.00",
                "OOPMax": "5000.00",
                "Coinsurance": "0.2",
            }
        ],
        Coverage=[
            {
                "PatientID": "P1",
                "PlanID": "PL1",
                "Rank": 1,
                "EffectiveFrom": "2026-01-01",
                "DeductibleMet": "0",
                "OOPUsed": "0",
                "BenefitYear": 2026,
            }
        ],
        Allowed=[{"PlanID": "PL1", "Code": "99214", "Allowed": "800.00"}],
    )


def test_insurer_paying_the_contract_is_not_reported():
    assert not {"underpaid", "overpaid"} & set(codes(audit(insured_book("240.00"))))


def test_insurer_paying_less_than_allowed_minus_patient_share_is_underpaid():
    found = only(audit(insured_book("200.00")), "underpaid")
    assert (found.sheet, found.row, found.column) == ("Payments", 2, "Amount")
    assert "C1" in found.ids and "PL1" in found.ids


def test_insurer_paying_more_than_the_contract_is_overpaid():
    found = only(audit(insured_book("300.00")), "overpaid")
    assert found.severity is Severity.ERROR


# --- duplicate payments --------------------------------------------------------------------------


def test_same_patient_payer_reference_and_amount_twice_is_a_duplicate_naming_both_rows():
    b = book(
        charges=[charge("C1")],
        payments=[payment("Y1", ref="CHK 1001"), payment("Y2", ref="chk1001")],
    )
    found = only(audit(b), "duplicate_payment")
    assert (found.severity, found.sheet, found.row, found.column) == (
        Severity.ERROR,
        "Payments",
        3,
        "Reference",
    )
    assert found.ids == ("Y2", "Y1", "P1")
    assert "Y1" in found.message and "row 2" in found.message


def test_payments_differing_in_amount_reference_or_kind_are_not_duplicates():
    b = book(
        charges=[charge("C1")],
        payments=[
            payment("Y1", ref="1001"),
            payment("Y2", ref="1001", amount="21.00"),
            payment("Y3", ref="1002"),
            payment("Y4", ref="1001", Kind="Refund"),
            payment("Y5"),  # no reference: cannot be compared
            payment("Y6"),
        ],
    )
    assert "duplicate_payment" not in codes(audit(b))


def test_same_check_number_from_two_patients_is_not_a_duplicate():
    b = book(
        charges=[charge("C1"), charge("C2", "P2")],
        payments=[payment("Y1", ref="1001"), payment("Y2", "P2", ref="1001")],
    )
    assert "duplicate_payment" not in codes(audit(b))


def test_one_insurer_eft_paying_two_lines_the_same_amount_is_not_a_duplicate():
    eft = {"ref": "EFT-77", "payer": "PL1", "amount": "40.00"}
    b = book(
        charges=[charge("C1"), charge("C2", code="36415", amount="10.00")],
        payments=[payment("Y1", charge_id="C1", **eft), payment("Y2", charge_id="C2", **eft)],
        Plans=[{"PlanID": "PL1", "Payer": "Acme", "PlanType": "Commercial"}],
    )
    assert "duplicate_payment" not in codes(audit(b))
    b2 = book(
        charges=[charge("C1")],
        payments=[payment("Y1", charge_id="C1", **eft), payment("Y2", charge_id="C1", **eft)],
        Plans=[{"PlanID": "PL1", "Payer": "Acme", "PlanType": "Commercial"}],
    )
    assert only(audit(b2), "duplicate_payment").ids == ("Y2", "Y1", "P1")


# --- duplicate charges ---------------------------------------------------------------------------


def test_same_patient_date_code_and_modifier_twice_is_a_duplicate_charge():
    b = book(charges=[charge("C1", Modifier="25"), charge("C2", code=" 99213", Modifier="25")])
    found = only(audit(b), "duplicate_charge")
    assert (found.severity, found.sheet, found.row, found.ids) == (
        Severity.ERROR,
        "Charges",
        3,
        ("C2", "C1", "P1"),
    )
    assert "modifier" in found.fix


def test_charges_differing_in_modifier_date_patient_or_voided_are_not_duplicates():
    b = book(
        charges=[
            charge("C1"),
            charge("C2", Modifier="76"),
            charge("C3", date="2026-01-06"),
            charge("C4", "P2"),
            charge("C5", Status="Void"),
        ]
    )
    assert "duplicate_charge" not in codes(audit(b))


def test_three_identical_charges_give_two_findings_each_naming_the_first():
    b = book(charges=[charge("C1"), charge("C2"), charge("C3")])
    found = [f for f in audit(b) if f.code == "duplicate_charge"]
    assert [(f.row, f.ids[:2]) for f in found] == [(3, ("C2", "C1")), (4, ("C3", "C1"))]


# --- postings naming a wrong charge --------------------------------------------------------------


def test_payment_and_adjustment_naming_a_missing_charge_are_errors():
    b = book(
        charges=[charge("C1")],
        payments=[payment("Y1", charge_id="C99", ref="1")],
        adjustments=[adjustment("A1", charge_id="C98")],
    )
    found = [f for f in audit(b) if f.code == "unknown_charge"]
    assert [(f.sheet, f.row, f.column, f.ids) for f in found] == [
        ("Adjustments", 2, "ChargeID", ("A1", "C98", "P1")),
        ("Payments", 2, "ChargeID", ("Y1", "C99", "P1")),
    ]
    assert all(f.severity is Severity.ERROR for f in found)


def test_payment_naming_another_patients_charge_is_an_error():
    b = book(charges=[charge("C1"), charge("C2", "P2")], payments=[payment("Y1", charge_id="C2")])
    found = only(audit(b), "charge_of_other_patient")
    assert found.severity is Severity.ERROR
    assert found.ids == ("Y1", "C2", "P1", "P2")
    assert "P2" in found.fix


def test_charge_of_another_patient_on_the_same_guarantor_account_is_a_warning():
    patients = [patient("P1"), patient("P2", guarantor="P1")]
    b = book(
        charges=[charge("C1"), charge("C2", "P2")],
        adjustments=[adjustment("A1", "P1", charge_id="C2")],
        patients=patients,
    )
    found = only(audit(b), "charge_of_other_patient")
    assert found.severity is Severity.WARNING
    assert "same guarantor account" in found.message


def test_payment_on_a_void_charge_is_a_warning_but_a_refund_is_not():
    b = book(
        charges=[charge("C1", Status="Void"), charge("C2", date="2026-01-06")],
        payments=[
            payment("Y1", charge_id="C1", ref="1"),
            payment("Y2", charge_id="C1", ref="2", Kind="Refund"),
        ],
    )
    found = only(audit(b), "posting_on_void_charge")
    assert (found.row, found.severity) == (2, Severity.WARNING)


# --- dates ---------------------------------------------------------------------------------------


def test_dates_after_the_audit_date_are_errors_and_the_audit_date_itself_is_not():
    b = book(
        charges=[charge("C1", date="2026-03-31"), charge("C2", date="2026-04-01")],
        payments=[payment("Y1", ref="1", Date="2027-02-01")],
        adjustments=[adjustment("A1", Date="2026-03-31")],
        patients=[patient("P1"), patient("P2", dob="2026-05-01")],
    )
    found = [f for f in audit(b) if f.code == "future_date"]
    assert [(f.sheet, f.row, f.column) for f in found] == [
        ("Charges", 3, "ServiceDate"),
        ("Patients", 3, "DOB"),
        ("Payments", 2, "Date"),
    ]
    assert all(f.severity is Severity.ERROR for f in found)
    assert "2026-03-31" in found[0].message


def test_dates_before_the_patients_birth_are_errors_without_showing_the_birth_date():
    b = book(
        charges=[charge("C1", date="1980-04-01"), charge("C2", date="1980-04-02")],
        payments=[payment("Y1", ref="1", Date="1979-12-31")],
    )
    found = [f for f in audit(b) if f.code == "date_before_birth"]
    assert [(f.sheet, f.row, f.column, f.ids) for f in found] == [
        ("Charges", 2, "ServiceDate", ("C1", "P1")),
        ("Payments", 2, "Date", ("Y1", "P1")),
    ]
    assert not any("1980" in f.message + f.fix for f in found)


# --- fee schedule --------------------------------------------------------------------------------


def test_amount_must_be_fee_times_units_with_blank_units_one():
    b = book(
        charges=[
            charge("C1"),  # 100.00 × 1 (blank Units)
            charge("C2", code="36415", amount="30.00", Units=3),
            charge("C3", code="36415", amount="10.00", Units=2, date="2026-01-06"),
            charge("C4", code="99213", amount="95.00", date="2026-01-07"),
        ]
    )
    found = [f for f in audit(b) if f.code == "fee_mismatch"]
    assert [(f.row, f.column, f.severity) for f in found] == [
        (4, "Amount", Severity.WARNING),
        (5, "Amount", Severity.WARNING),
    ]
    assert "Set Amount to 20.00 (Fees 10.00 × 2 units)" in found[0].fix
    assert "Set Amount to 100.00 (Fees 100.00)" in found[1].fix


def test_fee_schedule_is_matched_on_the_normalised_code():
    b = book(
        charges=[charge("C1", code="g0008", amount="25.00")],
        Fees=[{"Code": "G0008", "Charge": "25.00"}],
    )
    assert audit(b) == []


def test_valid_code_missing_from_fees_is_noted_once():
    b = book(charges=[charge("C1", code="G0008"), charge("C2", code="G0008", date="2026-01-06")])
    found = only(audit(b), "code_not_in_fees")
    assert (found.severity, found.row) == (Severity.INFO, 2)
    assert "2 line(s)" in found.message


def test_void_charges_are_not_priced():
    b = book(charges=[charge("C1", amount="1.00", Status="Void")])
    assert "fee_mismatch" not in codes(audit(b))


# --- codes ---------------------------------------------------------------------------------------


def test_invalid_procedure_code_is_an_error_on_the_code_column():
    b = book(charges=[charge("C1", code="9921")])
    found = only(audit(b), "invalid_procedure_code")
    assert (found.severity, found.row, found.column) == (Severity.ERROR, 2, "Code")
    assert found.message.startswith("Charge C1: 9921 has 4 digits")


def test_each_bad_diagnosis_of_a_cell_is_reported():
    b = book(charges=[charge("C1", Diagnoses="e119, A00-B99, E11,I10")])
    findings = audit(b)
    invalid = only(findings, "invalid_diagnosis_code")
    non_billable = only(findings, "non_billable_diagnosis")
    assert "A00-B99" in invalid.message and "E11 " in non_billable.message
    assert {invalid.column, non_billable.column} == {"Diagnoses"}
    assert {invalid.severity, non_billable.severity} == {Severity.ERROR}


def test_blank_diagnoses_are_not_flagged():
    assert audit(book(charges=[charge("C1", Diagnoses=None)])) == []


# --- the whole audit -----------------------------------------------------------------------------


def test_findings_come_worst_first_and_carry_no_patient_names():
    b = book(
        charges=[charge("C1", code="36415", amount="11.00"), charge("C2", code="bad")],
        payments=[payment("Y1", amount="500.00", ref="9")],
        patients=[patient("P1", last="Zyxwood"), patient("P2")],
    )
    findings = audit(b)
    assert findings == sort_findings(findings)
    assert findings[0].severity is Severity.ERROR
    assert {"credit_balance", "fee_mismatch", "invalid_procedure_code"} <= set(codes(findings))
    assert not any("Zyxwood" in f.message + f.fix for f in findings)
    assert not any("1980" in f.message + f.fix for f in findings)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["P1", "P2"]),
            st.sampled_from(["2026-01-05", "2026-01-06"]),
            st.sampled_from(["99213", "36415"]),
            st.sampled_from([None, "25", "76"]),
        ),
        max_size=12,
    )
)
def test_each_charge_beyond_the_first_of_its_kind_is_one_duplicate(lines):
    b = book(
        charges=[
            charge(f"C{i}", p, date=d, code=c, Modifier=m) for i, (p, d, c, m) in enumerate(lines)
        ]
    )
    found = duplicate_charges(b["Charges"])
    assert len(found) == len(lines) - len(set(lines))
    firsts = {key: f"C{i}" for i, key in reversed(list(enumerate(lines)))}
    for f in found:
        line = lines[f.row - 2]
        assert f.ids[:2] == (f"C{f.row - 2}", firsts[line])


def test_audit_of_a_book_without_patients_reports_rather_than_crashes():
    import datetime as _dt

    from addin.core.audit import audit_book as _audit_book
    from addin.workbook.book import book_from_records as _book_from_records

    charge = dict(
        ChargeID="C1", PatientID="P1", ServiceDate="2026-01-01", Code="99213", Amount="10"
    )
    findings = _audit_book(_book_from_records({"Charges": [charge]}), as_of=_dt.date(2026, 2, 1))
    assert [f.code for f in findings] == ["code_not_in_fees"]
