"""Sample visits, charges and insurer adjudication; coverage rows with the year's accumulators.

The split of each line follows DESIGN §5 on integer cents: contractual CO-45 = billed − allowed;
copay = min(copay, allowed); deductible (PR-1) where the code's fee says it applies; coinsurance
(PR-2) rounded half-up to the cent; the patient total capped at the out-of-pocket room (cut
coinsurance, then deductible, then copay); the plan pays allowed − patient share. A secondary plan
then pays by its COB method: standard = min(its normal benefit, what the primary left), non-
duplication = max(0, its normal benefit − what the primary paid).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from addin.core.money import from_cents
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
    PlanSpec,
)
from addin.workbook.sample_ledger import DAY, HISTORY_DAYS, Ledger, Line
from addin.workbook.sample_people import Person

#: a few patients also have one visit up to this many days before the six-month window
OLDEST_VISIT_DAYS = 80
Item = tuple[str, int, str | None, tuple[str, ...]]  # code, units, modifier, diagnoses


class Claims:
    """Makes each patient's visits and adjudicates them against the patient's plans."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.rng = ledger.rng
        self.as_of = ledger.as_of
        self.plans = {p.plan_id: p for p in PLANS}
        self.allowed = self._allowed_rates()
        self.accumulators: dict[tuple[str, str, int], list[int]] = {}
        self.claims = 0

    # --- contract rates and cost share ----------------------------------------------------------

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

    def _line_allowed(self, plan_id: str, line: Line) -> int:
        return min(self.allowed[plan_id, line.code] * line.units, line.billed)

    def _accumulator(self, pid: str, plan: PlanSpec, year: int, rank: int) -> list[int]:
        """[deductible met, out-of-pocket used] of a patient, plan and benefit year, in cents."""
        key = (pid, plan.plan_id, year)
        acc = self.accumulators.get(key)
        if acc is None:
            acc = [0, 0]
            if rank == 1 and year == self.ledger.start.year and plan.deductible:
                # what the patient had used this year before the sample's window
                met = 0 if self.rng.random() < 0.4 else self.rng.randint(0, plan.deductible // 100)
                acc = [met * 100, met * 100 + self.rng.randint(0, 300) * 100]
                if plan.oop_max is not None:
                    acc[1] = min(acc[1], plan.oop_max)
            self.accumulators[key] = acc
        return acc

    def _share(self, plan: PlanSpec, acc: list[int], line: Line, allowed: int) -> int:
        """The patient's share of ``allowed`` (cents), updating the year's accumulators."""
        fee = FEES_BY_CODE[line.code]
        copay = min(copay_for(plan, fee.copay_type), allowed)
        rest = allowed - copay
        deductible = 0
        if fee.deductible_applies:
            deductible = min(max(plan.deductible - acc[0], 0), rest)
        num, den = Decimal(plan.coinsurance).as_integer_ratio()
        coinsurance = ((rest - deductible) * num * 2 + den) // (2 * den)  # half-up to the cent
        total = copay + deductible + coinsurance
        if plan.oop_max is not None:
            room = max(plan.oop_max - acc[1], 0)
            excess = total - room
            if excess > 0:  # cut coinsurance first, then deductible, then copay
                cut = min(excess, coinsurance)
                excess -= cut
                deductible -= min(excess, deductible)  # (the copay absorbs any rest)
                total = room
        acc[0] += deductible
        acc[1] += total
        return total

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
        for line in lines:
            self._adjudicate(p, line)
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
            self._collect_copay(p, line)
        return lines

    def _collect_copay(self, p: Person, line: Line) -> None:
        """Most patients pay the copay at the front desk on the day of the visit."""
        if p.primary == SELF_PAY:
            return
        copay = copay_for(self.plans[p.primary], FEES_BY_CODE[line.code].copay_type)
        if copay and self.rng.random() < 0.8:
            method = self.rng.choice(("Card", "Card", "Card", "Cash"))
            self.ledger.payment(line.date, p.pid, line.key, "Patient", "Payment", method, copay)
            line.copay_paid = copay

    # --- adjudication ----------------------------------------------------------------------------

    def _adjudicate(self, p: Person, line: Line) -> None:
        rng, ledger, plan = self.rng, self.ledger, self.plans[p.primary]
        if plan.plan_id == SELF_PAY:
            allowed = self._line_allowed(SELF_PAY, line)
            if line.billed > allowed:
                ledger.adjust(line.date, p.pid, line.key, "Write-off", None, None,
                              line.billed - allowed, "Self-pay discount")  # fmt: skip
            line.status, line.due, line.billable = "Patient due", line.date + DAY, allowed
            return
        decided = line.date + dt.timedelta(days=rng.randint(12, 35))
        if decided >= self.as_of:
            line.status = "Unbilled" if (self.as_of - line.date).days <= 4 else "Submitted"
            return
        if listed(plan.not_covered, line.code):  # PR-96: the patient's in full
            line.status, line.due = "Denied", decided
            line.billable = line.billed - line.copay_paid
            return
        if listed(plan.prior_auth, line.code) and rng.random() < 0.15:  # CO-197: written off
            ledger.adjust(decided, p.pid, line.key, "Write-off", "CO", "197", line.billed,
                          "No prior authorization", ERA_POSTER)  # fmt: skip
            line.status, line.due, line.billable = "Denied", decided, -line.copay_paid
            return
        allowed = self._line_allowed(plan.plan_id, line)
        patient = self._share(
            plan, self._accumulator(p.pid, plan, line.date.year, 1), line, allowed
        )
        plan_paid = allowed - patient
        if line.billed > allowed:
            ledger.adjust(decided, p.pid, line.key, "Contractual", "CO", "45",
                          line.billed - allowed, None, ERA_POSTER)  # fmt: skip
        if plan_paid:
            ledger.payment(decided, p.pid, line.key, plan.plan_id, "Payment", "EFT", plan_paid)
        line.due = decided
        if p.secondary and patient > 0:
            paid_on = decided + dt.timedelta(days=rng.randint(8, 25))
            if paid_on >= self.as_of:  # waiting for the secondary: not billed to the patient yet
                line.status, line.due = "Submitted", None
                return
            patient -= self._secondary(p, line, paid_on, patient, plan_paid)
            line.due = paid_on
        line.status = "Patient due" if patient > 0 else "Adjudicated"
        line.billable = patient - line.copay_paid

    def _secondary(self, p: Person, line: Line, paid_on: dt.date, left: int, primary: int) -> int:
        """What the secondary plan pays of the ``left`` cents the primary left to the patient."""
        plan = self.plans[p.secondary]
        allowed = self._line_allowed(plan.plan_id, line)
        acc = self._accumulator(p.pid, plan, line.date.year, 2)
        normal = allowed - self._share(plan, acc, line, allowed)
        if plan.cob_method == "non_duplication":
            pays = max(0, min(normal - primary, left))
        else:
            pays = max(0, min(normal, left))
        if pays:
            self.ledger.payment(paid_on, p.pid, line.key, plan.plan_id, "Payment", "EFT", pays)
        return pays

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
        """Coverage start: a past plan year, and never before birth."""
        first = (self.ledger.start - dt.timedelta(days=OLDEST_VISIT_DAYS)).year
        year = self.rng.randint(min(max(2015, p.dob.year), first), first)
        month = 1 if year == first else self.rng.choice((1, 1, 1, 4, 7, 10))
        return max(dt.date(year, month, 1), p.dob)

    def _row(self, p, plan_id, rank, start, end) -> dict[str, object]:
        rng, plan = self.rng, self.plans[plan_id]
        active = end is None and plan_id != SELF_PAY
        acc = self.accumulators.get((p.pid, plan_id, self.as_of.year), [0, 0])
        verified = self.as_of - dt.timedelta(days=rng.randint(1, 120))
        member = f"{plan.payer_id}{rng.randint(10**8, 10**9 - 1)}"
        group = f"G{rng.randint(10000, 99999)}"
        return {
            "PatientID": p.pid,
            "PlanID": plan_id,
            "Rank": rank,
            "MemberID": None if plan_id == SELF_PAY else member,
            "GroupNumber": group if plan.plan_type == "Commercial" else None,
            "EffectiveFrom": start,
            "EffectiveTo": end,
            "DeductibleMet": from_cents(acc[0]) if active else None,
            "OOPUsed": from_cents(acc[1]) if active else None,
            "BenefitYear": self.as_of.year if active else None,
            "VerifiedOn": max(verified, start) if end is None else None,
        }


def copay_for(plan: PlanSpec, copay_type: str) -> int:
    """The plan's copay in cents for a fee's copay type (0 for ``None``)."""
    if copay_type == "Office":
        return plan.copay_office
    if copay_type == "Specialist":
        return plan.copay_specialist
    if copay_type == "ER":
        return plan.copay_er
    return 0


def listed(codes: str, code: str) -> bool:
    """Is ``code`` one of the comma-separated codes or prefixes?"""
    return any(code.startswith(c.strip()) for c in codes.split(",") if c.strip())


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
