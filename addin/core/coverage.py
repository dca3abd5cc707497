"""Coverage: which plans cover a patient on a date, and checking charges before the bill goes out.

A coverage row is in force on a date when EffectiveFrom ≤ date ≤ EffectiveTo (blank EffectiveTo =
still in force). Rank 1 is the primary plan, rank 2 the secondary. A plan of type Self-pay is no
insurance.

:func:`verify_coverage` checks every charge (Void lines skipped) and returns findings as values,
on the ``Charges`` sheet with the charge's Excel row:

=====================  ========  ==========================================================
code                   severity  when
=====================  ========  ==========================================================
``self_pay``           warning   the patient has no insurance on file at all
``coverage_inactive``  error     the patient has coverage rows, none in force on the date
``secondary_only``     warning   only a rank-2 plan is in force (it is treated as primary)
``duplicate_primary``  warning   two rank-1 plans are in force on the date
``not_covered``        error     the code is on the primary's NotCovered list (warning for
                                 the secondary)
``prior_auth``         warning   the code is on a plan's PriorAuth list
``not_verified``       warning   coverage never verified, or verified more than
                                 ``stale_days`` before the service date
=====================  ========  ==========================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from addin.core.benefits import (
    FRESH,
    BenefitUsage,
    PlanTerms,
    cell_date,
    cell_money,
    cell_text,
    code_matches,
    column_dates,
    column_texts,
)
from addin.core.findings import Finding, Severity
from addin.core.money import ZERO

__all__ = [
    "DEFAULT_STALE_DAYS",
    "ActiveCoverage",
    "CoverageRecord",
    "active_coverage",
    "coverage_by_patient",
    "verify_coverage",
]

DEFAULT_STALE_DAYS = 30


@dataclass(frozen=True)
class CoverageRecord:
    """One row of ``Coverage`` (money in Decimal dollars; ``row`` is the Excel row)."""

    patient_id: str
    plan_id: str
    rank: int
    effective_from: dt.date | None
    effective_to: dt.date | None = None
    usage: BenefitUsage = FRESH
    verified_on: dt.date | None = None
    member_id: str | None = None
    row: int | None = None

    def in_force_on(self, day: dt.date) -> bool:
        """EffectiveFrom ≤ day ≤ EffectiveTo (blank EffectiveTo = open; blank From = never)."""
        if self.effective_from is None or day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


def coverage_by_patient(coverage: pd.DataFrame) -> dict[str, list[CoverageRecord]]:
    """The typed ``Coverage`` frame grouped by PatientID (rows missing a key field skipped)."""
    result: dict[str, list[CoverageRecord]] = {}
    for rec in coverage.to_dict("records"):
        patient_id, plan_id = cell_text(rec.get("PatientID")), cell_text(rec.get("PlanID"))
        rank = rec.get("Rank")
        if patient_id is None or plan_id is None or rank is None or pd.isna(rank):
            continue
        year = rec.get("BenefitYear")
        usage = BenefitUsage(
            year=None if year is None or pd.isna(year) else int(year),
            deductible_met=cell_money(rec.get("DeductibleMet")) or ZERO,
            oop_used=cell_money(rec.get("OOPUsed")) or ZERO,
        )
        result.setdefault(patient_id, []).append(
            CoverageRecord(
                patient_id=patient_id,
                plan_id=plan_id,
                rank=int(rank),
                effective_from=cell_date(rec.get("EffectiveFrom")),
                effective_to=cell_date(rec.get("EffectiveTo")),
                usage=usage,
                verified_on=cell_date(rec.get("VerifiedOn")),
                member_id=cell_text(rec.get("MemberID")),
                row=int(rec["_row"]) if rec.get("_row") is not None else None,
            )
        )
    return result


@dataclass(frozen=True)
class ActiveCoverage:
    """The plans in force for a patient on one date.

    ``primary``/``secondary`` are ``None`` when absent. ``on_file`` says whether the patient has
    any (non-self-pay) coverage row at all; ``notes`` holds ``secondary_only`` and/or
    ``duplicate_primary`` when those happened.
    """

    primary: CoverageRecord | None = None
    secondary: CoverageRecord | None = None
    on_file: bool = False
    notes: tuple[str, ...] = ()

    @property
    def self_pay(self) -> bool:
        return self.primary is None


def active_coverage(
    records: Sequence[CoverageRecord], plans: Mapping[str, PlanTerms], day: dt.date
) -> ActiveCoverage:
    """The primary and secondary coverage in force on ``day``.

    Rows of Self-pay plans are ignored. Among several rows of one rank in force, the one with the
    latest EffectiveFrom wins (``duplicate_primary`` noted for rank 1). When only a secondary is in
    force it becomes the primary (``secondary_only`` noted).
    """
    insured = [r for r in records if not (r.plan_id in plans and plans[r.plan_id].is_self_pay)]
    in_force = [r for r in insured if r.in_force_on(day)]
    by_rank: dict[int, list[CoverageRecord]] = {}
    for r in sorted(in_force, key=lambda r: r.effective_from or dt.date.min, reverse=True):
        by_rank.setdefault(r.rank, []).append(r)
    notes: list[str] = []
    primaries = by_rank.get(1, [])
    secondaries = by_rank.get(2, [])
    if len(primaries) > 1:
        notes.append("duplicate_primary")
    primary = primaries[0] if primaries else None
    secondary = secondaries[0] if secondaries else None
    if primary is None and secondary is not None:
        notes.append("secondary_only")
        primary, secondary = secondary, None
    return ActiveCoverage(primary, secondary, on_file=bool(insured), notes=tuple(notes))


def verify_coverage(
    charges: pd.DataFrame,
    coverage: pd.DataFrame,
    plans: Mapping[str, PlanTerms],
    *,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> list[Finding]:
    """Check each charge's coverage on its service date; findings in charge order.

    Args:
        charges: the typed ``Charges`` frame.
        coverage: the typed ``Coverage`` frame.
        plans: :func:`addin.core.benefits.plans_from_frame` of ``Plans``.
        stale_days: a verification older than this many days before the service is stale.
    """
    by_patient = coverage_by_patient(coverage)
    findings: list[Finding] = []
    cache: dict[tuple[str, dt.date], ActiveCoverage] = {}
    for charge_id, patient_id, day, code, status, sheet, row in zip(
        column_texts(charges["ChargeID"]),
        column_texts(charges["PatientID"]),
        column_dates(charges["ServiceDate"]),
        column_texts(charges["Code"]),
        column_texts(charges["Status"]),
        charges["_sheet"].tolist(),
        charges["_row"].tolist(),
        strict=True,
    ):
        if patient_id is None or code is None or day is None or status == "Void":
            continue
        active = cache.get((patient_id, day))
        if active is None:
            active = active_coverage(by_patient.get(patient_id, []), plans, day)
            cache[(patient_id, day)] = active
        ids = (patient_id, charge_id) if charge_id else (patient_id,)
        check = _ChargeCheck(sheet or "Charges", int(row), ids, day, code)
        findings.extend(check.findings(active, plans, stale_days))
    return findings


@dataclass(frozen=True)
class _ChargeCheck:
    sheet: str
    row: int
    ids: tuple[str, ...]
    day: dt.date
    code: str

    def _finding(
        self, code: str, column: str, severity: Severity, message: str, fix: str, plan: str = ""
    ) -> Finding:
        ids = (*self.ids, plan) if plan else self.ids
        return Finding(code, message, self.sheet, self.row, column, severity, fix, ids)

    @property
    def _label(self) -> str:
        return f"Charge {self.ids[-1]}" if len(self.ids) > 1 else "This charge"

    def findings(
        self, active: ActiveCoverage, plans: Mapping[str, PlanTerms], stale_days: int
    ) -> list[Finding]:
        day = self.day.isoformat()
        if active.primary is None:
            if active.on_file:
                return [
                    self._finding(
                        "coverage_inactive",
                        "ServiceDate",
                        Severity.ERROR,
                        f"{self._label}: none of the patient's coverage is in force on the "
                        f"service date {day}.",
                        "Check eligibility with the payer and correct EffectiveFrom/EffectiveTo "
                        "on the Coverage sheet, or bill the patient as self-pay.",
                    )
                ]
            return [
                self._finding(
                    "self_pay",
                    "PatientID",
                    Severity.WARNING,
                    f"{self._label}: the patient has no insurance on file; the charge is self-pay.",
                    "Add the patient's insurance on the Coverage sheet if they have any; "
                    "otherwise give a good-faith estimate (paxl estimate).",
                )
            ]
        out: list[Finding] = []
        if "secondary_only" in active.notes:
            out.append(
                self._finding(
                    "secondary_only",
                    "ServiceDate",
                    Severity.WARNING,
                    f"{self._label}: only a secondary (rank 2) plan is in force on {day}.",
                    "Add or extend the primary coverage, or set this plan's Rank to 1.",
                    active.primary.plan_id,
                )
            )
        if "duplicate_primary" in active.notes:
            out.append(
                self._finding(
                    "duplicate_primary",
                    "ServiceDate",
                    Severity.WARNING,
                    f"{self._label}: two primary (rank 1) plans are in force on {day}; "
                    f"{active.primary.plan_id} (latest EffectiveFrom) is used.",
                    "End the old coverage with EffectiveTo, or make one of them Rank 2.",
                    active.primary.plan_id,
                )
            )
        for record in (active.primary, active.secondary):
            if record is None:
                continue
            out.extend(
                self._plan_findings(
                    record, plans.get(record.plan_id), record is active.primary, stale_days
                )
            )
        return out

    def _plan_findings(
        self, record: CoverageRecord, plan: PlanTerms | None, primary: bool, stale_days: int
    ) -> list[Finding]:
        out: list[Finding] = []
        which = "primary" if primary else "secondary"
        if plan is not None:
            entry = code_matches(self.code, plan.not_covered)
            if entry is not None:
                out.append(
                    self._finding(
                        "not_covered",
                        "Code",
                        Severity.ERROR if primary else Severity.WARNING,
                        f"{self._label}: code {self.code} is not covered by the {which} plan "
                        f"{plan.plan_id} (NotCovered entry {entry}).",
                        "Get the patient's written agreement to pay before the service, or check "
                        "the code; the patient owes this charge.",
                        plan.plan_id,
                    )
                )
            entry = code_matches(self.code, plan.prior_auth)
            if entry is not None:
                out.append(
                    self._finding(
                        "prior_auth",
                        "Code",
                        Severity.WARNING,
                        f"{self._label}: code {self.code} needs prior authorization from the "
                        f"{which} plan {plan.plan_id} (PriorAuth entry {entry}).",
                        "Make sure the authorization number is on file before billing.",
                        plan.plan_id,
                    )
                )
        verified = record.verified_on
        if verified is None or (self.day - verified).days > stale_days:
            when = (
                "never been verified" if verified is None else f"last been verified on {verified}"
            )
            out.append(
                self._finding(
                    "not_verified",
                    "ServiceDate",
                    Severity.WARNING,
                    f"{self._label}: the {which} coverage by {record.plan_id} has {when}, more "
                    f"than {stale_days} days before the service date {self.day.isoformat()}."
                    if verified is not None
                    else f"{self._label}: the {which} coverage by {record.plan_id} has {when}.",
                    f"Verify eligibility with the payer and enter the date in VerifiedOn "
                    f"(Coverage row {record.row}).",
                    record.plan_id,
                )
            )
        return out
