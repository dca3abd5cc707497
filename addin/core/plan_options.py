"""The payment options printed on a patient's bill, and which one paxl recommends.

For a positive balance, in this order:

1. **Pay in full**, less the Policy's prompt-pay discount (``prompt_pay_discount`` × balance,
   rounded half-up to the cent).
2. **Each standard term** of the Policy (``plan_terms``, e.g. ``3,6,12`` months), offered only if
   every installment but the final one meets ``plan_minimum_installment``. At 0% APR the balance
   is split into equal installments; with ``plan_apr`` above 0 it is amortized
   (:mod:`addin.core.amortize`).
3. **The income-based plan** when the gross monthly household income is known: installment =
   the income cap (``income_cap_hospital`` or ``income_cap_professional`` by biller type, floored to
   the cent), forgiven after ``forgiveness_payments`` payments. A statutory cap is not subject to
   the practice's minimum installment. No interest is charged on it.

Every option satisfies ``total_paid + forgiven + discount == balance + interest``.

**Recommendation rule.** When the income-based plan is offered, paxl recommends the first of pay
in full and the standard terms (shortest first) whose largest payment is within the income cap —
the quickest plan the patient can afford — and the income-based plan when none is. When the income
is unknown (or too low for an income plan), it recommends the longest standard term offered (the
lowest installment), or pay in full when no term meets the minimum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from addin.core.amortize import AmortizationRow, amortize
from addin.core.money import ZERO, from_cents, round_half_up, to_decimal
from addin.core.plans import equal_cents, income_capped_plan
from addin.core.schedule import Installment, PlanError, build_schedule, require_balance

__all__ = [
    "BILLER_TYPES",
    "PlanOption",
    "PlanOptions",
    "PlanPolicy",
    "parse_terms",
    "plan_options",
]

BILLER_TYPES = ("Hospital", "Professional")


def parse_terms(value: object) -> tuple[int, ...]:
    """Standard terms from the Policy cell ``plan_terms``: ``"3,6,12"`` → ``(3, 6, 12)``.

    Sorted, duplicates dropped; a single number (``12``) is one term; blank means no terms.

    Raises:
        PlanError: a part is not a whole number of months from 1 up.
    """
    if value is None:
        return ()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        parts = [str(value)]
    else:
        parts = [p.strip() for p in str(value).replace(";", ",").split(",") if p.strip()]
    terms = set()
    for part in parts:
        try:
            number = to_decimal(part)
        except ValueError:
            number = None
        if number is None or number != number.to_integral_value() or number < 1:
            raise PlanError(
                f"Policy plan_terms: {part!r} is not a number of months; "
                "enter the terms as whole months separated by commas, e.g. 3,6,12"
            )
        terms.add(int(number))
    return tuple(sorted(terms))


def _rate(policy: Mapping[str, object], name: str, *, blank: Decimal | None) -> Decimal | None:
    value = policy.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return blank
    try:
        rate = to_decimal(value)
    except ValueError:
        rate = None
    if rate is None or not 0 <= rate < 1:
        raise PlanError(
            f"Policy {name}: enter a fraction from 0 up to (not including) 1, e.g. 0.04 for 4%"
        )
    return rate


def _whole(policy: Mapping[str, object], name: str) -> int | None:
    value = policy.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = to_decimal(value)
    except ValueError:
        number = None
    if number is None or number != number.to_integral_value() or number < 0:
        raise PlanError(f"Policy {name}: enter a whole number, 0 or more")
    return int(number)


@dataclass(frozen=True)
class PlanPolicy:
    """The Policy settings that shape plan options (fractions as ``Decimal``, money in dollars).

    ``income_cap_*`` is ``None`` when the Policy cell is blank (no income-based plan offered);
    ``forgiveness_payments`` is ``None`` when blank or 0 (never forgiven).
    """

    minimum_installment: Decimal = Decimal("25.00")
    terms: tuple[int, ...] = (3, 6, 12)
    apr: Decimal = ZERO
    prompt_pay_discount: Decimal = ZERO
    income_cap_hospital: Decimal | None = Decimal("0.04")
    income_cap_professional: Decimal | None = Decimal("0.02")
    forgiveness_payments: int | None = 36

    @classmethod
    def from_policy(cls, policy: Mapping[str, object]) -> PlanPolicy:
        """Read the plan settings from a Book's ``policy`` mapping (blanks as described above).

        Raises:
            PlanError: a setting that cannot be read; the message names the Policy cell.
        """
        minimum = policy.get("plan_minimum_installment")
        try:
            minimum_amount = ZERO if minimum is None else to_decimal(minimum)
        except ValueError:
            minimum_amount = Decimal(-1)
        if minimum_amount < 0:
            raise PlanError("Policy plan_minimum_installment: enter an amount, 0 or more")
        forgiveness = _whole(policy, "forgiveness_payments")
        return cls(
            minimum_installment=minimum_amount,
            terms=parse_terms(policy.get("plan_terms")),
            apr=_rate(policy, "plan_apr", blank=ZERO) or ZERO,
            prompt_pay_discount=_rate(policy, "prompt_pay_discount", blank=ZERO) or ZERO,
            income_cap_hospital=_rate(policy, "income_cap_hospital", blank=None) or None,
            income_cap_professional=_rate(policy, "income_cap_professional", blank=None) or None,
            forgiveness_payments=forgiveness or None,
        )

    def income_cap_rate(self, biller_type: str) -> Decimal | None:
        """The cap rate for ``Hospital`` or ``Professional`` bills (``None``: not set).

        Raises:
            PlanError: an unknown biller type.
        """
        if biller_type == "Hospital":
            return self.income_cap_hospital
        if biller_type == "Professional":
            return self.income_cap_professional
        raise PlanError(f"biller type must be Hospital or Professional, not {biller_type!r}")


@dataclass(frozen=True)
class PlanOption:
    """One way to pay a balance; amounts in dollars, two places.

    Attributes:
        key: stable machine name: ``full``, ``equal-6``, ``interest-6`` or ``income``.
        label: what the bill says, e.g. ``"6 monthly payments"``.
        rule: ``Full``, ``Equal``, ``Interest`` or ``Income`` (PaymentPlans.Rule for plans).
        installment: the regular payment (the first one).
        count: number of payments.
        final_payment: the last payment (smaller for income plans, may differ by cents).
        total_paid: sum of all payments.
        forgiven: forgiven after the last payment (income plans with forgiveness).
        discount: prompt-pay discount (pay in full).
        interest: total interest charged (interest-bearing plans).
        schedule: the payments with their due dates.
        amortization: for interest-bearing plans, the rows with interest and principal.
    """

    key: str
    label: str
    rule: str
    installment: Decimal
    count: int
    final_payment: Decimal
    total_paid: Decimal
    forgiven: Decimal
    discount: Decimal
    interest: Decimal
    schedule: tuple[Installment, ...]
    amortization: tuple[AmortizationRow, ...] = ()

    @property
    def largest_payment(self) -> Decimal:
        return max(i.amount for i in self.schedule)


@dataclass(frozen=True)
class PlanOptions:
    """All options for one balance, the recommended one, and notes for the rep.

    Attributes:
        balance: dollars the options cover.
        biller_type: ``Hospital`` or ``Professional`` (which income cap applied).
        income_cap: the monthly income cap in dollars, or ``None`` when income is unknown.
        options: pay in full, then standard terms shortest first, then the income plan.
        recommended: key of the recommended option.
        reason: one sentence saying why it is recommended.
        notes: why an option is missing (for the rep; no patient data).
    """

    balance: Decimal
    biller_type: str
    income_cap: Decimal | None
    options: tuple[PlanOption, ...]
    recommended: str
    reason: str
    notes: tuple[str, ...] = ()

    @property
    def recommended_option(self) -> PlanOption:
        return self.option(self.recommended)

    def option(self, key: str) -> PlanOption:
        """The option with this key.

        Raises:
            KeyError: no such option.
        """
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(key)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _months(count: int) -> str:
    return "1 monthly payment" if count == 1 else f"{count} monthly payments"


def _full(balance: Decimal, policy: PlanPolicy, first_due: dt.date | None) -> PlanOption:
    discount = round_half_up(balance * policy.prompt_pay_discount)
    pay = balance - discount
    label = "Pay in full"
    if discount:
        label += f" ({_percent(policy.prompt_pay_discount)} prompt-pay discount)"
    return PlanOption(
        key="full",
        label=label,
        rule="Full",
        installment=pay,
        count=1,
        final_payment=pay,
        total_paid=pay,
        forgiven=ZERO,
        discount=discount,
        interest=ZERO,
        schedule=build_schedule([pay], first_due),
    )


def _term(
    balance: Decimal, term: int, policy: PlanPolicy, first_due: dt.date | None
) -> PlanOption | None:
    """The option for a standard term, or ``None`` when a payment but the final one would be
    below the Policy minimum (checked before the schedule is built)."""
    if policy.apr > 0:
        plan = amortize(balance, policy.apr, term, first_due=first_due)
        if any(r.payment < policy.minimum_installment for r in plan.rows[:-1]):
            return None
        return PlanOption(
            key=f"interest-{term}",
            label=f"{_months(term)} at {_percent(policy.apr)} APR",
            rule="Interest",
            installment=plan.payment,
            count=plan.count,
            final_payment=plan.final_payment,
            total_paid=plan.total_paid,
            forgiven=ZERO,
            discount=ZERO,
            interest=plan.total_interest,
            schedule=plan.installments,
            amortization=plan.rows,
        )
    cents = equal_cents(balance, term)
    # the smallest payment but the final one decides; dollars are made only for offered terms
    if term > 1 and from_cents(min(cents[:-1])) < policy.minimum_installment:
        return None
    amounts = [from_cents(c) for c in cents]
    return PlanOption(
        key=f"equal-{term}",
        label=_months(term),
        rule="Equal",
        installment=amounts[0],
        count=term,
        final_payment=amounts[-1],
        total_paid=balance,
        forgiven=ZERO,
        discount=ZERO,
        interest=ZERO,
        schedule=build_schedule(amounts, first_due),
    )


def plan_options(
    balance: Decimal,
    policy: PlanPolicy,
    *,
    monthly_income: Decimal | None = None,
    biller_type: str = "Hospital",
    first_due: dt.date | None = None,
) -> PlanOptions:
    """The payment options for a balance (see the module docstring for the rules).

    Args:
        balance: dollars the patient owes, positive.
        policy: plan settings, usually ``PlanPolicy.from_policy(book.policy)``.
        monthly_income: gross monthly household income in dollars, or ``None`` if unknown.
        biller_type: ``Hospital`` or ``Professional``: which income cap applies.
        first_due: due date of every option's first payment, or ``None``.

    Raises:
        PlanError: the balance is not positive, or the biller type is unknown.
    """
    amount = require_balance(balance)
    cap_rate = policy.income_cap_rate(biller_type)
    notes: list[str] = []
    options = [_full(amount, policy, first_due)]
    minimum = policy.minimum_installment
    for term in policy.terms:
        try:
            option = _term(amount, term, policy, first_due)
        except PlanError as exc:
            notes.append(f"{_months(term)} not offered: {exc}")
            continue
        if option is None:
            notes.append(
                f"{_months(term)} not offered: the installment would be below the "
                f"${minimum:,.2f} minimum (Policy plan_minimum_installment)"
            )
            continue
        options.append(option)

    income_option: PlanOption | None = None
    cap: Decimal | None = None
    if monthly_income is not None and cap_rate is None:
        notes.append(
            f"income-based plan not offered: Policy income_cap_{biller_type.lower()} is blank"
        )
    elif monthly_income is not None and cap_rate is not None:
        try:
            plan = income_capped_plan(
                amount,
                monthly_income,
                cap_rate,
                forgiveness_payments=policy.forgiveness_payments,
                first_due=first_due,
            )
        except PlanError as exc:
            notes.append(f"income-based plan not offered: {exc}")
        else:
            cap = plan.cap
            label = f"Income-based: {_percent(cap_rate)} of monthly income"
            if plan.forgiven:
                label += f", balance forgiven after {plan.count} payments"
            income_option = PlanOption(
                key="income",
                label=label,
                rule="Income",
                installment=plan.cap if plan.count > 1 else plan.final_payment,
                count=plan.count,
                final_payment=plan.final_payment,
                total_paid=plan.total_paid,
                forgiven=plan.forgiven,
                discount=ZERO,
                interest=ZERO,
                schedule=plan.installments,
            )
            options.append(income_option)

    recommended, reason = _recommend(options, income_option, cap, monthly_income is not None)
    return PlanOptions(
        balance=amount,
        biller_type=biller_type,
        income_cap=cap,
        options=tuple(options),
        recommended=recommended.key,
        reason=reason,
        notes=tuple(notes),
    )


def _recommend(
    options: list[PlanOption],
    income_option: PlanOption | None,
    cap: Decimal | None,
    income_known: bool,
) -> tuple[PlanOption, str]:
    standard = [o for o in options if o.rule != "Income"]
    if income_option is not None and cap is not None:
        for option in standard:
            if option.largest_payment <= cap:
                return option, "the quickest option whose payments are within the income cap"
        return income_option, "no standard option is within the income cap"
    why = "no income-based plan" if income_known else "income unknown"
    terms = [o for o in standard if o.rule != "Full"]
    if terms:
        return terms[-1], f"{why}: the standard term with the lowest installment"
    return standard[0], f"{why}, and no standard term meets the minimum installment"
