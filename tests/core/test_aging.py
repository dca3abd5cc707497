import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core.aging import (
    DEFAULT_THRESHOLDS,
    age_bucket,
    age_lines,
    aging_by,
    aging_totals,
    bucket_index,
    bucket_indexes,
    bucket_labels,
    dunning_level,
    dunning_levels,
    thresholds_from_policy,
)
from addin.core.ledger import compute_ledger, ledger_from_book
from addin.errors import PaxlError
from addin.workbook.book import book_from_records, default_policy
from addin.workbook.frames import typed_frame

AS_OF = dt.date(2026, 6, 30)


def charge(cid, pid, day, amount, status="Patient due"):
    return dict(ChargeID=cid, PatientID=pid, ServiceDate=day, Code="99213", Amount=amount) | {
        "Status": status
    }


def statement(sid, pid, day, final=False):
    return dict(
        StatementID=sid,
        PatientID=pid,
        StatementDate=day,
        DueDate=day,
        AmountDue="1.00",
        FinalNotice=final,
    )


def aged_book(charges, statements=(), payments=(), adjustments=(), patients=None, as_of=AS_OF):
    records = {"Charges": list(charges), "Statements": list(statements)}
    records["Payments"] = list(payments)
    records["Adjustments"] = list(adjustments)
    if patients:
        records["Patients"] = [
            dict(
                PatientID=p,
                LastName="Doe",
                FirstName="Pat",
                DOB="1980-01-01",
                Guarantor=g,
                AccountStatus="Active",
            )
            for p, g in patients
        ]
    book = book_from_records(records)
    return age_lines(ledger_from_book(book, as_of=as_of), book["Statements"])


def aged_line(aged, cid):
    row = aged[aged["ChargeID"] == cid]
    assert len(row) == 1
    return row.iloc[0]


# --- scalar rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "bucket", "level"),
    [
        (-3, "0-30", 1),
        (0, "0-30", 1),
        (30, "0-30", 1),
        (31, "31-60", 2),
        (60, "31-60", 2),
        (61, "61-90", 3),
        (90, "61-90", 3),
        (91, "91-120", 4),
        (120, "91-120", 4),
        (121, "121+", 5),
        (4000, "121+", 5),
    ],
)
def test_buckets_and_dunning_levels_meet_at_the_thresholds_without_a_gap(days, bucket, level):
    assert age_bucket(days) == bucket
    assert dunning_level(days) == level
    assert bucket_index(days) == level - 1


def test_default_bucket_labels():
    assert bucket_labels() == ("0-30", "31-60", "61-90", "91-120", "121+")


def test_thresholds_come_from_the_policy_sheet():
    assert thresholds_from_policy(default_policy()) == DEFAULT_THRESHOLDS
    policy = default_policy() | {"aging_1": 15, "aging_2": 45, "aging_3": 75, "aging_4": 100}
    limits = thresholds_from_policy(policy)
    assert bucket_labels(limits) == ("0-15", "16-45", "46-75", "76-100", "101+")
    assert dunning_level(16, limits) == 2
    assert dunning_level(101, limits) == 5


@pytest.mark.parametrize("bad", [(), (30, 30, 90, 120), (60, 30, 90, 120), (0, 60), (30.5, 60)])
def test_thresholds_that_do_not_increase_are_refused(bad):
    with pytest.raises(PaxlError, match=r"aging_1\.\.aging_4"):
        bucket_labels(bad)


@given(st.lists(st.integers(-50, 500), max_size=30))
def test_vectorised_buckets_agree_with_the_scalar_rule(ages):
    assert list(bucket_indexes(np.array(ages, dtype=np.int64))) == [bucket_index(a) for a in ages]
    assert list(dunning_levels(ages)) == [dunning_level(a) for a in ages]


# --- bill dates ------------------------------------------------------------------------------


def test_never_billed_item_ages_from_its_service_date():
    aged = aged_book([charge("C1", "P1", "2026-05-01", "50.00")])
    row = aged_line(aged, "C1")
    assert row["bill_date"] == dt.datetime(2026, 5, 1)
    assert not row["billed"]
    assert row["age_days"] == 60
    assert (row["bucket"], row["dunning_level"]) == ("31-60", 2)


def test_item_ages_from_the_first_statement_sent_after_it_became_patient_due():
    aged = aged_book(
        [charge("C1", "P1", "2026-01-10", "100.00", status="Submitted")],
        statements=[
            statement("S1", "P1", "2026-02-01"),
            statement("S2", "P1", "2026-04-01"),
            statement("S3", "P1", "2026-05-01"),
        ],
        payments=[
            dict(
                PaymentID="Y1",
                Date="2026-03-15",
                PatientID="P1",
                ChargeID="C1",
                Payer="BLUE",
                Kind="Payment",
                Method="EFT",
                Amount="60.00",
            )
        ],
    )
    row = aged_line(aged, "C1")
    assert row["due_since"] == dt.datetime(2026, 3, 15)
    assert row["bill_date"] == dt.datetime(2026, 4, 1)
    assert row["billed"]
    assert row["age_days"] == 90
    assert row["amount"] == 4000


