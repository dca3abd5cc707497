"""Sample patients: demographics, households, incomes, guarantors and which plans cover them."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from itertools import accumulate

from addin.core.money import from_cents
from addin.workbook.sample_data import (
    CITIES,
    FIRST_NAMES,
    LAST_NAMES,
    NOTES,
    SELF_PAY,
    STREET_SUFFIXES,
    STREETS,
    SUPPLEMENT,
    City,
)

PRACTICE_TIME_ZONE = "America/New_York"
#: 2026 HHS poverty guideline (48 states and DC): base and per extra person, dollars a year
POVERTY_BASE, POVERTY_PER_PERSON = 15960, 5680
_CITY_WEIGHTS = list(accumulate(c.weight for c in CITIES))


@dataclass
class Person:
    """One sample patient while the sample is being built (internal; records are plain dicts)."""

    pid: str
    last: str
    first: str
    dob: dt.date
    age: int
    address1: str
    address2: str | None
    city: City
    zip: str
    phone: str | None
    email: str | None
    time_zone: str | None  # as entered: None = the practice's zone
    preferred: str
    guarantor: str | None
    household: int
    income: int | None  # cents a month, gross household
    notes: str | None
    primary: str | None  # PlanID; None for a closed account with no coverage on file
    secondary: str | None
    closed: bool = False
    assistance: str = "Not screened"
    account_status: str = "Active"

    @property
    def zone(self) -> str:
        """The zone to call the patient in."""
        return self.time_zone or PRACTICE_TIME_ZONE

    @property
    def poverty_ratio(self) -> float | None:
        """Household income as a multiple of the poverty guideline (2.0 = 200%)."""
        if self.income is None:
            return None
        guideline = POVERTY_BASE + POVERTY_PER_PERSON * (self.household - 1)
        return self.income * 12 / 100 / guideline


def make_people(rng: random.Random, count: int, as_of: dt.date) -> list[Person]:
    """``count`` patients, IDs ``P000001``..., children placed after a parent who is guarantor."""
    people: list[Person] = []
    heads: list[Person] = []  # adults of working age who may bring children
    for n in range(1, count + 1):
        pid = f"P{n:06d}"
        if heads and rng.random() < 0.17:
            person = _child(rng, pid, rng.choice(heads[-8:]), as_of)
        else:
            person = _adult(rng, pid, as_of)
            if 25 <= person.age <= 55:
                heads.append(person)
        people.append(person)
    _settle_households(people)
    return people


def _settle_households(people: list[Person]) -> None:
    """A guarantor's household counts at least them and their children; children share it."""
    children: dict[str, int] = {}
    for p in people:
        if p.guarantor:
            children[p.guarantor] = children.get(p.guarantor, 0) + 1
    by_id = {p.pid: p for p in people}
    for pid, kids in children.items():
        head = by_id[pid]
        head.household = max(head.household, 1 + kids)
    for p in people:
        if p.guarantor:
            head = by_id[p.guarantor]
            p.household, p.income = head.household, head.income


