"""Sample patient billing: statements, patient payments, assistance, plans, contacts, statuses.

One guarantor account at a time (the guarantor and the children they answer for), one statement
cycle at a time: the amount due on a statement is what the account's finished lines left to the
patient, less what the patient paid before it, less assistance and what a payment plan covers.
Dunning levels follow the age of the unpaid balance (1 up to 30 days, ... 5 beyond 120 days), and
an account that never pays goes to collections 30 days after its final notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from addin.core.money import allocate_cents
from addin.workbook.sample_data import REPS
from addin.workbook.sample_ledger import DAY, Ledger, Line
from addin.workbook.sample_people import PRACTICE_TIME_ZONE, Person

STATEMENT_MINIMUM = 500  # cents, as the Policy default
COLLECTIONS_MINIMUM = 5000
DUE_DAYS = 21
INCOME_CAP_PERCENT = 2  # professional bills: 2% of gross monthly household income
PLAN_MISSED_TO_DEFAULT = 3
FORGIVENESS_PAYMENTS = 36
PLAN_MINIMUM = 5000  # smallest balance put on a payment plan
_SPECIAL = ("double", "plan", "double_refund", "never")
#: days from an account's first statement to ``as_of`` a special case needs to play out
_SPECIAL_DAYS = {"double": 60, "plan": 60, "double_refund": 70, "never": 190}
_BEHAVIORS = ("prompt", "partial", "slow", "never")
_BEHAVIOR_WEIGHTS = (58, 17, 15, 10)


@dataclass
class Account:
    """A guarantor and the patients they answer for, with their lines and patient money."""

    holder: Person
    members: list[Person] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    #: (date, cents) the patient paid (+) or was refunded (−) after the visit copays
    events: list[tuple[dt.date, int]] = field(default_factory=list)


@dataclass
class _Plan:
    row: list  # the plan's row in the ledger (status updated in place)
    schedule: list[tuple[dt.date, int]]
    balance: int
    paid: int = 0
    next: int = 0
    stop_after: int | None = None  # installments paid before the patient stops paying

    @property
    def status(self) -> str:
        return self.row[-1]

    @property
    def covered(self) -> int:
        return self.balance - self.paid


class Billing:
    """Bills accounts and plays out how each one pays."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.rng = ledger.rng
        self.as_of = ledger.as_of
        self.slot = 0
        self.pending: list[str] = []
        self.zones: dict[str, ZoneInfo] = {}

    def bill(self, account: Account) -> None:
        """Run the account's statement cycles up to ``as_of`` and settle its status."""
        rng, holder, ledger = self.rng, account.holder, self.ledger
        lines = sorted(
            (x for x in account.lines if x.due is not None and x.billable != 0),
            key=lambda x: (x.due, x.key),
        )
        pending = any(x.due is None for x in account.lines)  # insurance not finished
        self._screen(holder, bool(lines))
        behavior: str | None = None
        plan: _Plan | None = None
        if lines:
            discount = assistance_discount(holder)
            assisted = due_total = index = episode = 0
            unpaid_since: dt.date | None = None
            final_date: dt.date | None = None
            s = lines[0].due + dt.timedelta(days=rng.randint(2, 8))
            while s < self.as_of:
                while index < len(lines) and lines[index].due <= s:
                    due_total += lines[index].billable
                    index += 1
                paid = sum(amount for date, amount in account.events if date < s)
                next_s = s + dt.timedelta(days=30 + rng.randint(0, 3))
                if plan is not None and plan.status == "Defaulted":
                    plan, behavior = None, "never"
                covered = plan.covered if plan is not None else 0
                outstanding = due_total - paid - assisted - covered
                if outstanding < STATEMENT_MINIMUM:
                    unpaid_since, episode = None, 0
                elif behavior != "collections":
                    unpaid_since = unpaid_since or s
                    episode += 1
                    level = 1 + sum((s - unpaid_since).days > t for t in (30, 60, 90, 120))
                    if level == 5 and final_date is None:
                        final_date = s
                    ledger.statements.append(
                        (s, ledger.next(), holder.pid, s + dt.timedelta(days=DUE_DAYS),
                         outstanding, level, channel(holder), final_date == s)
                    )  # fmt: skip
                    self._contact(holder, s, level)
                    if discount and not assisted:
                        assisted = self._assist(holder, s, outstanding, discount)
                        outstanding -= assisted
                    settled = index == len(lines) and not pending  # no more lines to bill
                    behavior = behavior or self._behavior(s, outstanding, settled)
                    plan, behavior = self._respond(
                        account, lines[:index], behavior, s, outstanding, episode, level, plan
                    )
                    if (
                        behavior == "never"
                        and final_date is not None
                        and (s - final_date).days >= 30
                        and outstanding >= COLLECTIONS_MINIMUM
                    ):
                        behavior = "collections"  # with the agency: no more statements
                if plan is not None:
                    self._installments(account, plan, next_s)
                s = next_s
        status = "Active"
        if holder.closed and not account.lines:
            status = "Closed"
        elif plan is not None and plan.status == "Active":
            status = "Payment plan"
        elif behavior == "collections":
            status = "Collections"
        for person in account.members:
            person.account_status = status
            person.assistance = holder.assistance

    def _behavior(self, first_statement: dt.date, outstanding: int, settled: bool) -> str:
        """How the account pays, chosen at its first statement (``outstanding`` after assistance).

        Of every 25 accounts billed at least 60 days ago, the first that fit get the rare cases,
        so even a small sample has a credit balance (paid twice, nothing more to bill:
        ``settled``), a refund, a payment plan and (if an account is old enough to reach a final
        notice) a collections account.
        """
        days = (self.as_of - first_statement).days
        if days >= 60:
            self.slot += 1
            if self.slot % 25 == 1:
                self.pending = list(_SPECIAL)
            for want in self.pending:
                if (
                    days >= _SPECIAL_DAYS[want]
                    and outstanding >= STATEMENT_MINIMUM
                    and (want != "plan" or outstanding >= PLAN_MINIMUM)
                    and (want != "double" or settled)
                ):
                    self.pending.remove(want)
                    return want
        return self.rng.choices(_BEHAVIORS, _BEHAVIOR_WEIGHTS)[0]

    def _assist(self, holder: Person, s: dt.date, outstanding: int, discount: int) -> int:
        """Post the assistance discount (percent of the amount due, half-up to the cent)."""
        amount = (outstanding * discount + 50) // 100
        on = s + dt.timedelta(days=self.rng.randint(3, 12))
        if on >= self.as_of or not amount:
            return 0
        self.ledger.adjust(on, holder.pid, None, "Assistance", None, None, amount,
                           f"Financial assistance {discount}%")  # fmt: skip
        return amount

    def _respond(self, account, open_lines, behavior, s, outstanding, episode, level, plan):
        """The account's answer to one statement: pay, pay part, overpay, take a plan, or not."""
        rng = self.rng
        if outstanding < STATEMENT_MINIMUM:
            return plan, behavior
        wants_plan = behavior == "plan" or (
            behavior == "never" and level >= 2 and outstanding >= 10000 and rng.random() < 0.3
        )
        if wants_plan and plan is None and outstanding >= PLAN_MINIMUM:
            created = s + dt.timedelta(days=rng.randint(2, 10))
            if created < self.as_of:
                return self._new_plan(account.holder, created, outstanding), "prompt"
            return plan, behavior
        if behavior == "plan":  # too small for a plan: paid at once
            behavior = "prompt"
        amount, when = 0, s + dt.timedelta(days=rng.randint(4, 20))
        if behavior in ("prompt", "double", "double_refund") or (
            behavior == "slow" and episode >= 2
        ):
            amount = outstanding
        elif behavior == "partial":
            amount = max(min(outstanding, 2000), outstanding * rng.randint(25, 60) // 100)
        if not amount or when >= self.as_of:
            return plan, behavior
        self._pay(account, open_lines, when, amount)
        if behavior in ("double", "double_refund"):  # paid online and by check: a credit
            again = when + dt.timedelta(days=rng.randint(2, 6))
            if again < self.as_of:
                self._pay(account, open_lines, again, amount, method="Check")
                refund_on = again + dt.timedelta(days=rng.randint(15, 40))
                if behavior == "double_refund" and refund_on < self.as_of:
                    self.ledger.payment(refund_on, account.holder.pid, None, "Patient", "Refund",
                                        "Check", amount, self.ledger.reference("RFD"))  # fmt: skip
                    account.events.append((refund_on, -amount))
            return plan, "prompt"
        return plan, behavior

    def _pay(self, account: Account, open_lines, when: dt.date, amount: int, method=None) -> None:
        """A patient payment: applied to the line when one line is open, else unapplied."""
        owing = [x for x in open_lines if x.billable > 0]
        line = owing[0] if len(owing) == 1 else None
        method = method or self.rng.choices(("Check", "Card", "ACH", "Cash"), (30, 45, 15, 10))[0]
        pid = line.pid if line else account.holder.pid
        key = line.key if line else None
        self.ledger.payment(when, pid, key, "Patient", "Payment", method, amount)
        account.events.append((when, amount))

    # --- payment plans ---------------------------------------------------------------------------

    def _new_plan(self, holder: Person, created: dt.date, balance: int) -> _Plan:
        """An income-based plan (2% of income, forgiven after 36) or equal installments."""
        rng = self.rng
        forgiven = 0
        if holder.income and rng.random() < 0.5:
            rule = "Income"
            installment = max(100, holder.income * INCOME_CAP_PERCENT // 100)  # floor to cents
            count = -(-balance // installment)
            if count > FORGIVENESS_PAYMENTS:
                count = FORGIVENESS_PAYMENTS
                forgiven = balance - count * installment
            amounts = [installment] * (count - 1) + [balance - forgiven - installment * (count - 1)]
        else:
            rule = "Equal"
            terms = [t for t in (3, 6, 12) if balance // t >= 2500] or [max(1, balance // 2500)]
            count = rng.choice(terms)
            amounts = allocate_cents(balance, count)
        first_due = created + dt.timedelta(days=30)
        schedule = [(first_due + dt.timedelta(days=30 * k), a) for k, a in enumerate(amounts)]
        row = [created, self.ledger.next(), holder.pid, balance, amounts[0], count, first_due,
               rule, forgiven or None, "Active"]  # fmt: skip
        self.ledger.plan_rows.append(row)
        stop = rng.randint(0, 2) if rng.random() < 0.15 else None
        return _Plan(row, schedule, balance, stop_after=stop)

    def _installments(self, account: Account, plan: _Plan, end: dt.date) -> None:
        """Pay the plan's installments due before ``end`` (up to three days early)."""
        limit = min(end, self.as_of)
        while plan.status == "Active" and plan.next < len(plan.schedule):
            due, amount = plan.schedule[plan.next]
            if due >= limit:
                return
            if plan.stop_after is not None and plan.next >= plan.stop_after:
                missed = sum(1 for d, _ in plan.schedule[plan.next :] if d < limit)
                if missed >= PLAN_MISSED_TO_DEFAULT:
                    plan.row[-1] = "Defaulted"
                return
            paid_on = due - dt.timedelta(days=self.rng.randint(0, 3))
            method = self.rng.choice(("ACH", "Card"))
            self.ledger.payment(paid_on, account.holder.pid, None, "Patient", "Payment", method,
                                amount)  # fmt: skip
            account.events.append((paid_on, amount))
            plan.paid += amount
            plan.next += 1
            if plan.next == len(plan.schedule):
                plan.row[-1] = "Completed"

    # --- assistance screening --------------------------------------------------------------------

    def _screen(self, holder: Person, has_balance: bool) -> None:
        """Financial-assistance screening of the guarantor (only accounts with a bill)."""
        ratio = holder.poverty_ratio
        if ratio is None or not has_balance:
            return
        roll = self.rng.random()
        if ratio <= 4.0:
            if roll < 0.35:
                holder.assistance = "Approved"
            elif roll < 0.45:
                holder.assistance = "Applied"
            elif roll < 0.5:
                holder.assistance = "Denied"
        elif roll < 0.03:
            holder.assistance = "Denied"

    # --- contacts --------------------------------------------------------------------------------

    def _contact(self, holder: Person, s: dt.date, level: int) -> None:
        """Reminders for past-due accounts: calls from level 2, a letter at levels 4 and 5."""
        rng = self.rng
        calls = (0, 0, int(rng.random() < 0.5), rng.randint(1, 2), rng.randint(1, 2), 1)[level]
        if level >= 4:
            how = {"Email": "Email", "Text": "Text"}.get(holder.preferred, "Letter")
            note = "Final notice" if level == 5 else "Past-due reminder"
            self._log(holder, s + DAY, how, "Sent", note, local=False)
        if holder.phone is None:
            return
        for offset in sorted(rng.sample(range(2, 26), calls)):
            outcome = rng.choices(
                ("Reached", "No answer", "Left message", "Wrong number"), (25, 40, 30, 5)
            )[0]
            self._log(holder, s + dt.timedelta(days=offset), "Call", outcome, "Balance call",
                      local=True)  # fmt: skip

    def _log(self, holder: Person, day, how: str, outcome: str, note: str, *, local: bool) -> None:
        """Log a contact at 9:00-19:59 in the patient's zone (calls) or the practice's; the log
        keeps practice time."""
        if day >= self.as_of:
            return
        rng = self.rng
        hour, minute = rng.randint(9, 19), rng.randint(0, 59)
        zone = self._zone(holder.zone if local else PRACTICE_TIME_ZONE)
        at = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        practice = at.astimezone(self._zone(PRACTICE_TIME_ZONE)).replace(tzinfo=None)
        if practice.date() >= self.as_of:
            return
        self.ledger.contacts.append((practice, self.ledger.next(), holder.pid, how, outcome,
                                     rng.choice(REPS), note))  # fmt: skip

    def _zone(self, name: str) -> ZoneInfo:
        zone = self.zones.get(name)
        if zone is None:
            zone = self.zones[name] = ZoneInfo(name)
        return zone


def channel(p: Person) -> str:
    """How statements reach the guarantor."""
    return {"Email": "Email", "Text": "Portal"}.get(p.preferred, "Mail")


def assistance_discount(holder: Person) -> int:
    """Percent off for an approved guarantor (Oregon-style tiers of the poverty guideline)."""
    ratio = holder.poverty_ratio
    if holder.assistance != "Approved" or ratio is None:
        return 0
    for limit, percent in ((2.0, 100), (3.0, 75), (3.5, 50), (4.0, 25)):
        if ratio <= limit:
            return percent
    return 0