def test_statements_after_as_of_are_ignored():
    aged = aged_book(
        [charge("C1", "P1", "2026-05-01", "50.00")],
        statements=[statement("S1", "P1", "2026-07-15")],
    )
    assert aged_line(aged, "C1")["bill_date"] == dt.datetime(2026, 5, 1)


def test_statement_sent_to_the_guarantor_bills_the_dependants_items():
    aged = aged_book(
        [charge("C1", "KID", "2026-01-05", "50.00"), charge("C2", "SOLO", "2026-01-05", "9.00")],
        statements=[statement("S1", "MOM", "2026-01-20")],
        patients=[("MOM", None), ("KID", "MOM"), ("SOLO", None)],
    )
    assert aged_line(aged, "C1")["bill_date"] == dt.datetime(2026, 1, 20)
    assert aged_line(aged, "C2")["bill_date"] == dt.datetime(2026, 1, 5)


def test_only_patient_due_amounts_are_aged():
    aged = aged_book(
        [
            charge("C1", "P1", "2026-05-01", "50.00"),
            charge("C2", "P1", "2026-05-01", "80.00", status="Submitted"),
        ],
        payments=[
            dict(
                PaymentID="Y1",
                Date="2026-05-02",
                PatientID="P1",
                Payer="Patient",
                Kind="Payment",
                Method="Cash",
                Amount="50.00",
            )
        ],
    )
    # C1 is paid in full; C2 is patient due too (no coverage), so it is the one aged
    assert list(aged["ChargeID"]) == ["C2"]


def test_aging_needs_an_as_of_date():
    frames = [typed_frame(t, []) for t in ("Charges", "Payments", "Adjustments")]
    with pytest.raises(PaxlError, match="as-of"):
        age_lines(compute_ledger(*frames))


# --- per patient and totals ------------------------------------------------------------------


def worked_aging():
    return aged_book(
        [
            charge("C1", "P1", "2026-06-20", "10.00"),  # 10 days
            charge("C2", "P1", "2026-05-16", "45.00"),  # 45 days
            charge("C3", "P1", "2025-12-12", "200.00"),  # 200 days
            charge("C4", "P2", "2026-04-01", "0.05"),  # 90 days
        ],
        patients=[("P1", None), ("P2", "P1")],
    )


def test_per_patient_aging_puts_each_item_in_its_bucket():
    by_patient = aging_by(worked_aging())
    p1 = by_patient.loc["P1"]
    assert [p1[label] for label in bucket_labels()] == [1000, 4500, 0, 0, 20000]
    assert p1["total"] == 25500
    assert (p1["oldest_days"], p1["dunning_level"]) == (200, 5)
    assert by_patient.loc["P2", "61-90"] == 5
    assert by_patient.loc["P2", "dunning_level"] == 3


def test_guarantor_aging_sums_the_family():
    family = aging_by(worked_aging(), by="Guarantor")
    assert list(family.index) == ["P1"]
    assert family.loc["P1", "total"] == 25505
    assert family.loc["P1", "61-90"] == 5


def test_total_aging_parts_sum_to_the_total():
    totals = aging_totals(worked_aging())
    assert totals.as_dict() == {"0-30": 1000, "31-60": 4500, "61-90": 5, "91-120": 0, "121+": 20000}
    assert totals.total == 25505


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["P1", "P2", "P3"]), st.integers(0, 400), st.integers(0, 99999)),
        max_size=12,
    ),
    st.lists(st.tuples(st.sampled_from(["P1", "P2", "P3"]), st.integers(0, 400)), max_size=5),
)
def test_aging_parts_always_sum_to_what_patients_owe_on_lines(items, sent):
    day = lambda n: AS_OF - dt.timedelta(days=n)  # noqa: E731
    charges = typed_frame(
        "Charges", [charge(f"C{i}", p, day(a), amt / 100) for i, (p, a, amt) in enumerate(items)]
    )
    statements = typed_frame(
        "Statements", [statement(f"S{i}", p, day(a)) for i, (p, a) in enumerate(sent)]
    )
    empty = [typed_frame(t, []) for t in ("Payments", "Adjustments")]
    led = compute_ledger(charges, *empty, as_of=AS_OF)
    aged = age_lines(led, statements)
    by_patient = aging_by(aged)
    totals = aging_totals(aged)
    assert totals.total == sum(totals.amounts) == led.lines["patient_due"].sum()
    assert by_patient["total"].sum() == totals.total
    assert (by_patient[list(bucket_labels())].sum(axis=1) == by_patient["total"]).all()
    assert (aged["age_days"] >= 0).all()
    assert (aged["bill_date"] >= aged["ServiceDate"]).all()
