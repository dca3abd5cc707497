"""Sample visits and charges, adjudicated by the insurance core; coverage rows.

Insurers pay what :mod:`addin.core.expected` says they should, because the sample adjudicates
with the same core functions on the same tables: the sample's Plans, Fees and Allowed records are
read into :class:`~addin.core.benefits.PlanTerms` and :class:`~addin.core.pricing.Pricing`; all of
a patient's lines that are not denied (pending ones too: they use up the deductible in service-date
order) are priced by :func:`~addin.core.pricing.price_services` (contract rate × units, copay once
per visit, NotCovered codes the patient's) and split by
:func:`~addin.core.benefits.split_by_benefit_year` from the coverage's starting accumulators; a
secondary plan pays by :func:`~addin.core.cob.secondary_payment` from what the primary paid.

The sample keeps integer cents; amounts cross to and from the core's ``Decimal`` dollars only
through :func:`~addin.core.money.from_cents` and :func:`~addin.core.money.to_cents`.

Coverage rows carry the **starting** accumulators, as the core reads them: DeductibleMet and
OOPUsed are what the patient had used in BenefitYear (the year of ``as_of``) before the sample's
lines; lines in another year start from nothing used.
"""

from __future__ import annotations

import datetime as dt
import random

from addin.core.benefits import BenefitUsage, PlanTerms, plans_from_frame, split_by_benefit_year
from addin.core.cob import secondary_payment
from addin.core.cost_share import LineSplit
from addin.core.money import from_cents, to_cents
from addin.core.pricing import PricedLine, Pricing, Service, price_services
from addin.workbook.frames import typed_frame
from addin.workbook.sample_data import (
    ACUTE_DX,
    CHRONIC_DX,
    ER_DX,
    ERA_POSTER,
    FEES,
    FEES_BY_CODE,
    HOSPITAL_PROVIDERS,
    IMAGING,
    MSK_DX,
    PLANS,
    PREVENTIVE_ADULT_DX,
    PREVENTIVE_CHILD_DX,
    PROCEDURES,
    PROVIDERS,
    SELF_PAY,
)
from addin.workbook.sample_ledger import DAY, HISTORY_DAYS, Ledger, Line, reference_records
from addin.workbook.sample_people import Person

#: a few patients also have one visit up to this many days before the six-month window
OLDEST_VISIT_DAYS = 80
#: share of lines needing prior authorization that the primary denies (CO-197)
NO_AUTHORIZATION_RATE = 0.15
Item = tuple[str, int, str | None, tuple[str, ...]]  # code, units, modifier, diagnoses


