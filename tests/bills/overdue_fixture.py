"""An overdue account and a practice for the letter, email and placement tests."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from addin.core.overdue import Contact, OverdueAccount
from addin.core.statement import Practice

PRACTICE = Practice(
    "Riverside Family Clinic",
    "500 River Road, Springfield, IL 62701",
    "(217) 555-0140",
    "Riverside Family Clinic, PO Box 4410, Springfield, IL 62708",
)
CONTACT = Contact(
    "P000042",
    "Ana Rivera",
    address1="12 Elm Street",
    address2="Apt 4",
    city="Springfield",
    state="IL",
    zip="62704",
    phone="(217) 555-0199",
    email="ana.rivera@example.com",
)
LEVEL_2 = "Your balance is past due. Please pay today or call us to set up a payment plan."
FINAL = (
    "FINAL NOTICE: unless you pay or contact us within 30 days, your account may be sent to a "
    "collection agency. Financial assistance may be available; please ask."
)


def overdue(**changes) -> OverdueAccount:
    item = OverdueAccount(
        account="P000042",
        patients=("P000042", "P000043"),
        contact=CONTACT,
        amount_due=Decimal("1234.56"),
        past_due=Decimal("1000.00"),
        first_statement=dt.date(2026, 9, 1),
        days_past=75,
        dunning_level=3,
        message=LEVEL_2,
    )
    return replace(item, **changes)
