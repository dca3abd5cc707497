import datetime as dt
from decimal import Decimal

import pytest

from addin.core.statement import (
    AgingLine,
    Party,
    PlanOption,
    Practice,
    Statement,
    StatementLine,
)

D = Decimal


def make_statement(lines: int | tuple[StatementLine, ...] = 3, **changes) -> Statement:
    """A statement with ``lines`` identical $30.00 lines (or the lines given); ``changes``
    replace fields."""
    if not isinstance(lines, int):
        changes["lines"] = lines
        lines = len(lines)
    items = tuple(
        StatementLine(
            service_date=dt.date(2026, 6, 1) + dt.timedelta(days=7 * i),
            code="99213",
            description="Established patient visit (level 3)",
            charge=D("180.00"),
            insurance_paid=D("95.00"),
            adjustments=D("45.00"),
            patient_paid=D("10.00"),
            patient_owes=D("30.00"),
        )
        for i in range(lines)
    )
    due = D("30.00") * lines
    fields = dict(
        statement_id="ST000001",
        account="P000042",
        statement_date=dt.date(2026, 11, 15),
        due_date=dt.date(2026, 12, 6),
        practice=Practice(
            "Riverside Family Clinic",
            "500 River Road, Springfield, IL 62701",
            "(217) 555-0140",
            "Riverside Family Clinic, PO Box 4410, Springfield, IL 62708",
        ),
        guarantor=Party("Ana Müller", ("12 Elm Street", "Apt 4", "Springfield, IL 62704")),
        patients=("P000042",),
        patient_name="Ana Müller",
        lines=items,
        previous_balance=due + D("25.00"),
        payments_since=D("25.00"),
        amount_due=due,
        insurance_pending=D("0.00"),
        unapplied_credit=D("0.00"),
        aging=AgingLine(
            (("0-30", due), ("31-60", D(0)), ("61-90", D(0)), ("91-120", D(0)), ("121+", D(0)))
        ),
        dunning_level=2,
        message="Your balance is past due. Please pay today or call us to set up a payment plan.",
        plan_options=(
            PlanOption("Pay in full", due, 1, due, due, D("0.00")),
            PlanOption("3 monthly payments", D("30.00"), 3, D("30.00"), due, D("0.00"), True),
        ),
        assistance_notice="Financial assistance is available. Call us or ask for an application.",
    )
    fields.update(changes)
    return Statement(**fields)


@pytest.fixture
def statement() -> Statement:
    return make_statement()