def _birth_date(rng: random.Random, age: int, as_of: dt.date) -> dt.date:
    return as_of - dt.timedelta(days=age * 365 + rng.randint(15, 350) + age // 4)


def _adult(rng: random.Random, pid: str, as_of: dt.date) -> Person:
    age = rng.choice((rng.randint(18, 44), rng.randint(45, 64), rng.randint(65, 92)))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    city = CITIES[rng.choices(range(len(CITIES)), cum_weights=_CITY_WEIGHTS)[0]]
    household = 1 if age >= 65 and rng.random() < 0.5 else rng.choice((1, 1, 2, 2, 3, 4, 5, 6))
    income = None
    if rng.random() > 0.12:
        dollars = rng.lognormvariate(math.log(4300), 0.6) * (1 + 0.2 * (household - 1))
        income = max(600, min(40000, round(dollars))) * 100
    email = f"{first}.{last}{rng.randint(1, 99)}@example.com".lower().replace("'", "")
    preferred = rng.choices(("Mail", "Email", "Phone", "Text"), (40, 30, 20, 10))[0]
    has_email = preferred == "Email" or rng.random() < 0.7
    blank_zone = city.time_zone == PRACTICE_TIME_ZONE and rng.random() < 0.15
    person = Person(
        pid=pid,
        last=last,
        first=first,
        dob=_birth_date(rng, age, as_of),
        age=age,
        address1=f"{rng.randint(10, 9899)} {rng.choice(STREETS)} {rng.choice(STREET_SUFFIXES)}",
        address2=_unit(rng),
        city=city,
        zip=f"{city.zip3}{rng.randint(1, 99):02d}",
        phone=f"({city.area_code}) 555-01{rng.randint(0, 99):02d}" if rng.random() < 0.95 else None,
        email=email if has_email else None,
        time_zone=None if blank_zone else city.time_zone,
        preferred=preferred,
        guarantor=None,
        household=household,
        income=income,
        notes=rng.choice(NOTES) if rng.random() < 0.04 else None,
        primary=None,
        secondary=None,
    )
    if person.phone is None and preferred in ("Phone", "Text"):
        person.preferred = "Mail"
    _cover_adult(rng, person)
    person.closed = rng.random() < 0.01
    return person


def _unit(rng: random.Random) -> str | None:
    if rng.random() >= 0.12:
        return None
    return rng.choice(
        (f"Apt {rng.randint(1, 40)}{rng.choice('ABCD')}", f"Unit {rng.randint(1, 300)}")
    )


def _cover_adult(rng: random.Random, person: Person) -> None:
    ratio = person.poverty_ratio
    if person.age >= 65:
        person.primary = "MCAREB" if rng.random() < 0.92 else "SUMPPO"
        if person.primary == "MCAREB":
            roll = rng.random()
            if ratio is not None and ratio < 1.38 and roll < 0.3:
                person.secondary = "MCAID"
            elif roll < 0.5:
                person.secondary = SUPPLEMENT
        return
    if ratio is not None and ratio < 1.38 and rng.random() < 0.7:
        person.primary = "MCAID"
        return
    if rng.random() < 0.08:
        person.primary = SELF_PAY
        return
    person.primary = "SUMPPO" if rng.random() < 0.6 else "SUMHDHP"
    if rng.random() < 0.1:
        person.secondary = "SUMHDHP" if person.primary == "SUMPPO" else "SUMPPO"


def _child(rng: random.Random, pid: str, parent: Person, as_of: dt.date) -> Person:
    age = rng.randint(0, 17)
    return Person(
        pid=pid,
        last=parent.last,
        first=rng.choice(FIRST_NAMES),
        dob=_birth_date(rng, age, as_of),
        age=age,
        address1=parent.address1,
        address2=parent.address2,
        city=parent.city,
        zip=parent.zip,
        phone=parent.phone,
        email=None,
        time_zone=parent.time_zone,
        preferred=parent.preferred if parent.preferred != "Email" else "Mail",
        guarantor=parent.pid,
        household=parent.household,
        income=parent.income,
        notes=None,
        primary=parent.primary if parent.primary != "MCAREB" else "MCAID",
        secondary=None,
    )


def patient_record(p: Person) -> dict[str, object]:
    """The Patients row of a person (money as ``Decimal`` dollars)."""
    return {
        "PatientID": p.pid,
        "LastName": p.last,
        "FirstName": p.first,
        "DOB": p.dob,
        "Address1": p.address1,
        "Address2": p.address2,
        "City": p.city.name,
        "State": p.city.state,
        "ZIP": p.zip,
        "Phone": p.phone,
        "Email": p.email,
        "TimeZone": p.time_zone,
        "PreferredContact": p.preferred,
        "Guarantor": p.guarantor,
        "HouseholdSize": p.household,
        "MonthlyIncome": None if p.income is None else from_cents(p.income),
        "AssistanceStatus": p.assistance,
        "AccountStatus": p.account_status,
        "Notes": p.notes,
    }