class Claims:
    """Makes each patient's visits and adjudicates them against the patient's plans."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.rng = ledger.rng
        self.as_of = ledger.as_of
        self.specs = {p.plan_id: p for p in PLANS}
        self.allowed = self._allowed_rates()
        #: the Plans, Fees and Allowed records, and the core's reading of them
        self.reference = reference_records(self.allowed)
        self.plans = plans_from_frame(typed_frame("Plans", self.reference["Plans"]))
        self.pricing = Pricing.from_frames(
            typed_frame("Fees", self.reference["Fees"]),
            typed_frame("Allowed", self.reference["Allowed"]),
        )
        #: (PatientID, PlanID) → what was used in the benefit year before the sample's lines
        self.usage: dict[tuple[str, str], BenefitUsage] = {}
        self.claims = 0

    def _allowed_rates(self) -> dict[tuple[str, str], int]:
        """Allowed cents per unit for every plan and code: the plan's share of the charge ±8%."""
        rates = {}
        for plan in PLANS:
            share = round(plan.allowed_share * 10000)
            for fee in FEES:
                factor = self.rng.randint(9200, 10800)
                rates[plan.plan_id, fee.code] = min(
                    fee.charge, fee.charge * share * factor // 10**8
                )
        return rates

    # --- benefit-year accumulators ---------------------------------------------------------------

    def _draw_usage(self, p: Person) -> None:
        """What the patient had used of the primary plan this benefit year before the sample."""
        spec = self.specs[p.primary]
        if not spec.deductible:
            return
        rng = self.rng
        met = 0 if rng.random() < 0.4 else rng.randint(0, spec.deductible // 100) * 100
        used = met + rng.randint(0, 300) * 100
        if spec.oop_max is not None:
            used = min(used, spec.oop_max)
        self.usage[p.pid, p.primary] = BenefitUsage(
            self.as_of.year, from_cents(met), from_cents(used)
        )

    def _usage(self, pid: str, plan_id: str) -> BenefitUsage:
        return self.usage.get((pid, plan_id)) or BenefitUsage(self.as_of.year)

    # --- visits ----------------------------------------------------------------------------------

    def visits(self, p: Person) -> list[Line]:
        """The patient's visits in the sample's window, each line adjudicated as far as it got."""
        if p.closed or p.primary is None:
            return []
        rng = self.rng
        weights = (10, 30, 27, 16, 11, 6) if p.age >= 65 else (18, 33, 25, 13, 8, 3)
        count = rng.choices(range(6), weights)[0]
        days = rng.sample(range(0, HISTORY_DAYS), count)
        if rng.random() < 0.04:  # an older visit: a balance old enough for collections
            days.append(-rng.randint(20, OLDEST_VISIT_DAYS))
        days.sort()
        lines: list[Line] = []
        for n, offset in enumerate(days):
            date = self.ledger.start + dt.timedelta(days=offset)
            if date >= self.as_of or date < p.dob:
                continue
            lines += self._visit(p, date, new=n == 0 and rng.random() < 0.12)
        self._draw_usage(p)
        self._adjudicate(p, lines)
        return lines

    def _visit(self, p: Person, date: dt.date, new: bool) -> list[Line]:
        rng = self.rng
        if p.age < 18:
            kind = rng.choices(("office", "preventive", "er"), (60, 30, 10))[0]
        else:
            kinds = ("office", "preventive", "er", "therapy", "imaging", "procedure")
            kind = rng.choices(kinds, (55, 12, 5, 8, 10, 10))[0]
        provider, biller = rng.choice(PROVIDERS), "Professional"
        if kind in ("er", "imaging"):
            biller, provider = "Hospital", HOSPITAL_PROVIDERS[kind == "imaging"]
        items = _ITEMS[kind](rng, p, date, new)
        claim = None
        if p.primary != SELF_PAY:
            self.claims += 1
            claim = self.claims
        lines = []
        for code, units, modifier, dx in items:
            line = Line(
                key=len(self.ledger.lines),
                pid=p.pid,
                date=date,
                code=code,
                units=units,
                modifier=modifier,
                diagnoses=",".join(dx),
                billed=FEES_BY_CODE[code].charge * units,
                provider=provider,
                biller=biller,
                claim=claim,
            )
            self.ledger.lines.append(line)
            lines.append(line)
        return lines

    # --- adjudication ----------------------------------------------------------------------------

    def _price(self, plan: PlanTerms, lines: list[Line]) -> list[PricedLine]:
        """The core's pricing of ``lines`` under ``plan``, in the order given."""
        services = [Service(x.code, from_cents(x.billed), x.units, x.date) for x in lines]
        return price_services(plan, services, self.pricing)

    def _split(
        self, pid: str, plan: PlanTerms, lines: list[Line], priced: list[PricedLine] | None = None
    ) -> list[LineSplit]:
        """The core's split of a patient's lines under one plan, from the starting usage.

        ``priced`` is the pricing of exactly these lines under ``plan``, when already known.
        """
        priced = priced if priced is not None else self._price(plan, lines)
        return split_by_benefit_year([x.line for x in priced], plan, self._usage(pid, plan.plan_id))

    def _adjudicate(self, p: Person, lines: list[Line]) -> None:
        """Collect copays, decide each line's fate, then post what the core says is owed."""
        if p.primary == SELF_PAY:
            for line in lines:
                self._self_pay(p, line)
            return
        primary = self.plans[p.primary]
        at_visit = self._price(primary, lines)
        self._collect_copays(p, lines, at_visit)
        decided = {}
        for line, priced in zip(lines, at_visit, strict=True):
            day = self._decide(p, primary, line, priced.line.covered)
            if day is not None:
                decided[line.key] = day
        kept = [x for x in lines if x.status != "Denied"]  # the lines the core splits
        first = self._split(p.pid, primary, kept, at_visit if len(kept) == len(lines) else None)
        second = self._split(p.pid, self.plans[p.secondary], kept) if p.secondary else None
        for n, line in enumerate(kept):
            if line.key in decided:
                self._post(p, line, decided[line.key], first[n], second[n] if second else None)

    def _collect_copays(self, p: Person, lines: list[Line], priced: list[PricedLine]) -> None:
        """Most patients pay the visit's copay at the front desk on the day of the visit."""
        for line, price in zip(lines, priced, strict=True):
            copay = to_cents(price.line.copay)
            if copay and self.rng.random() < 0.8:
                method = self.rng.choice(("Card", "Card", "Card", "Cash"))
                self.ledger.payment(line.date, p.pid, line.key, "Patient", "Payment", method, copay)
                line.copay_paid = copay

    def _self_pay(self, p: Person, line: Line) -> None:
        """No insurance: the self-pay discount is written off and the rest is due at once."""
        allowed = min(self.allowed[SELF_PAY, line.code] * line.units, line.billed)
        if line.billed > allowed:
            self.ledger.adjust(line.date, p.pid, line.key, "Write-off", None, None,
                               line.billed - allowed, "Self-pay discount")  # fmt: skip
        line.status, line.due, line.billable = "Patient due", line.date + DAY, allowed

    def _decide(self, p: Person, plan: PlanTerms, line: Line, covered: bool) -> dt.date | None:
        """When the primary decides the line, or ``None`` when it is pending or denied."""
        decided = line.date + dt.timedelta(days=self.rng.randint(12, 35))
        if decided >= self.as_of:
            line.status = "Unbilled" if (self.as_of - line.date).days <= 4 else "Submitted"
            return None
        if not covered:  # PR-96: the patient's in full
            line.status, line.due = "Denied", decided
            line.billable = line.billed - line.copay_paid
            return None
        if plan.needs_prior_auth(line.code) and self.rng.random() < NO_AUTHORIZATION_RATE:
            self.ledger.adjust(decided, p.pid, line.key, "Write-off", "CO", "197", line.billed,
                               "No prior authorization", ERA_POSTER)  # fmt: skip
            line.status, line.due, line.billable = "Denied", decided, -line.copay_paid
            return None
        return decided

    def _post(
        self, p: Person, line: Line, decided: dt.date, first: LineSplit, second: LineSplit | None
    ) -> None:
        """Post the primary's remittance and, when the patient still owes, the secondary's."""
        ledger = self.ledger
        if first.contractual:
            ledger.adjust(decided, p.pid, line.key, "Contractual", "CO", "45",
                          to_cents(first.contractual), None, ERA_POSTER)  # fmt: skip
        plan_paid = to_cents(first.plan)
        if plan_paid:
            ledger.payment(decided, p.pid, line.key, p.primary, "Payment", "EFT", plan_paid)
        patient = to_cents(first.patient)
        line.due = decided
        if second is not None and patient > 0:
            paid_on = decided + dt.timedelta(days=self.rng.randint(8, 25))
            if paid_on >= self.as_of:  # waiting for the secondary: not billed to the patient yet
                line.status, line.due = "Submitted", None
                return
            cob = secondary_payment(
                allowable=first.allowed + first.not_covered,
                primary_paid=first.plan,
                secondary_benefit=second.plan,
                method=self.plans[p.secondary].cob_method,
            )
            pays = to_cents(cob.secondary_paid)
            if pays:
                ledger.payment(paid_on, p.pid, line.key, p.secondary, "Payment", "EFT", pays)
            patient -= pays
            line.due = paid_on
        line.status = "Patient due" if patient > 0 else "Adjudicated"
        line.billable = patient - line.copay_paid

    # --- coverage --------------------------------------------------------------------------------

    def coverage(self, p: Person) -> None:
        """The patient's Coverage rows (an older, ended plan now and then)."""
        if p.primary is None:
            return
        rng, rows = self.rng, self.ledger.coverage
        start = self._effective_from(p)
        if rng.random() < 0.03 and start.year > 2016 and p.primary != "MCAREB":
            old = "SUMHDHP" if p.primary == "SUMPPO" else "SUMPPO"
            rows.append(self._row(p, old, 1, start.replace(year=start.year - 3), start - DAY))
        rows.append(self._row(p, p.primary, 1, start, None))
        if p.secondary:
            rows.append(self._row(p, p.secondary, 2, start, None))

    def _effective_from(self, p: Person) -> dt.date:
        """Coverage start: a past plan year, never before birth, before the patient's lines."""
        first = (self.ledger.start - dt.timedelta(days=OLDEST_VISIT_DAYS)).year
        year = self.rng.randint(min(max(2015, p.dob.year), first), first)
        month = 1 if year == first else self.rng.choice((1, 1, 1, 4, 7, 10))
        return max(dt.date(year, month, 1), p.dob)

    def _row(self, p, plan_id, rank, start, end) -> dict[str, object]:
        rng, spec = self.rng, self.specs[plan_id]
        active = end is None and plan_id != SELF_PAY
        usage = self._usage(p.pid, plan_id)
        verified = self.as_of - dt.timedelta(days=rng.randint(1, 120))
        member = f"{spec.payer_id}{rng.randint(10**8, 10**9 - 1)}"
        group = f"G{rng.randint(10000, 99999)}"
        return {
            "PatientID": p.pid,
            "PlanID": plan_id,
            "Rank": rank,
            "MemberID": None if plan_id == SELF_PAY else member,
            "GroupNumber": group if spec.plan_type == "Commercial" else None,
            "EffectiveFrom": start,
            "EffectiveTo": end,
            "DeductibleMet": usage.deductible_met if active else None,
            "OOPUsed": usage.oop_used if active else None,
            "BenefitYear": usage.year if active else None,
            "VerifiedOn": max(verified, start) if end is None else None,
        }


# --- what each kind of visit bills ---------------------------------------------------------------


def _pick_dx(rng: random.Random, pool: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(rng.sample(pool, rng.choice((1, 1, 1, 2, 2, 3))))


def _office(rng: random.Random, p: Person, date: dt.date, new: bool) -> list[Item]:
    chronic = p.age >= 40 and rng.random() < 0.6
    dx = _pick_dx(rng, CHRONIC_DX if chronic else ACUTE_DX)
    codes = ("99202", "99203", "99204") if new else ("99212", "99213", "99214", "99215")
    visit = rng.choices(codes, (15, 45, 30, 10)[: len(codes)])[0]
    extras: list[Item] = []
    if chronic and rng.random() < 0.6:
        extras.append(("36415", 1, None, dx))
        lab = "83036" if dx[0].startswith(("E11", "R73")) else rng.choice(("80053", "80061"))
        extras.append((lab, 1, None, dx))
        if rng.random() < 0.3:
            extras.append((rng.choice(("85025", "84443")), 1, None, dx))
    if dx[0] in ("J02.9", "J02.0"):
        extras.append(("87880", 1, None, dx))
    if dx[0] == "N39.0":
        extras.append(("81002", 1, None, dx))
    if dx[0] == "I48.91" or (chronic and rng.random() < 0.08):
        extras.append(("93000", 1, None, dx))
    if dx[0] in ("J20.9", "J01.90") and rng.random() < 0.4:
        extras += [("96372", 1, None, dx), ("J1100", rng.randint(4, 10), None, dx)]
    if date.month >= 9 and rng.random() < 0.35:
        extras += [("90471", 1, None, ("Z23",)), ("90686", 1, None, ("Z23",))]
    modifier = "25" if any(code in ("96372", "93000") for code, *_ in extras) else None
    return [(visit, 1, modifier, dx), *extras]


def _preventive(rng: random.Random, p: Person, date: dt.date, new: bool) -> list[Item]:
    if p.age < 18:
        dx = (rng.choice(PREVENTIVE_CHILD_DX),)
        items: list[Item] = [("99392" if p.age < 5 else "99393", 1, None, dx)]
        if p.age >= 11 and rng.random() < 0.3:
            items += [("90471", 1, None, ("Z23",)), ("90715", 1, None, ("Z23",))]
        return items
    dx = (rng.choice(PREVENTIVE_ADULT_DX),)
    if p.primary == "MCAREB":
        items = [("G0439", 1, None, dx)]
    elif p.age >= 65:
        items = [("99397", 1, None, dx)]
    elif new:
        items = [("99385" if p.age < 40 else "99386", 1, None, dx)]
    else:
        items = [("99395" if p.age < 40 else "99396", 1, None, dx)]
    items += [("36415", 1, None, dx), ("80061", 1, None, dx)]
    if p.age >= 40 and rng.random() < 0.2:
        items.append(("77067", 1, None, ("Z12.31",)))
    return items


def _er(rng: random.Random, p: Person, date: dt.date, new: bool) -> list[Item]:
    dx = (rng.choice(ER_DX),)
    items: list[Item] = [(rng.choices(("99283", "99284", "99285"), (50, 35, 15))[0], 1, None, dx)]
    if dx[0] in ("R07.9", "J45.909") or rng.random() < 0.3:
        items.append(("71046", 1, None, dx))
    if dx[0].startswith("S61"):
        items.append(("12001", 1, None, dx))
    return items


def _therapy(rng: random.Random, p: Person, date: dt.date, new: bool) -> list[Item]:
    dx = (rng.choice(MSK_DX),)
    items: list[Item] = [("97110", rng.randint(2, 4), "GP", dx)]
    if rng.random() < 0.6:
        items.append(("97140", rng.randint(1, 2), "GP", dx))
    return items


def _imaging(rng: random.Random, p: Person, date: dt.date, new: bool) -> list[Item]:
    code, dxs = rng.choice(IMAGING)
    if code == "77067" and p.age < 40:
        code, dxs = IMAGING[0]
    return [(code, 1, None, (rng.choice(dxs),))]


def _procedure(rng: random.Random, p: Person, date: dt.date, new: bool) -> list[Item]:
    code, dxs, modifiers = rng.choice(PROCEDURES)
    dx = (rng.choice(dxs),)
    consult = rng.choice(("99243", "99244"))
    return [(consult, 1, "25", dx), (code, 1, rng.choice(modifiers) if modifiers else None, dx)]


_ITEMS = {
    "office": _office,
    "preventive": _preventive,
    "er": _er,
    "therapy": _therapy,
    "imaging": _imaging,
    "procedure": _procedure,
}
