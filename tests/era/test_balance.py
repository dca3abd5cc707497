"""Balance checks: per service line, per claim and per payment, to the cent."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from addin.core.findings import Severity
from addin.core.money import allocate_by_weights, from_cents
from addin.era import (
    Adjustment,
    Claim,
    EraFile,
    Payment,
    ProviderAdjustment,
    Remittance,
    ServiceLine,
    is_postable,
)
from addin.era.balance import check_claim, check_era, check_remittance, check_service_line
from tests.era.era_fixture import era

D = Decimal


def _line(charge: str, paid: str, *adjustments: tuple[str, str, str], position: int = 5):
    return ServiceLine(
        procedure_code="99213",
        charge=D(charge),
        paid=D(paid),
        adjustments=tuple(Adjustment(g, r, D(a)) for g, r, a in adjustments),
        position=position,
    )


def _claim(charge: str, paid: str, *lines: ServiceLine, pr: str = "0", status: str = "1", **kw):
    return Claim(
        patient_control_number="CLM000123",
        status=status,
        charge=D(charge),
        paid=D(paid),
        patient_responsibility=D(pr),
        services=lines,
        position=3,
        **kw,
    )


def _remittance(total: str, *claims: Claim, plb: tuple[str, ...] = ()) -> Remittance:
    return Remittance(
        payment=Payment(D(total), "ACH", None, "TRACE1"),
        claims=claims,
        provider_adjustments=tuple(ProviderAdjustment("WO", D(a)) for a in plb),
        position=1,
    )


def _codes(problems):
    return [p.code for p in problems]


def test_the_design_worked_example_balances():
    # Billed 1,200, allowed 800, deductible left 500, 20% → CO-45 400, PR-1 500, PR-2 60, plan 240.
    line = _line("1200.00", "240.00", ("CO", "45", "400"), ("PR", "1", "500"), ("PR", "2", "60"))
    claim = _claim("1200.00", "240.00", line, pr="560.00")
    assert check_claim(claim) == []
    assert check_remittance(_remittance("240.00", claim)) == []


def test_the_worked_example_is_what_the_normal_file_pays_on_claim_clm000103():
    claim = era("normal_payment").remittances[0].claims[2]
    assert claim.patient_control_number == "CLM000103"
    assert (claim.charge, claim.paid, claim.patient_responsibility) == (
        D("1200.00"),
        D("240.00"),
        D("560.00"),
    )
    assert check_claim(claim) == []


def test_a_line_whose_adjustments_do_not_cover_charge_minus_paid_is_reported():
    line = _line("200.00", "96.00", ("CO", "45", "70.00"), ("PR", "2", "24.00"), position=9)
    (problem,) = check_service_line(line, _claim("200.00", "96.00", line), "TRACE1")
    assert problem.code == "service_unbalanced"
    assert (problem.position, problem.segment, problem.claim) == (9, "SVC", "CLM000123")
    assert problem.trace_number == "TRACE1"
    assert "off by 10.00" in problem.message
    assert problem.blocks_posting


def test_a_claim_is_checked_against_claim_and_line_adjustments_together():
    line = _line("150.00", "110.00", ("CO", "45", "40.00"))
    claim_level = (Adjustment("PR", "1", D("10.00")),)
    claim = _claim("150.00", "100.00", line, pr="10.00", adjustments=claim_level)
    assert check_claim(claim) == []
    short = _claim("150.00", "95.00", line, pr="10.00", adjustments=claim_level)
    assert _codes(check_claim(short)) == ["claim_unbalanced"]


def test_one_cent_off_is_unbalanced():
    line = _line("100.00", "60.00", ("CO", "45", "39.99"))
    assert _codes(check_claim(_claim("100.00", "60.00", line))) == [
        "claim_unbalanced",
        "service_unbalanced",
    ]


def test_a_reversal_balances_with_negative_amounts():
    line = _line("-300.00", "-64.00", ("CO", "45", "-120"), ("PR", "1", "-100"), ("PR", "2", "-16"))
    assert check_claim(_claim("-300.00", "-64.00", line, pr="-116.00", status="22")) == []


def test_the_payment_is_claims_paid_minus_provider_adjustments():
    claim = _claim("100.00", "100.00")
    assert check_remittance(_remittance("62.50", claim, plb=("40.00", "-2.50"))) == []
    (problem,) = check_remittance(_remittance("100.00", claim, plb=("40.00", "-2.50")))
    assert problem.code == "payment_unbalanced"
    assert problem.element == "BPR02"
    assert "62.50" in problem.message


def test_patient_responsibility_that_differs_from_pr_adjustments_is_only_a_warning():
    line = _line("100.00", "80.00", ("PR", "3", "20.00"))
    (problem,) = check_claim(_claim("100.00", "80.00", line, pr="25.00"))
    assert problem.code == "patient_responsibility_mismatch"
    assert problem.severity is Severity.WARNING
    assert not problem.blocks_posting


def test_a_denial_that_pays_is_a_warning():
    line = _line("100.00", "10.00", ("CO", "50", "90.00"))
    (problem,) = check_claim(_claim("100.00", "10.00", line, status="4"))
    assert problem.code == "denial_with_payment"
    assert not problem.blocks_posting


def test_the_hand_written_files_balance_and_the_unbalanced_one_does_not():
    for name in ("normal_payment", "denial", "reversal_and_correction", "plb_adjustment"):
        assert check_era(era(name)) == (), name
        assert is_postable(era(name)), name
    problems = check_era(era("broken_unbalanced"))
    assert _codes(problems) == ["payment_unbalanced", "claim_unbalanced", "service_unbalanced"]
    assert {p.claim for p in problems[1:]} == {"CLM000701"}
    assert not is_postable(era("broken_unbalanced"))


def test_a_file_without_payments_is_not_postable():
    assert not is_postable(EraFile(remittances=()))


cents = st.integers(min_value=-500_000, max_value=500_000)


@given(
    charge=cents,
    paid=cents,
    weights=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=6),
    claim_share=st.integers(min_value=0, max_value=100),
)
def test_adjustments_that_split_charge_minus_paid_always_balance_and_a_cent_more_never(
    charge, paid, weights, claim_share
):
    """Split charge − paid into line and claim adjustments; the claim balances exactly, and
    moving any single adjustment by one cent makes it unbalanced."""
    difference = from_cents(charge - paid)
    claim_part, line_part = allocate_by_weights(difference, [D(claim_share), D(100 - claim_share)])
    parts = allocate_by_weights(line_part, [D(w) for w in weights])
    assert sum(parts, D(0)) == line_part
    line = ServiceLine(
        "99213",
        charge=from_cents(charge) - claim_part,
        paid=from_cents(paid),
        adjustments=tuple(Adjustment("CO", "45", p) for p in parts),
    )
    claim = Claim(
        "CLM000001",
        "1",
        from_cents(charge),
        from_cents(paid),
        adjustments=(Adjustment("OA", "23", claim_part),),
        services=(line,),
        patient_responsibility=D("0.00"),
    )
    assert check_claim(claim) == []
    nudged = Claim(
        "CLM000001",
        "1",
        from_cents(charge),
        from_cents(paid) + D("0.01"),
        adjustments=claim.adjustments,
        services=claim.services,
    )
    assert [p.code for p in check_claim(nudged)] == ["claim_unbalanced"]
