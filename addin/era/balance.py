"""Balance checks for an 835: the amounts must add up before anything is posted.

The 835 implementation guide's balancing rules, checked to the cent (amounts are exact
``Decimal`` dollars, so nothing is rounded):

* per service line: charge − paid = Σ line adjustments (SVC02 − SVC03 = Σ CAS);
* per claim: charge − paid = Σ claim adjustments + Σ line adjustments (CLP03 − CLP04 = Σ CAS);
* per payment: BPR02 = Σ CLP04 − Σ PLB.

Two softer checks are warnings (they never block posting): a claim's patient responsibility
(CLP05) should equal its PR adjustments, and a denied claim (status 4) should pay nothing.

Problems are values (:class:`~addin.era.model.EraProblem`) naming the claim ID, trace number and
segment position; amounts in messages are the payer's claim amounts, never a patient balance.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from addin.core.findings import Severity
from addin.core.money import ZERO
from addin.era.model import (
    Adjustment,
    Claim,
    EraFile,
    EraProblem,
    ProblemKind,
    Remittance,
    ServiceLine,
    money_text,
)

__all__ = [
    "all_problems",
    "check_claim",
    "check_era",
    "check_remittance",
    "check_service_line",
    "is_postable",
]

_RESEND = "Ask the payer or clearinghouse to resend a corrected 835; do not post this file."


def check_service_line(
    line: ServiceLine, claim: Claim, trace_number: str | None = None
) -> list[EraProblem]:
    """SVC02 − SVC03 must equal the line's adjustments, to the cent."""
    expected = line.charge - line.paid
    actual = line.adjustment_total
    if expected == actual:
        return []
    code = f" {line.procedure_code}" if line.procedure_code else ""
    return [
        EraProblem(
            code="service_unbalanced",
            message=(
                f"Service line{code} of claim {claim.patient_control_number} does not balance: "
                f"charge {money_text(line.charge)} − paid {money_text(line.paid)} = "
                f"{money_text(expected)}, but its adjustments add up to {money_text(actual)} "
                f"(off by {money_text(expected - actual)})."
            ),
            kind=ProblemKind.BALANCE,
            position=line.position,
            segment="SVC",
            claim=claim.patient_control_number,
            trace_number=trace_number,
            fix=_RESEND,
        )
    ]


def _claim_problem(
    claim: Claim,
    trace_number: str | None,
    code: str,
    message: str,
    *,
    severity: Severity = Severity.ERROR,
    element: str | None = None,
    fix: str = _RESEND,
) -> EraProblem:
    return EraProblem(
        code=code,
        message=message,
        kind=ProblemKind.BALANCE,
        severity=severity,
        position=claim.position,
        segment="CLP",
        element=element,
        claim=claim.patient_control_number,
        trace_number=trace_number,
        fix=fix,
    )


def check_claim(claim: Claim, trace_number: str | None = None) -> list[EraProblem]:
    """CLP03 − CLP04 must equal claim plus line adjustments; each line must balance too."""
    problems: list[EraProblem] = []
    pcn = claim.patient_control_number
    expected = claim.charge - claim.paid
    actual = claim.adjustment_total
    if expected != actual:
        problems.append(
            _claim_problem(
                claim,
                trace_number,
                "claim_unbalanced",
                f"Claim {pcn} does not balance: charge {money_text(claim.charge)} − paid "
                f"{money_text(claim.paid)} = {money_text(expected)}, but its adjustments add up "
                f"to {money_text(actual)} (off by {money_text(expected - actual)}).",
            )
        )
    for line in claim.services:
        problems.extend(check_service_line(line, claim, trace_number))
    pr_total = sum((a.amount for a in _all_adjustments(claim) if a.group == "PR"), ZERO)
    if pr_total != claim.patient_responsibility:
        problems.append(
            _claim_problem(
                claim,
                trace_number,
                "patient_responsibility_mismatch",
                f"Claim {pcn} states patient responsibility "
                f"{money_text(claim.patient_responsibility)} (CLP05) but its PR adjustments add "
                f"up to {money_text(pr_total)}; the PR adjustments are what is posted.",
                severity=Severity.WARNING,
                element="CLP05",
                fix="Check the patient's share against the payer's paper remittance.",
            )
        )
    if claim.is_denial and claim.paid != ZERO:
        problems.append(
            _claim_problem(
                claim,
                trace_number,
                "denial_with_payment",
                f"Claim {pcn} is marked denied (status 4) but pays {money_text(claim.paid)}.",
                severity=Severity.WARNING,
                element="CLP02",
                fix="Call the payer to confirm whether the claim was paid or denied.",
            )
        )
    return problems


def _all_adjustments(claim: Claim) -> Iterator[Adjustment]:
    yield from claim.adjustments
    for line in claim.services:
        yield from line.adjustments


def check_remittance(remittance: Remittance) -> list[EraProblem]:
    """BPR02 must equal Σ CLP04 − Σ PLB; then every claim is checked."""
    trace = remittance.payment.trace_number or None
    problems: list[EraProblem] = []
    if not remittance.reconciles:
        payment = remittance.payment
        problems.append(
            EraProblem(
                code="payment_unbalanced",
                message=(
                    f"Payment {payment.trace_number or remittance.control_number} does not "
                    f"reconcile: it pays {money_text(payment.total_paid)} (BPR02) but its claims "
                    f"pay {money_text(remittance.claims_paid)} less provider adjustments "
                    f"{money_text(remittance.provider_adjustment_total)} = "
                    f"{money_text(remittance.expected_total)}."
                ),
                kind=ProblemKind.BALANCE,
                position=remittance.position,
                segment="BPR",
                element="BPR02",
                trace_number=trace,
                fix=_RESEND,
            )
        )
    for claim in remittance.claims:
        problems.extend(check_claim(claim, trace))
    return problems


def check_era(era: EraFile) -> tuple[EraProblem, ...]:
    """Every balance check over every remittance of the file, in file order."""
    problems = [p for r in era.remittances for p in check_remittance(r)]
    return tuple(sorted(problems, key=lambda p: p.position or 0))


def all_problems(era: EraFile) -> tuple[EraProblem, ...]:
    """Parser and reading problems plus balance problems, in file order."""
    combined = [*era.problems, *check_era(era)]
    return tuple(sorted(combined, key=lambda p: p.position or 0))


def is_postable(era: EraFile, problems: Iterable[EraProblem] | None = None) -> bool:
    """True when the file has at least one payment and no problem that blocks posting.

    Args:
        era: the file as read.
        problems: its problems (from :func:`all_problems`); computed when not given.
    """
    found = all_problems(era) if problems is None else problems
    return bool(era.remittances) and not any(p.blocks_posting for p in found)
