"""The 835 records: immutable, money shown with two places, dates ISO."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from addin.era import Adjustment, Claim, Payment, ProviderAdjustment, Remittance, ServiceLine
from addin.era.model import money_text

D = Decimal


def test_money_text_always_has_two_places_and_keeps_the_sign():
    assert money_text(D("96")) == "96.00"
    assert money_text(D("-2.5")) == "-2.50"
    assert money_text(D("1200.00")) == "1200.00"
    assert money_text(None) is None


def test_records_are_frozen():
    claim = Claim("CLM000123", "1", D("10.00"), D("10.00"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.paid = D("0.00")  # type: ignore[misc]


def test_a_claim_serialises_with_strings_for_money_and_iso_dates():
    line = ServiceLine(
        "99213",
        D("200"),
        D("95"),
        modifiers=("25",),
        allowed=D("120"),
        service_date=date(2026, 3, 2),
        control_number="C0000456",
        adjustments=(Adjustment("CO", "45", D("80")), Adjustment("PR", "3", D("25"))),
    )
    claim = Claim("CLM000123", "1", D("200"), D("95"), D("25"), "ACME1", services=(line,))
    data = claim.to_dict()
    assert data["charge"] == "200.00" and data["paid"] == "95.00"
    assert data["patient_responsibility"] == "25.00"
    assert data["claim_adjustments"] == []
    (svc,) = data["services"]
    assert svc["procedure_code"] == "99213" and svc["modifiers"] == ["25"]
    assert svc["allowed"] == "120.00"
    assert svc["service_date"] == "2026-03-02"
    assert svc["line_control_number"] == "C0000456"
    assert svc["units"] == "1"
    assert svc["adjustments"] == [
        {"group": "CO", "reason": "45", "amount": "80.00"},
        {"group": "PR", "reason": "3", "amount": "25.00"},
    ]


def test_claim_status_names_denials_and_reversals():
    assert Claim("A", "4", D(0), D(0)).is_denial
    assert Claim("A", "22", D(0), D(0)).is_reversal
    assert Claim("A", "22", D(0), D(0)).status_text == "reversal of previous payment"
    assert Claim("A", "99", D(0), D(0)).status_text == "status 99"


def test_a_remittance_expects_claims_paid_less_provider_adjustments():
    remittance = Remittance(
        payment=Payment(D("197.50"), "ACH", date(2026, 3, 23), "EFT1"),
        claims=(Claim("A", "1", D("250"), D("150")), Claim("B", "1", D("120"), D("90"))),
        provider_adjustments=(
            ProviderAdjustment("WO", D("35.00"), "X"),
            ProviderAdjustment("L6", D("-2.50")),
            ProviderAdjustment("FB", D("10.00")),
        ),
    )
    assert remittance.claims_paid == D("240.00")
    assert remittance.provider_adjustment_total == D("42.50")
    assert remittance.expected_total == D("197.50")
    assert remittance.reconciles
    assert remittance.payment.to_dict()["payment_date"] == "2026-03-23"
