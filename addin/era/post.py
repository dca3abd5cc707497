"""Posting an insurer's remittance (X12 835) to the workbook: every row decided, nothing written.

:func:`post_era` takes a read :class:`~addin.era.model.EraFile` and a loaded
:class:`~addin.workbook.book.Book` and returns an :class:`EraPosting`: the new ``Payments`` and
``Adjustments`` rows (plain values: ``Decimal`` dollars, ``date``), the denials worklist, the
claims that could not be matched, the provider-level adjustments and a summary per payment. The
CLI (``paxl era post``) writes them to a new workbook; the ``import_era`` macro will append them
through a write plan.

Rules (issue 9, DESIGN §5–§6):

* Only a postable file is posted (:func:`~addin.era.balance.is_postable`). A trace number
  (TRN02) the workbook already has as the Reference of an insurer payment, or one that appears
  twice in the file, is refused: :class:`~addin.errors.PaxlError`, nothing decided.
* Claims and lines are matched by :mod:`addin.era.match` (ClaimID = CLP01; ChargeID = REF*6R,
  else code + service date). A claim with any line that does not match is not posted at all: it
  is listed as *unmatched* with the reason, never guessed. So are claims with a status other than
  processed (1, 2, 3, 19, 20, 21), denied (4) or reversed (22).
* **Payments**: one row per matched line (also when the line pays 0.00, so the ledger sees that
  the insurer acted and the rest is the patient's). ``Amount`` is the line's payment net of its
  share of claim-level adjustments — so a claim's rows add up to CLP04. Claim-level adjustments
  are spread over the claim's lines in proportion to what each line paid (else billed, else
  equally), extra cents to the earliest lines. PaymentID ``ERA-<trace>-<n>``, Date = BPR16,
  Payer = the plan (:func:`~addin.era.match.plan_for`), Method ``EFT`` for ACH/wire/other
  electronic payments (and NON, no money moved) or ``Check`` for CHK, Reference = the trace
  number, PostedBy ``ERA``, PostedAt = the run time given.
* **Adjustments** (:func:`adjustment_kind`): CO-45 → Kind ``Contractual``; any other CO reason →
  ``Write-off``; OA and PI → ``Write-off`` too (the closest Kind: the practice can bill neither
  the payer nor the patient for them; Group and Reason keep what they were), except **OA-23**
  (impact of the prior payer's adjudication), which repeats what the other payer's remittance
  already posted and is not posted again. **PR** amounts are not posted: they stay open, and since
  an insurer payment row names the line the ledger counts them as patient due. AdjustmentID
  ``ERA-<trace>-A<n>``, Group and Reason = the CAS group and CARC.
* **Denials** (status 4) post nothing; every line goes to the denials worklist with its reason
  and remark codes (ChargeID filled in only when it matches).
* **Reversals** (status 22) take back an earlier posting: a ``Refund`` row (Payer = the plan) for
  each line's reversed payment — refused unless the plan has at least that much posted on the
  charge. The adjustments a reversal takes back are **netted** per charge, group and reason
  against the corrected claim of the same ClaimID in the same file, which otherwise posts fresh:
  a remaining increase is posted as its Kind, a remaining decrease (no correction, or a lower
  corrected amount) as a Kind ``Reversal`` row (Group and Reason of the original, amount
  positive: it adds to the balance). A reversal that takes back more of a group and reason on a
  charge than the workbook has posted there (net of earlier reversals) is refused:
  :class:`~addin.errors.PaxlError`, nothing decided.
* **Provider-level adjustments** (PLB) are reported for the practice's books, never posted to a
  patient.

Money is exact ``Decimal`` dollars; the only split is the claim-level allocation above
(:func:`~addin.core.money.allocate_by_weights`, parts sum to the whole).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from addin.core.findings import Finding, Severity
from addin.core.ledger import REVERSAL_KIND
from addin.core.money import ZERO, allocate_by_weights, from_cents, to_cents
from addin.era.balance import all_problems, is_postable
from addin.era.match import VOID, BookCharge, BookIndex, NoMatch, match_services, plan_for
from addin.era.model import Adjustment, Claim, EraFile, EraProblem, Remittance, money_text
from addin.era.post_model import (
    PLB_REASONS,
    AdjustmentRow,
    ClaimResult,
    DenialLine,
    EraPosting,
    Outcome,
    PaymentRow,
    ProviderAdjustmentLine,
    RemittanceResult,
)
from addin.errors import PaxlError
from addin.workbook.book import Book

__all__ = [
    "POSTED_BY",
    "AdjustmentRow",
    "ClaimResult",
    "DenialLine",
    "EraPosting",
    "Outcome",
    "PaymentRow",
    "ProviderAdjustmentLine",
    "RemittanceResult",
    "adjustment_kind",
    "claim_level_shares",
    "post_era",
]

POSTED_BY = "ERA"
CONTRACTUAL_REASON = "45"
PRIOR_PAYER = ("OA", "23")
#: CLP02 statuses whose payments are posted.
POSTING_STATUSES = frozenset({"1", "2", "3", "19", "20", "21"})
#: BPR04 payment method → Payments.Method.
METHODS: dict[str, str] = {"ACH": "EFT", "FWT": "EFT", "BOP": "EFT", "NON": "EFT", "CHK": "Check"}


def adjustment_kind(group: str, reason: str) -> str | None:
    """The Adjustments.Kind a CAS group/reason is posted as; ``None`` = not posted (PR, OA-23)."""
    if group == "CO":
        return "Contractual" if reason == CONTRACTUAL_REASON else "Write-off"
    if (group, reason) == PRIOR_PAYER:
        return None
    if group in ("OA", "PI"):
        return "Write-off"
    return None


def claim_level_shares(claim: Claim) -> list[tuple[Adjustment, ...]]:
    """Each service line's share of the claim-level adjustments, in line order.

    Every claim-level CAS amount is split over the lines in proportion to the lines' payments
    (absolute SVC03; billed SVC02 when all pay nothing; equal parts when those are zero too),
    exactly: the parts of each amount sum to it, extra cents to the earliest lines.
    """
    lines = claim.services
    weights = [abs(s.paid) for s in lines]
    if not any(weights):
        weights = [abs(s.charge) for s in lines]
    if not any(weights):
        weights = [Decimal(1)] * len(lines)
    shares: list[list[Adjustment]] = [[] for _ in lines]
    for adjustment in claim.adjustments:
        for i, part in enumerate(allocate_by_weights(adjustment.amount, weights)):
            if part:
                shares[i].append(replace(adjustment, amount=part))
    return [tuple(s) for s in shares]


def post_era(
    era: EraFile,
    book: Book,
    *,
    posted_at: datetime,
    problems: Iterable[EraProblem] | None = None,
    posted_by: str = POSTED_BY,
) -> EraPosting:
    """Decide every row that posting ``era`` to ``book`` appends (rules: module docstring).

    Args:
        era: the 835 as read by :func:`~addin.era.parse.read_era`.
        book: the workbook's typed tables (it is not changed).
        posted_at: the run time, written to PostedAt.
        problems: the file's problems (:func:`~addin.era.balance.all_problems`), computed when
            not given.
        posted_by: written to PostedBy.

    Raises:
        PaxlError: the file is not postable; a payment has no trace number, no payment date or
            an unknown method; a trace number was posted before or appears twice; a new row ID
            is already taken. Nothing is decided then.
    """
    found = all_problems(era) if problems is None else tuple(problems)
    if not is_postable(era, found):
        blocking = sum(1 for p in found if p.blocks_posting)
        raise PaxlError(
            f"{era.source or 'The 835 file'} cannot be posted: it has {blocking} problem(s) "
            "(it does not balance or the parser found errors). Run `paxl era preview` on it "
            "and ask the payer for a corrected file."
        )
    payments = [_Payment.of(r) for r in era.remittances]
    index = BookIndex(book, {c.patient_control_number for c in era.claims})
    _refuse_reposting(payments, index)
    run = _Run(index, posted_at, posted_by)
    groups: dict[str, list[tuple[Claim, _Payment]]] = {}
    for payment in payments:
        for claim in payment.remittance.claims:
            groups.setdefault(claim.patient_control_number, []).append((claim, payment))
    for members in groups.values():
        run.post_group(members)
    run.check_ids()
    claims = tuple(sorted(run.claims, key=lambda c: c.position))
    return EraPosting(
        payments=tuple(run.payments),
        adjustments=tuple(run.adjustments),
        claims=claims,
        denials=tuple(run.denials),
        provider_adjustments=tuple(p for payment in payments for p in payment.plb_lines()),
        remittances=tuple(payment.result(claims) for payment in payments),
        warnings=tuple(run.warnings.values()),
        source=era.source,
    )


# --- internals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Payment:
    """One remittance with its checked trace number, date and method."""

    remittance: Remittance
    trace: str
    day: date | None
    method: str

    @property
    def paid_on(self) -> date:
        """The payment date of a remittance with claims (checked by :meth:`of`)."""
        assert self.day is not None
        return self.day

    @classmethod
    def of(cls, remittance: Remittance) -> _Payment:
        """The remittance checked for posting: a payment with claims needs a trace number, a
        payment date and a known method (one with only provider adjustments is only reported).
        """
        payment = remittance.payment
        trace = payment.trace_number.strip()
        method = METHODS.get(payment.method, "")
        if not remittance.claims:
            return cls(remittance, trace, payment.payment_date, method)
        where = f"transaction {remittance.control_number} (segment {remittance.position})"
        if not trace:
            raise PaxlError(f"The payment in {where} has no trace number (TRN02); not posted.")
        if payment.payment_date is None:
            raise PaxlError(f"Payment {trace} has no payment date (BPR16); not posted.")
        if not method:
            raise PaxlError(
                f"Payment {trace} has payment method {payment.method or '(blank)'} (BPR04), "
                f"which paxl does not know; expected one of {', '.join(METHODS)}."
            )
        return cls(remittance, trace, payment.payment_date, method)

    def plb_lines(self) -> Iterable[ProviderAdjustmentLine]:
        for adj in self.remittance.provider_adjustments:
            yield ProviderAdjustmentLine(
                trace_number=self.trace,
                payment_date=self.day,
                payer_name=self.remittance.payment.payer_name,
                provider_id=adj.provider_id,
                fiscal_period=adj.fiscal_period,
                reason=adj.reason,
                meaning=PLB_REASONS.get(adj.reason, ""),
                reference=adj.reference,
                amount=adj.amount,
            )

    def result(self, claims: Sequence[ClaimResult]) -> RemittanceResult:
        payment = self.remittance.payment
        posted = sum((c.posted for c in claims if c.trace_number == self.trace), ZERO)
        return RemittanceResult(
            trace_number=self.trace,
            payer_name=payment.payer_name,
            payer_id=payment.payer_id,
            method=payment.method,
            payment_date=self.day,
            total_paid=payment.total_paid,
            claims_paid=self.remittance.claims_paid,
            provider_adjustments=self.remittance.provider_adjustment_total,
            posted=posted,
        )


def _refuse_reposting(payments: Sequence[_Payment], index: BookIndex) -> None:
    seen: set[str] = set()
    for payment in payments:
        if not payment.trace:
            continue  # only provider adjustments: nothing is posted under it
        if payment.trace in seen:
            raise PaxlError(
                f"Trace number {payment.trace} appears twice in the file; paxl posts each "
                "payment once. Ask the payer for a corrected file."
            )
        seen.add(payment.trace)
        if payment.trace in index.insurer_references:
            row = index.insurer_references[payment.trace]
            where = f" (Payments row {row})" if row else ""
            raise PaxlError(
                f"Trace number {payment.trace} is already posted{where}; paxl does not post a "
                "payment twice. Post a remaining claim by hand if one was left unmatched."
            )


@dataclass(frozen=True)
class _Line:
    """A matched line: signed payment net of claim-level shares, and every CAS amount on it."""

    charge: BookCharge
    plan_id: str
    paid: Decimal
    adjustments: tuple[Adjustment, ...]


@dataclass(frozen=True)
class _Prepared:
    claim: Claim
    payment: _Payment
    lines: tuple[_Line, ...]


@dataclass
class _Run:
    """The rows and results of one posting run, built claim group by claim group."""

    index: BookIndex
    posted_at: datetime
    posted_by: str
    payments: list[PaymentRow] = field(default_factory=list)
    adjustments: list[AdjustmentRow] = field(default_factory=list)
    claims: list[ClaimResult] = field(default_factory=list)
    denials: list[DenialLine] = field(default_factory=list)
    warnings: dict[tuple[str, ...], Finding] = field(default_factory=dict)
    _counters: dict[tuple[str, str], int] = field(default_factory=dict)
    #: insurer cents per (ChargeID, PlanID) and adjustment cents per (ChargeID, Group, Reason),
    #: the workbook's plus this run's
    _paid: dict[tuple[str, str], int] = field(default_factory=dict)
    _adjusted: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._paid = dict(self.index.insurer_paid)
        self._adjusted = dict(self.index.adjusted)

    # claim groups --------------------------------------------------------------------------

    def post_group(self, members: Sequence[tuple[Claim, _Payment]]) -> None:
        """Post the claims sharing one CLP01: a reversal and its correction are posted together
        or not at all."""
        prepared: list[_Prepared] = []
        failed: list[tuple[Claim, _Payment, str]] = []
        for claim, payment in members:
            if claim.is_denial:
                self._deny(claim, payment)
            elif not (claim.is_reversal or claim.status in POSTING_STATUSES):
                reason = (
                    f"Claim status {claim.status} ({claim.status_text}) carries nothing to post; "
                    "review it with the payer's remittance."
                )
                self._unmatched(claim, payment, reason)
            else:
                try:
                    prepared.append(self._prepare(claim, payment))
                except NoMatch as exc:
                    failed.append((claim, payment, exc.reason))
        for claim, payment, reason in failed:
            self._unmatched(claim, payment, reason)
        if not prepared:
            return
        together = [c for c, _, _ in failed] + [p.claim for p in prepared]
        if failed and any(c.is_reversal for c in together):
            first = failed[0][2]
            for p in prepared:
                self._unmatched(
                    p.claim, p.payment, f"Posted only with its reversal or correction: {first}"
                )
            return
        try:
            self._check_reversals(prepared)
            nets = self._net_adjustments(prepared)
        except NoMatch as exc:
            for p in prepared:
                self._unmatched(p.claim, p.payment, exc.reason)
            return
        for p in prepared:
            self._write_payments(p)
        for (charge_id, group, reason), (amount, owner, line) in nets.items():
            self._write_adjustment(owner, line, group, reason, amount, len(prepared) > 1)
            key = (charge_id, group, reason)
            self._adjusted[key] = self._adjusted.get(key, 0) + to_cents(amount)

    def _prepare(self, claim: Claim, payment: _Payment) -> _Prepared:
        claim_id = claim.patient_control_number
        charges = self.index.claim_charges(claim_id)
        if claim.services:
            matched = match_services(claim, charges, self.index)
            shares = claim_level_shares(claim)
            parts = [
                (charge, line.paid - sum((a.amount for a in extra), ZERO), line, extra)
                for charge, line, extra in zip(matched, claim.services, shares, strict=True)
            ]
        elif len(charges) == 1:
            parts = [(charges[0], claim.paid, None, ())]
        else:
            raise NoMatch(
                f"Claim {claim_id} has no service lines and {len(charges)} charges; "
                "post it by hand."
            )
        if sum((paid for _, paid, _, _ in parts), ZERO) != claim.paid:
            raise NoMatch(
                f"The service lines of claim {claim_id} do not add up to its payment (CLP04): "
                "their billed amounts differ from the claim's (CLP03); post it by hand."
            )
        lines = []
        for charge, paid, service, extra in parts:
            if charge.status == VOID:
                raise NoMatch(f"Charge {charge.charge_id} of claim {claim_id} is void.")
            if paid != 0 and (paid > 0) == claim.is_reversal:
                raise NoMatch(
                    f"Claim {claim_id} has status {claim.status} but a "
                    f"{'positive' if paid > 0 else 'negative'} payment on charge "
                    f"{charge.charge_id}; post it by hand."
                )
            choice = plan_for(
                self.index,
                charge.patient_id,
                charge.service_date,
                payment.remittance.payment.payer_id,
                claim.status,
            )
            if choice.fallback:
                self._warn_fallback(payment, choice.plan_id)
            adjustments = (service.adjustments if service else claim.adjustments) + tuple(extra)
            if service is not None and not claim.is_reversal:
                self._check_billed(charge, service.charge, claim_id)
            lines.append(_Line(charge, choice.plan_id, paid, adjustments))
        return _Prepared(claim, payment, tuple(lines))

    def _check_reversals(self, prepared: Sequence[_Prepared]) -> None:
        """A reversal may only take back what the workbook has: the plan's net payment on each
        charge, and (before netting) the adjustments of each group and reason."""
        for p in prepared:
            if not p.claim.is_reversal:
                continue
            claim_id = p.claim.patient_control_number
            for line in p.lines:
                taken = -to_cents(line.paid)
                have = self._paid.get((line.charge.charge_id, line.plan_id), 0)
                if taken > have:
                    raise NoMatch(
                        f"The reversal of claim {claim_id} takes back {money_text(-line.paid)} "
                        f"on charge {line.charge.charge_id}, but plan {line.plan_id} has "
                        f"{money_text(from_cents(have))} posted there; reverse it by hand."
                    )
                for a in line.adjustments:
                    if adjustment_kind(a.group, a.reason) is None or a.amount >= 0:
                        continue
                    key = (line.charge.charge_id, a.group, a.reason)
                    if -to_cents(a.amount) > self._adjusted.get(key, 0):
                        have = from_cents(self._adjusted.get(key, 0))
                        raise PaxlError(
                            f"The reversal of claim {claim_id} takes back {a.group}-{a.reason} "
                            f"{money_text(-a.amount)} on charge {line.charge.charge_id}, but the "
                            f"workbook has {money_text(have)} of it posted there; nothing was "
                            "posted. Reverse it by hand, or post the original remittance first."
                        )

    def _net_adjustments(
        self, prepared: Sequence[_Prepared]
    ) -> dict[tuple[str, str, str], tuple[Decimal, _Prepared, _Line]]:
        """Net adjustment amounts per (ChargeID, Group, Reason) over the group, each with the
        claim and line it is written under: the first claim adding to it (corrections before
        reversals) for an increase; the reversal taking it back for a decrease (negative: a
        ``Reversal`` row)."""
        totals: dict[tuple[str, str, str], Decimal] = {}
        owners: dict[tuple[str, str, str], tuple[_Prepared, _Line]] = {}
        takers: dict[tuple[str, str, str], tuple[_Prepared, _Line]] = {}
        ordered = sorted(prepared, key=lambda p: p.claim.is_reversal)  # corrections first
        for p in ordered:
            for line in p.lines:
                for a in line.adjustments:
                    if adjustment_kind(a.group, a.reason) is None:
                        continue
                    key = (line.charge.charge_id, a.group, a.reason)
                    totals[key] = totals.get(key, ZERO) + a.amount
                    if a.amount > 0:
                        owners.setdefault(key, (p, line))
                    elif a.amount < 0:
                        takers.setdefault(key, (p, line))
        return {
            k: (total, *(owners[k] if total > 0 else takers[k]))
            for k, total in totals.items()
            if total != 0
        }

    # rows ----------------------------------------------------------------------------------

    def _next_id(self, trace: str, kind: str) -> str:
        key = (trace, kind)
        n = self._counters.get(key, 0) + 1
        self._counters[key] = n
        return f"ERA-{trace}-{kind}{n}"

    def _write_payments(self, p: _Prepared) -> None:
        claim, payment = p.claim, p.payment
        for line in p.lines:
            if claim.is_reversal and line.paid == 0:
                continue
            kind = "Refund" if claim.is_reversal else "Payment"
            self.payments.append(
                PaymentRow(
                    payment_id=self._next_id(payment.trace, ""),
                    date=payment.paid_on,
                    patient_id=line.charge.patient_id,
                    charge_id=line.charge.charge_id,
                    payer=line.plan_id,
                    kind=kind,
                    method=payment.method,
                    reference=payment.trace,
                    amount=abs(line.paid),
                    posted_by=self.posted_by,
                    posted_at=self.posted_at,
                )
            )
            key = (line.charge.charge_id, line.plan_id)
            self._paid[key] = self._paid.get(key, 0) + to_cents(line.paid)
        outcome = Outcome.REVERSED if claim.is_reversal else Outcome.POSTED
        posted = sum((line.paid for line in p.lines), ZERO)
        self._result(claim, payment, outcome, p.lines[0].charge.patient_id, posted=posted)

    def _write_adjustment(
        self, owner: _Prepared, line: _Line, group: str, reason: str, amount: Decimal, net: bool
    ) -> None:
        payment, claim_id = owner.payment, owner.claim.patient_control_number
        note = f"ERA {payment.trace} claim {claim_id}"
        if amount < 0:
            note += " reversal" + (" (net of its correction)" if net else "")
        elif net:
            note += " (net of its reversal)"
        kind = REVERSAL_KIND if amount < 0 else adjustment_kind(group, reason)
        assert kind is not None
        self.adjustments.append(
            AdjustmentRow(
                adjustment_id=self._next_id(payment.trace, "A"),
                date=payment.paid_on,
                patient_id=line.charge.patient_id,
                charge_id=line.charge.charge_id,
                kind=kind,
                group=group,
                reason=reason,
                amount=abs(amount),
                note=note,
                posted_by=self.posted_by,
                posted_at=self.posted_at,
            )
        )

    def _deny(self, claim: Claim, payment: _Payment) -> None:
        claim_id = claim.patient_control_number
        try:
            charges = self.index.claim_charges(claim_id)
        except NoMatch as exc:
            self._unmatched(claim, payment, f"Denied claim: {exc.reason}")
            return
        matched: list[BookCharge | None] = [None] * len(claim.services)
        with suppress(NoMatch):  # unmatched lines keep a blank ChargeID: never guessed
            matched = list(match_services(claim, charges, self.index))
        claim_reasons = _reasons(claim.adjustments)
        common = {
            "trace_number": payment.trace,
            "payment_date": payment.paid_on,
            "payer_name": payment.remittance.payment.payer_name,
            "claim_id": claim_id,
            "payer_claim_number": claim.payer_claim_control_number,
            "patient_id": charges[0].patient_id,
            "claim_reasons": claim_reasons,
        }
        for line, charge in zip(claim.services, matched, strict=True):
            self.denials.append(
                DenialLine(
                    **common,
                    charge_id=charge.charge_id if charge else None,
                    procedure_code=line.procedure_code or None,
                    service_date=line.service_date,
                    billed=line.charge,
                    reasons=_reasons(line.adjustments),
                    remarks=" ".join(line.remarks),
                )
            )
        if not claim.services:
            only = charges[0].charge_id if len(charges) == 1 else None
            self.denials.append(
                DenialLine(
                    **common,
                    charge_id=only,
                    procedure_code=None,
                    service_date=claim.statement_date,
                    billed=claim.charge,
                    reasons="",
                    remarks="",
                )
            )
        self._result(claim, payment, Outcome.DENIED, charges[0].patient_id)

    def _unmatched(self, claim: Claim, payment: _Payment, reason: str) -> None:
        self._result(claim, payment, Outcome.UNMATCHED, None, reason=reason)

    def _result(
        self,
        claim: Claim,
        payment: _Payment,
        outcome: Outcome,
        patient_id: str | None,
        *,
        posted: Decimal = ZERO,
        reason: str = "",
    ) -> None:
        self.claims.append(
            ClaimResult(
                trace_number=payment.trace,
                claim_id=claim.patient_control_number,
                status=claim.status,
                status_text=claim.status_text,
                outcome=outcome,
                charge=claim.charge,
                paid=claim.paid,
                posted=posted,
                patient_id=patient_id,
                payer_claim_number=claim.payer_claim_control_number,
                reason=reason,
                position=claim.position,
            )
        )

    # warnings and final checks -------------------------------------------------------------

    def _warn_fallback(self, payment: _Payment, plan_id: str) -> None:
        payer_id = payment.remittance.payment.payer_id or "(blank)"
        key = ("fallback", payment.trace, plan_id)
        self.warnings.setdefault(
            key,
            Finding(
                "era_payer_fallback",
                f"No plan has PayerID {payer_id} (payment {payment.trace}); its lines were "
                f"posted to the patient's primary plan {plan_id}.",
                "Plans",
                column="PayerID",
                severity=Severity.WARNING,
                fix=f"Enter the payer's ID {payer_id} as the PayerID of its plans.",
                ids=(plan_id, payment.trace),
            ),
        )

    def _check_billed(self, charge: BookCharge, billed: Decimal, claim_id: str) -> None:
        if to_cents(billed) == charge.amount:
            return
        self.warnings.setdefault(
            ("billed", charge.charge_id),
            Finding(
                "era_billed_differs",
                f"The payer's billed amount for charge {charge.charge_id} (claim {claim_id}) "
                "differs from its Amount on the Charges sheet.",
                "Charges",
                charge.row,
                "Amount",
                severity=Severity.WARNING,
                fix="Check the charge against the claim that was sent.",
                ids=(charge.charge_id, claim_id),
            ),
        )

    def check_ids(self) -> None:
        """New row IDs must not be taken by earlier rows."""
        for ids, taken, table in (
            ([p.payment_id for p in self.payments], self.index.payment_ids, "Payments"),
            ([a.adjustment_id for a in self.adjustments], self.index.adjustment_ids, "Adjustments"),
        ):
            clash = sorted(set(ids) & taken)
            if clash:
                raise PaxlError(
                    f"The {table} sheet already has ID {clash[0]}, which this posting would "
                    "use; rename that row's ID, then post again."
                )


def _reasons(adjustments: Sequence[Adjustment]) -> str:
    return "; ".join(f"{a.group}-{a.reason} {money_text(a.amount)}" for a in adjustments)
