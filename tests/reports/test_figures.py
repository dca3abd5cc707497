"""The report's figures equal the ledger's, to the cent: A/R and its trend, aging, collections
rate, payments by payer and method, top balances and plans."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core.ledger import ledger_from_book
from addin.reports.figures import ArPoint, percent, report_figures, report_tables
from addin.workbook.book import book_from_records
from addin.workbook.sample import generate_sample
from tests.reports.book_fixture import AS_OF, book, records

D = dt.date


@pytest.fixture(scope="module")
def figures():
    return report_figures(book(), AS_OF, months=3)


def test_ar_is_the_open_items_and_net_ar_the_sum_of_balances(figures):
    assert figures.ar == ArPoint(AS_OF, insurance=30000, patient=11000, credit=2000)
    assert (figures.ar.total, figures.ar.net) == (41000, 39000)
    ledger = ledger_from_book(book(), as_of=AS_OF)
    assert figures.ar.net == int(ledger.accounts["balance"].sum())


def test_the_trend_has_a_point_per_month_end_and_one_on_the_as_of_date(figures):
    assert [(p.day, p.insurance, p.patient, p.credit) for p in figures.trend] == [
        (D(2026, 9, 30), 0, 28000, 0),  # C1 200 and C5 80, nothing paid yet
        (D(2026, 10, 31), 30000, 21000, 0),  # C1 30 open, C5 80, C2 100; C3 with ACME
        (D(2026, 11, 15), 30000, 11000, 2000),
    ]


def test_aging_splits_patients_by_bill_date_and_insurers_by_service_date(figures):
    aging = figures.aging
    assert aging.labels == ("0-30", "31-60", "61-90", "91-120", "121+")
    assert aging.patient == (0, 3000, 8000, 0, 0)
    assert aging.insurance == (30000, 0, 0, 0, 0)
    assert aging.patient_total + aging.insurance_total + aging.unaged == figures.ar.total


def test_collections_rate_is_net_collections_over_charges_of_the_period(figures):
    c = figures.collections
    assert (c.start, c.end) == (D(2026, 9, 1), AS_OF)
    assert (c.charges, c.payments, c.refunds, c.contractual) == (60000, 28000, 1000, 2000)
    assert c.collected == 27000
    assert percent(c.rate) == Decimal("45.0")
    assert percent(c.net_rate) == Decimal("46.6")  # 270 / 580 = 46.55… half-up


def test_months_add_up_to_the_period(figures):
    assert [(m.label, m.charges, m.payments, m.refunds) for m in figures.months] == [
        ("2026-09", 20000, 0, 0),
        ("2026-10", 40000, 15000, 0),
        ("2026-11", 0, 13000, 1000),
    ]
    assert figures.months[-1].end == AS_OF


def test_payments_by_payer_and_by_method_sum_to_the_payments(figures):
    assert [(s.label, s.cents, s.count) for s in figures.by_payer] == [("Patient", 28000, 2)]
    assert [(s.label, s.cents) for s in figures.by_method] == [("Card", 15000), ("Check", 13000)]


def test_top_balances_are_guarantor_accounts_by_id(figures):
    assert [(t.account, t.patients, t.balance) for t in figures.top_balances] == [
        ("P3", 1, 30000),
        ("P1", 2, 9000),  # P1 owes 110.00, their dependant P2 has 20.00 credit
    ]


def test_plans_are_counted_by_state(figures):
    groups = {g.state: (g.count, g.remaining) for g in figures.plans}
    assert groups["on track"] == (1, 24000)
    assert groups["behind"] == (0, 0) and figures.plan_problems == 0


def test_no_charges_means_no_rate():
    empty = report_figures(book_from_records({}), AS_OF, months=1)
    assert empty.collections.rate is None and percent(empty.collections.rate) is None
    assert empty.ar.total == 0 and empty.top_balances == ()


def test_tables_hold_dollars_and_a_total_row(figures):
    tables = {t.name: t for t in report_tables(figures)}
    assert tables["aging"].rows[-1] == (
        "Total",
        Decimal("110.00"),
        Decimal("300.00"),
        Decimal("410.00"),
    )
    assert tables["collections"].rows[-1][-1] == Decimal("45.0")
    assert tables["top_balances"].header[0] == "Account"
    for table in tables.values():
        assert all(len(row) == len(table.header) for row in table.rows)


@pytest.mark.parametrize("seed", [2, 9])
def test_on_a_sample_every_trend_point_is_the_ledger_of_its_day(seed):
    sample = generate_sample(30, seed)
    sample_book = book_from_records(sample.records)
    figures = report_figures(sample_book, sample.as_of, months=6)
    for point in figures.trend:
        accounts = ledger_from_book(sample_book, as_of=point.day).accounts
        assert point.insurance == int(accounts["insurance_pending"].sum())
        assert point.patient == int(accounts["patient_due"].sum())
        assert point.net == int(accounts["balance"].sum())
    aging = figures.aging
    assert aging.patient_total + aging.insurance_total + aging.unaged == figures.ar.total
    c = figures.collections
    assert sum(s.cents for s in figures.by_payer) == sum(s.cents for s in figures.by_method)
    assert sum(s.cents for s in figures.by_payer) == c.payments
    assert sum(m.collected for m in figures.months) == c.collected


PAYERS = ("Patient", "ACME")
METHODS = ("Cash", "Check", "Card", "ACH", "EFT")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 500_000),  # cents
            st.integers(-60, 10),  # days from the as-of date
            st.sampled_from(PAYERS),
            st.sampled_from(METHODS),
            st.sampled_from(("Payment", "Refund")),
        ),
        max_size=25,
    ),
    st.lists(st.tuples(st.integers(1, 900_000), st.integers(-70, 5)), max_size=10),
)
def test_parts_always_sum_to_their_whole(payments, charges):
    data = records()
    data["Payments"] = [
        {
            "PaymentID": f"Y{i}",
            "Date": AS_OF + dt.timedelta(days=day),
            "PatientID": "P3",
            "Payer": payer,
            "Kind": kind,
            "Method": method,
            "Amount": Decimal(cents) / 100,
        }
        for i, (cents, day, payer, method, kind) in enumerate(payments)
    ]
    data["Charges"] += [
        {
            "ChargeID": f"X{i}",
            "PatientID": "P1",
            "ServiceDate": AS_OF + dt.timedelta(days=day),
            "Code": "99213",
            "Amount": Decimal(cents) / 100,
        }
        for i, (cents, day) in enumerate(charges)
    ]
    figures = report_figures(book_from_records(data), AS_OF, months=2)
    c = figures.collections
    inside = [p for p in payments if -45 <= p[1] <= 0]  # 2026-10-01 … 2026-11-15
    assert c.payments == sum(p[0] for p in inside if p[4] == "Payment")
    assert c.refunds == sum(p[0] for p in inside if p[4] == "Refund")
    assert sum(s.cents for s in figures.by_payer) == c.payments
    assert sum(s.cents for s in figures.by_method) == c.payments
    assert sum(m.charges for m in figures.months) == c.charges
    assert c.charges == 40000 + sum(cents for cents, day in charges if -45 <= day <= 0)  # C2, C3
    aging = figures.aging
    assert aging.patient_total + aging.insurance_total + aging.unaged == figures.ar.total
    assert figures.ar.net == figures.trend[-1].net
