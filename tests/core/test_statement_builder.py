"""Statements from the ledger: who is billed, and what each bill says, to the cent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core.ledger import guarantor_summary
from addin.core.money import ZERO
from addin.core.statement_builder import (
    BILL,
    RowsByKey,
    build_statement,
    log_row,
    prepare_billing,
    select_accounts,
    statement_channel,
    statement_id,
)
from addin.workbook.book import book_from_records, default_policy
from addin.workbook.sample import generate_sample
from addin.workbook.schema import TABLES_BY_NAME

D = Decimal
AS_OF = dt.date(2026, 6, 30)


def patient(pid, first="Ana", last="Rivera", **extra):
    return {
        "PatientID": pid,
        "FirstName": first,
        "LastName": last,
        "DOB": dt.date(1980, 1, 1),
        "Address1": "12 Elm Street",
        "City": "Springfield",
        "State": "IL",
        "ZIP": "62704",
        "AccountStatus": "Active",
        **extra,
    }


def charge(cid, pid, day, amount, code="99213", status="Patient due", **extra):
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": day,
        "Code": code,
        "Amount": D(amount),
        "Status": status,
        "BillerType": "Professional",
        **extra,
    }


_ids = iter(range(1, 10_000_000))


def pay(pid, day, amount, charge_id=None, payer="Patient", kind="Payment"):
    return {
        "PaymentID": f"PAY{next(_ids)}",
        "Date": day,
        "PatientID": pid,
        "ChargeID": charge_id,
        "Payer": payer,
        "Kind": kind,
        "Method": "EFT" if payer != "Patient" else "Card",
        "Amount": D(amount),
    }


def adjust(pid, day, amount, charge_id, kind="Contractual", group="CO"):
    return {
        "AdjustmentID": f"ADJ{next(_ids)}",
        "Date": day,
        "PatientID": pid,
        "ChargeID": charge_id,
        "Kind": kind,
        "Group": group,
        "Amount": D(amount),
    }


def logged(pid, day, amount, sid=None):
    return {
        "StatementID": sid or f"S{next(_ids)}",
        "PatientID": pid,
        "StatementDate": day,
        "DueDate": day + dt.timedelta(days=21),
        "AmountDue": D(amount),
        "DunningLevel": 1,
        "Channel": "Mail",
        "FinalNotice": False,
    }


FEES = [
    {"Code": "99213", "Description": "Office visit", "Charge": D("180.00")},
    {"Code": "80053", "Description": "Blood panel", "Charge": D("45.00")},
]
PLANS = [{"PlanID": "ACME", "Payer": "Acme Health", "PlanType": "Commercial"}]


def covered(pid):
    return {"PatientID": pid, "PlanID": "ACME", "Rank": 1, "EffectiveFrom": dt.date(2025, 1, 1)}


def book(patients, charges, payments=(), adjustments=(), statements=(), **extra):
    """A book where every patient is insured by ACME (so unsettled lines are pending)."""
    patients = list(patients)
    return book_from_records(
        {
            "Patients": patients,
            "Plans": PLANS,
            "Coverage": [covered(p["PatientID"]) for p in patients],
            "Fees": FEES,
            "Charges": list(charges),
            "Payments": list(payments),
            "Adjustments": list(adjustments),
            "Statements": list(statements),
            **extra,
        }
    )


def family_book():
    """The worked example: Ana (guarantor) and her son Leo on one account.

    C1 Ana 03/02 $180: insurer paid 96, contractual 60 → $24 hers; she paid $10 on 06/10.
    C3 Leo 05/15 $180: insurer paid 100, contractual 50 → $30 his, never billed.
    C2 Leo 06/01 $45: submitted, nothing back from insurance → pending.
    Statement S1 on 05/01 billed Ana's $24.
    """
    return book(
        [patient("P1"), patient("P2", first="Leo", Guarantor="P1")],
        [
            charge("C1", "P1", dt.date(2026, 3, 2), "180.00", status="Adjudicated"),
            charge("C3", "P2", dt.date(2026, 5, 15), "180.00"),
            charge("C2", "P2", dt.date(2026, 6, 1), "45.00", code="80053", status="Submitted"),
        ],
        [
            pay("P1", dt.date(2026, 3, 20), "96.00", "C1", payer="ACME"),
            pay("P1", dt.date(2026, 6, 10), "10.00", "C1"),
            pay("P2", dt.date(2026, 6, 5), "100.00", "C3", payer="ACME"),
        ],
        [
            adjust("P1", dt.date(2026, 3, 20), "60.00", "C1"),
            adjust("P2", dt.date(2026, 6, 5), "50.00", "C3"),
        ],
        [logged("P1", dt.date(2026, 5, 1), "24.00", "S1")],
    )


def bill(b, account, as_of=AS_OF):
    return build_statement(prepare_billing(b, as_of=as_of), account)


def decisions(b, as_of=AS_OF):
    return select_accounts(prepare_billing(b, as_of=as_of))["decision"].to_dict()


# --- the worked example ---------------------------------------------------------------------------


def test_family_bill_shows_every_open_line_and_bills_only_what_insurance_has_settled():
    s = bill(family_book(), "P1")
    assert s.statement_id == "ST-20260630-P1"
    assert s.due_date == dt.date(2026, 7, 21)
    assert s.amount_due == D("44.00")  # 14.00 (Ana) + 30.00 (Leo); the $45 is pending
    assert s.insurance_pending == D("45.00")
    assert [(x.code, x.description, x.patient_owes, x.pending_insurance) for x in s.lines] == [
        ("99213", "Ana: Office visit", D("14.00"), False),
        ("99213", "Leo: Office visit", D("30.00"), False),
        ("80053", "Leo: Blood panel", D("45.00"), True),
    ]
    first = s.lines[0]
    assert (first.charge, first.insurance_paid, first.adjustments, first.patient_paid) == (
        D("180.00"),
        D("96.00"),
        D("60.00"),
        D("10.00"),
    )
    assert s.patients == ("P1", "P2")
    assert s.patient_name == "Ana and Leo"
    assert s.guarantor.name == "Ana Rivera"
    assert s.guarantor.address_lines == ("12 Elm Street", "Springfield, IL 62704")


def test_previous_balance_and_payments_since_come_from_the_last_logged_statement():
    s = bill(family_book(), "P1")
    assert s.previous_balance == D("24.00")
    assert s.payments_since == D("10.00")  # the insurer's money does not count


def test_the_last_statement_is_the_latest_logged_on_the_latest_day_and_payments_count_after_it():
    june_5, june_10 = dt.date(2026, 6, 5), dt.date(2026, 6, 10)
    b = book(
        [patient("P1"), patient("P2", first="Leo", Guarantor="P1")],
        [charge("C1", "P1", dt.date(2026, 3, 2), "180.00", status="Adjudicated")],
        [
            pay("P1", june_5, "5.00"),  # on the statement's day: not since it
            pay("P2", june_10, "7.00"),  # a dependant's payment counts for the account
            pay("P1", june_10, "3.00", payer="ACME"),  # the insurer's does not
            pay("P1", dt.date(2026, 6, 12), "2.00", kind="Refund"),  # a refund takes it back
        ],
        statements=[
            logged("P1", dt.date(2026, 5, 1), "24.00"),
            logged("P2", june_5, "30.00"),
            logged("P1", june_5, "54.00"),  # same day, logged later: the last statement
            logged("P1", dt.date(2026, 7, 1), "99.00"),  # after the statement date: ignored
        ],
    )
    s = bill(b, "P1")
    assert s.previous_balance == D("54.00")
    assert s.payments_since == D("5.00")
    assert "until 12/27/2026" in s.assistance_notice  # the first statement: 05/01 + 240 days


def test_dunning_ages_items_from_their_first_statement_and_new_items_are_current():
    s = bill(family_book(), "P1")
    # C1 was first billed on 05/01: 60 days → level 2; Leo's $30 was never billed → current.
    assert s.dunning_level == 2
    assert s.message == default_policy()["dunning_2"]
    assert dict(s.aging.buckets) == {
        "0-30": D("30.00"),
        "31-60": D("14.00"),
        "61-90": ZERO,
        "91-120": ZERO,
        "121+": ZERO,
    }
    assert not s.final_notice


def test_an_old_item_never_billed_gets_a_first_notice_not_a_final_one():
    b = book([patient("P1")], [charge("C1", "P1", dt.date(2025, 11, 1), "80.00")])
    s = bill(b, "P1")
    assert s.dunning_level == 1
    assert not s.final_notice
    assert dict(s.aging.buckets)["0-30"] == D("80.00")


def test_an_item_billed_more_than_120_days_ago_gets_the_final_notice():
    b = book(
        [patient("P1")],
        [charge("C1", "P1", dt.date(2026, 1, 5), "80.00")],
        statements=[logged("P1", dt.date(2026, 1, 20), "80.00")],
    )
    s = bill(b, "P1")  # 161 days after the first statement
    assert s.dunning_level == 5
    assert s.final_notice
    assert s.message.startswith("FINAL NOTICE")


def test_credit_on_one_family_member_is_taken_off_the_guarantors_bill():
    b = book(
        [patient("P1"), patient("P2", first="Leo", Guarantor="P1")],
        [
            charge("C1", "P1", dt.date(2026, 6, 1), "100.00"),
            charge("C2", "P2", dt.date(2026, 6, 2), "50.00"),
        ],
        [pay("P1", dt.date(2026, 6, 3), "120.00", "C1")],
    )
    s = bill(b, "P1")
    assert s.unapplied_credit == D("20.00")
    assert s.amount_due == D("30.00")
    assert s.services_due == D("50.00")  # Ana's paid line is not listed
    assert [x.charge for x in s.lines] == [D("50.00")]


def test_plan_options_are_offered_for_the_amount_due_unless_a_plan_is_active():
    b = book(
        [patient("P1", MonthlyIncome=D("3000.00")), patient("P2")],
        [
            charge("C1", "P1", dt.date(2026, 6, 1), "600.00"),
            charge("C2", "P2", dt.date(2026, 6, 1), "600.00"),
        ],
        PaymentPlans=[
            {
                "PlanNo": "PP1",
                "PatientID": "P2",
                "Created": dt.date(2026, 6, 5),
                "Balance": D("600.00"),
                "Installment": D("100.00"),
                "Count": 6,
                "FirstDue": dt.date(2026, 7, 1),
                "Status": "Active",
            }
        ],
    )
    data = prepare_billing(b, as_of=AS_OF)
    options = build_statement(data, "P1").plan_options
    assert options[0].label == "Pay in full" and options[0].installment == D("600.00")
    assert [o.count for o in options] == [1, 3, 6, 12, 10]  # 2% of $3,000 = $60 a month
    assert sum(o.recommended for o in options) == 1
    assert all(o.total_paid + o.forgiven == D("600.00") for o in options)
    assert build_statement(data, "P2").plan_options == ()


def test_assistance_notice_names_the_last_day_to_apply():
    s = bill(family_book(), "P1")  # first statement 05/01/2026 + 240 days
    assert "until 12/27/2026" in s.assistance_notice
    new = bill(book([patient("P1")], [charge("C1", "P1", dt.date(2026, 6, 1), "80.00")]), "P1")
    assert "until 02/25/2027" in new.assistance_notice  # this statement + 240 days


# --- selection ------------------------------------------------------------------------------------


def test_accounts_are_skipped_for_status_minimum_nothing_due_and_the_cycle():
    june = dt.date(2026, 6, 1)
    b = book(
        [
            patient("P1"),
            patient("P3", AccountStatus="Collections"),
            patient("P4", AccountStatus="Closed"),
            patient("P5"),
            patient("P6"),
            patient("P7"),
            patient("P8"),
        ],
        [
            charge("C1", "P1", june, "80.00"),
            charge("C3", "P3", june, "80.00"),
            charge("C4", "P4", june, "80.00"),
            charge("C5", "P5", june, "4.99"),
            charge("C6", "P6", june, "80.00"),
            charge("C7", "P7", june, "80.00"),
            charge("C8", "P8", june, "5.00"),
        ],
        [pay("P7", june, "80.00", "C7")],
        statements=[
            logged("P6", dt.date(2026, 6, 1), "80.00"),  # 29 days ago: within the cycle
            logged("P8", dt.date(2026, 5, 31), "5.00"),  # 30 days ago: due again
        ],
    )
    assert decisions(b) == {
        "P1": BILL,
        "P3": "in collections",
        "P4": "closed",
        "P5": "below minimum",
        "P6": "billed within cycle",
        "P7": "nothing due",
        "P8": BILL,
    }


def test_a_statement_logged_for_a_dependant_counts_for_the_guarantors_cycle():
    b = book(
        [patient("P1"), patient("P2", Guarantor="P1")],
        [charge("C2", "P2", dt.date(2026, 6, 1), "80.00")],
        statements=[logged("P2", dt.date(2026, 6, 20), "80.00")],
    )
    assert decisions(b) == {"P1": "billed within cycle"}


def test_statements_after_the_as_of_date_are_ignored():
    b = book(
        [patient("P1")],
        [charge("C1", "P1", dt.date(2026, 6, 1), "80.00")],
        statements=[logged("P1", dt.date(2026, 7, 20), "80.00")],
    )
    assert decisions(b) == {"P1": BILL}


# --- ids and the log ------------------------------------------------------------------------------


def test_statement_ids_are_deterministic_and_never_reuse_a_logged_id():
    day = dt.date(2026, 6, 30)
    assert statement_id(day, "P1") == "ST-20260630-P1"
    used = frozenset({"ST-20260630-P1", "ST-20260630-P1-2"})
    assert statement_id(day, "P1", used) == "ST-20260630-P1-3"


def test_log_row_has_the_schema_columns_in_order():
    s = bill(family_book(), "P1")
    row = log_row(s, statement_channel("Email"))
    assert tuple(row) == TABLES_BY_NAME["Statements"].column_names
    assert row["AmountDue"] == D("44.00")
    assert row["Channel"] == "Email"
    assert statement_channel("Phone") == "Mail"


# --- invariants -----------------------------------------------------------------------------------


def assert_reconciles(s):
    """Line identities, the amount-due identity and the aging total of one statement."""
    for x in s.lines:
        assert x.charge - x.insurance_paid - x.adjustments - x.patient_paid == x.patient_owes
    assert s.services_due + s.other_due - s.unapplied_credit == s.amount_due
    assert sum((amount for _, amount in s.aging.buckets), ZERO) == s.amount_due
    assert s.amount_due >= 0 and s.unapplied_credit >= 0


@pytest.fixture(scope="module")
def sample_run():
    sample = generate_sample(40, 7)
    as_of = sample.as_of + dt.timedelta(days=45)
    policy = {"statement_minimum": D("0.01")}  # bill every account that owes anything
    data = prepare_billing(book_from_records(sample.records, policy=policy), as_of=as_of)
    selection = select_accounts(data)
    billed = [str(a) for a in selection.index[selection["decision"] == BILL]]
    return data, {a: build_statement(data, a) for a in billed}


def test_amount_due_equals_the_ledger_for_every_billed_account_of_a_sample(sample_run):
    data, statements = sample_run
    assert len(statements) >= 5  # 8 with this seed today
    for account, s in statements.items():
        summary = guarantor_summary(data.ledger, account)
        assert s.amount_due == max(summary.patient_due - summary.credit, ZERO), account
        assert s.insurance_pending == summary.insurance_pending


def test_itemised_lines_reconcile_with_the_amount_due_for_every_bill_of_a_sample(sample_run):
    _, statements = sample_run
    for s in statements.values():
        assert_reconciles(s)


_day = st.integers(0, 170).map(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
_cents = st.integers(1, 50_000).map(lambda c: D(c) / 100)


@st.composite
def postings(draw):
    """A guarantor and up to two dependants with random charges, payments, refunds and
    adjustments (on lines or unapplied) and random statement history."""
    patients = [patient("P1"), *(patient(f"P{i}", Guarantor="P1") for i in (2, 3))]
    patients = patients[: draw(st.integers(1, 3))]
    pids = [p["PatientID"] for p in patients]
    statuses = st.sampled_from(["Patient due", "Submitted", "Adjudicated"])
    charges = [
        charge(
            f"C{i}", draw(st.sampled_from(pids)), draw(_day), draw(_cents), status=draw(statuses)
        )
        for i in range(draw(st.integers(1, 5)))
    ]
    cids = [None, *(c["ChargeID"] for c in charges)]
    payments = []
    for _ in range(draw(st.integers(0, 6))):
        payments.append(
            pay(
                draw(st.sampled_from(pids)),
                draw(_day),
                draw(_cents),
                draw(st.sampled_from(cids)),
                payer=draw(st.sampled_from(["Patient", "ACME"])),
                kind=draw(st.sampled_from(["Payment", "Payment", "Refund"])),
            )
        )
    adjustments = [
        adjust(draw(st.sampled_from(pids)), draw(_day), draw(_cents), draw(st.sampled_from(cids)))
        for _ in range(draw(st.integers(0, 3)))
    ]
    statements = [logged("P1", draw(_day), draw(_cents)) for _ in range(draw(st.integers(0, 2)))]
    return book(patients, charges, payments, adjustments, statements)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(postings())
def test_every_statement_reconciles_to_the_ledger_to_the_cent(b):
    data = prepare_billing(b, as_of=AS_OF)
    summary = guarantor_summary(data.ledger, "P1")
    s = build_statement(data, "P1")
    assert s.amount_due == max(summary.patient_due - summary.credit, ZERO)
    assert_reconciles(s)


def test_rows_by_key_gives_each_row_as_to_dict_does_whether_converted_up_front_or_later():
    frame = pd.DataFrame(
        {
            "ID": ["A", "B", "C"],
            "Date": pd.to_datetime(["2026-01-02", None, "2026-03-04"]),
            "Cents": pd.array([5, None, 7], dtype="Int64"),
            "Name": ["x", None, "z"],
        }
    )
    expected = dict(zip(["A", "B", "C"], frame.to_dict("records"), strict=True))
    rows = RowsByKey(frame, {"A": 0, "B": 1, "C": 2}, likely=["C", "missing"])

    assert list(rows) == ["A", "B", "C"] and len(rows) == 3 and "B" in rows
    assert "missing" not in rows and rows.get("missing") is None
    for key in ("C", "A", "B"):
        assert rows[key].keys() == expected[key].keys()
        for column, value in expected[key].items():
            got = rows[key][column]
            assert type(got) is type(value) and (got == value or (pd.isna(got) and pd.isna(value)))
