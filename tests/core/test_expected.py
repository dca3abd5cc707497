import datetime as dt
from decimal import Decimal

from addin.core.expected import NO_COVERAGE, expected_payments, payment_variance_findings
from addin.core.findings import Severity
from tests.core.insurance_fixture import RECORDS, book

D = Decimal


def _payment(pid, charge, payer, amount, kind="Payment", patient="P1"):
    return {
        "PaymentID": pid,
        "Date": dt.date(2026, 4, 1),
        "PatientID": patient,
        "ChargeID": charge,
        "Payer": payer,
        "Kind": kind,
        "Method": "EFT",
        "Amount": amount,
    }


PAYMENTS = [
    _payment("PAY1", "C1", "GOLD", 55),  # expected 60: underpaid 5
    _payment("PAY2", "C1", "SILVER", 45),  # standard COB after 55 paid: min(49, 45) = 45
    _payment("PAY3", "C2", "GOLD", 10),  # all deductible, expected 0: overpaid 10
    _payment("PAY4", "C3", "BRONZE", 100, patient="P2"),  # BRONZE does not cover P2
    _payment("PAY5", "C1", "Patient", 20),  # patient payments are not insurer payments
]


def _summary(results):
    return [(e.charge_id, e.plan_id, e.rank, e.expected, e.paid) for e in results]


def _for_p2(results):
    return [e for e in results if e.patient_id == "P2"]


def test_expected_insurer_payment_per_charge_and_payer():
    results = expected_payments(book(Payments=PAYMENTS).tables)
    assert _summary(results) == [
        ("C1", "GOLD", 1, D("60.00"), D("55.00")),
        ("C1", "SILVER", 2, D("45.00"), D("45.00")),
        ("C2", "GOLD", 1, D("0.00"), D("10.00")),
        ("C3", "BRONZE", None, D("0"), D("100.00")),
    ]
    assert results[0].underpaid == D("5.00")
    assert results[2].overpaid == D("10.00")
    assert results[3].allowed_source == NO_COVERAGE
    assert results[0].payment_ids == ("PAY1",)
    assert results[0].payment_rows == (2,)


def test_variance_findings_for_the_audit():
    findings = payment_variance_findings(expected_payments(book(Payments=PAYMENTS).tables))
    assert [(f.code, f.severity, f.sheet, f.row, f.column, f.ids) for f in findings] == [
        ("underpaid", Severity.WARNING, "Payments", 2, "Amount", ("P1", "C1", "GOLD", "PAY1")),
        ("overpaid", Severity.ERROR, "Payments", 4, "Amount", ("P1", "C2", "GOLD", "PAY3")),
        ("overpaid", Severity.ERROR, "Payments", 5, "Amount", ("P2", "C3", "BRONZE", "PAY4")),
    ]
    assert "underpaid by 5.00" in findings[0].message
    assert "no coverage in force" in findings[2].message


def test_tolerance_hides_small_differences():
    findings = payment_variance_findings(
        expected_payments(book(Payments=PAYMENTS).tables), tolerance=D("5.00")
    )
    assert [f.ids[1] for f in findings] == ["C2", "C3"]


def test_refunds_to_the_payer_net_against_its_payments():
    payments = [*PAYMENTS[:3], _payment("REF1", "C2", "GOLD", 10, kind="Refund")]
    results = expected_payments(book(Payments=payments).tables)
    c2 = next(e for e in results if e.charge_id == "C2")
    assert c2.paid == D("0.00")
    assert c2.payment_ids == ("PAY3", "REF1")
    assert not [f for f in payment_variance_findings(results) if f.ids[1] == "C2"]


def test_adjudicated_charge_the_primary_has_not_paid_is_compared_with_zero_paid():
    results = expected_payments(book(Payments=[]).tables)
    assert _summary(results) == [
        ("C1", "GOLD", 1, D("60.00"), D("0")),
        ("C2", "GOLD", 1, D("0.00"), D("0")),
    ]
    (finding,) = payment_variance_findings(results)
    assert (finding.code, finding.sheet, finding.row, finding.column) == (
        "underpaid",
        "Charges",
        2,
        "Status",
    )


def test_accumulators_carry_over_earlier_charges_of_the_patient():
    charges = [
        *RECORDS["Charges"],
        {"ChargeID": "C8", "PatientID": "P2", "ServiceDate": dt.date(2026, 4, 1),
         "Code": "70551", "Amount": 1200, "Status": "Adjudicated"},
    ]  # fmt: skip
    payments = [_payment("PAY9", "C8", "GOLD", 640, patient="P2")]
    results = _for_p2(expected_payments(book(Charges=charges, Payments=payments).tables))
    # C3 (March MRI, 800 allowed) used 800 of GOLD's 1,000 deductible: C8 has 200 deductible,
    # then 20% of 600 = 120 → GOLD should pay 480.
    assert _summary(results) == [("C8", "GOLD", 1, D("480.00"), D("640.00"))]
    (finding,) = payment_variance_findings(results)
    assert "overpaid by 160.00" in finding.message


def test_lines_without_a_contract_rate_are_not_judged():
    coverage = [dict(r) for r in RECORDS["Coverage"]]
    coverage[2]["PlanID"] = "BRONZE"  # P2 under BRONZE: no contract rate for the MRI
    charges = [dict(c) for c in RECORDS["Charges"]]
    payments = [_payment("PAY9", "C3", "BRONZE", 10, patient="P2")]
    results = _for_p2(
        expected_payments(book(Coverage=coverage, Charges=charges, Payments=payments).tables)
    )
    assert [(e.rank, e.expected) for e in results] == [(1, D("0"))]  # all deductible
    assert payment_variance_findings(results) == []
