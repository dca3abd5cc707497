import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core.ledger import (
    ACCOUNT_COLUMNS,
    AccountSummary,
    account_summary,
    compute_ledger,
    guarantor_balance,
    guarantor_summary,
    ledger_from_book,
    patient_balance,
)
from addin.core.money import from_cents
from addin.errors import PaxlError
from addin.workbook.book import book_from_records
from addin.workbook.frames import typed_frame

# --- domain-like fixtures --------------------------------------------------------------------


def charge(cid, pid, day, amount, status="Patient due", **extra):
    return (
        dict(
            ChargeID=cid, PatientID=pid, ServiceDate=day, Code="99213", Amount=amount, Status=status
        )
        | extra
    )


def payment(pid, day, amount, charge_id=None, payer="Patient", kind="Payment", pay_id=None):
    return dict(
        PaymentID=pay_id or f"Y{pid}{day}{amount}{charge_id}",
        Date=day,
        PatientID=pid,
        ChargeID=charge_id,
        Payer=payer,
        Kind=kind,
        Method="Check",
        Amount=amount,
    )


def adjustment(pid, day, amount, charge_id=None, kind="Write-off", group=None):
    return dict(
        AdjustmentID=f"A{pid}{day}{amount}{charge_id}{kind}",
        Date=day,
        PatientID=pid,
        ChargeID=charge_id,
        Kind=kind,
        Group=group,
        Amount=amount,
    )


def patient(pid, guarantor=None):
    return dict(
        PatientID=pid,
        LastName="Doe",
        FirstName="Pat",
        DOB="1980-01-01",
        Guarantor=guarantor,
        AccountStatus="Active",
    )


def plan(plan_id="BLUE", plan_type="Commercial"):
    return dict(PlanID=plan_id, Payer="Blue", PlanType=plan_type)


def covered(pid, plan_id="BLUE", start="2025-01-01", end=None):
    return dict(PatientID=pid, PlanID=plan_id, Rank=1, EffectiveFrom=start, EffectiveTo=end)


def ledger(charges=(), payments=(), adjustments=(), *, patients=None, as_of=None, **tables):
    records = {"Charges": list(charges), "Payments": list(payments)}
    records["Adjustments"] = list(adjustments)
    if patients is not None:
        records["Patients"] = list(patients)
    records.update({k: list(v) for k, v in tables.items() if k != "policy"})
    book = book_from_records(records, policy=tables.get("policy"))
    return ledger_from_book(book, as_of=as_of)


def line(led, cid):
    row = led.lines[led.lines["ChargeID"] == cid]
    assert len(row) == 1
    return row.iloc[0]


def acct(led, pid):
    return led.accounts.loc[pid]


# --- balances --------------------------------------------------------------------------------


def test_balance_is_charges_minus_payments_minus_adjustments_plus_refunds():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "100.00"), charge("C2", "P1", "2026-01-06", "50.00")],
        [
            payment("P1", "2026-02-01", "60.00", "C1", payer="BLUE"),
            payment("P1", "2026-02-02", "20.00", "C2"),
            payment("P1", "2026-02-03", "10.00", "C2", kind="Refund"),
        ],
        [adjustment("P1", "2026-02-01", "30.00", "C1", kind="Contractual", group="CO")],
    )
    a = acct(led, "P1")
    assert a["charges"] == 15000
    assert a["insurance_paid"] == 6000
    assert a["patient_paid"] == 2000
    assert a["adjustments"] == a["contractual"] == 3000
    assert a["refunds"] == 1000
    assert a["balance"] == 15000 - 6000 - 2000 - 3000 + 1000
    assert patient_balance(led, "P1") == Decimal("50.00")


def test_reversal_adds_back_on_its_line_and_nets_the_adjustments_column():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "100.00"), charge("C2", "P1", "2026-01-06", "50.00")],
        [payment("P1", "2026-02-01", "60.00", "C1", payer="BLUE")],
        [
            adjustment("P1", "2026-02-01", "30.00", "C1", kind="Contractual", group="CO"),
            adjustment("P1", "2026-03-01", "12.34", "C1", kind="Reversal", group="CO"),
        ],
    )
    a = acct(led, "P1")
    assert a["contractual"] == 3000
    assert a["reversals"] == 1234
    assert a["adjustments"] == 3000 - 1234
    assert a["balance"] == 15000 - 6000 - 3000 + 1234
    assert line(led, "C1")["adjustments"] == 3000 - 1234
    assert line(led, "C1")["open"] == 10000 - 6000 - 3000 + 1234
    assert line(led, "C2")["open"] == 5000
    assert account_summary(led, "P1").reversals == Decimal("12.34")


def test_reversal_without_a_line_is_owed_on_the_account():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "100.00")],
        [payment("P1", "2026-02-01", "100.00", "C1")],
        [adjustment("P1", "2026-03-01", "5.00", kind="Reversal")],
    )
    a = acct(led, "P1")
    assert a["balance"] == 500
    assert a["debit"] == 500
    assert a["patient_due"] == 500


def test_payment_naming_a_charge_goes_to_that_line_only():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "30.00"), charge("C2", "P1", "2026-02-05", "50.00")],
        [payment("P1", "2026-02-10", "50.00", "C2")],
    )
    assert line(led, "C1")["open"] == 3000
    assert line(led, "C2")["patient_paid"] == 5000
    assert line(led, "C2")["open"] == 0


def test_unapplied_patient_payment_pays_oldest_lines_first():
    led = ledger(
        [
            charge("C3", "P1", "2026-03-01", "40.00"),
            charge("C1", "P1", "2026-01-01", "30.00"),
            charge("C2", "P1", "2026-02-01", "50.00"),
        ],
        [payment("P1", "2026-03-05", "60.00")],
    )
    assert [line(led, c)["applied"] for c in ("C1", "C2", "C3")] == [3000, 3000, 0]
    assert [line(led, c)["open"] for c in ("C1", "C2", "C3")] == [0, 2000, 4000]
    assert list(led.lines["ChargeID"]) == ["C1", "C2", "C3"]


def test_lines_of_the_same_day_are_paid_in_charge_id_order():
    led = ledger(
        [charge("C2", "P1", "2026-01-01", "10.00"), charge("C1", "P1", "2026-01-01", "10.00")],
        [payment("P1", "2026-01-05", "10.00")],
    )
    assert line(led, "C1")["open"] == 0
    assert line(led, "C2")["open"] == 1000


def test_unapplied_patient_payment_skips_lines_pending_with_insurance():
    led = ledger(
        [
            charge("C1", "P1", "2026-01-01", "80.00", status="Submitted"),
            charge("C2", "P1", "2026-02-01", "30.00", status="Patient due"),
        ],
        [payment("P1", "2026-02-05", "50.00")],
        Coverage=[covered("P1")],
        Plans=[plan()],
    )
    assert line(led, "C1")["insurance_pending"] == 8000
    assert line(led, "C1")["applied"] == 0
    assert line(led, "C2")["applied"] == 3000
    a = acct(led, "P1")
    assert (a["insurance_pending"], a["patient_due"], a["credit"]) == (8000, 0, 2000)
    # the 20.00 left is held against the 80.00 still pending with insurance
    assert a["refund_due"] == 0


@pytest.mark.parametrize(
    ("status", "payments", "adjustments", "coverage", "plan_type", "responsible"),
    [
        ("Submitted", [], [], True, "Commercial", False),
        ("Unbilled", [], [], True, "Commercial", False),
        ("Submitted", [("BLUE", "Payment")], [], True, "Commercial", True),
        ("Submitted", [("BLUE", "Refund")], [], True, "Commercial", True),
        ("Submitted", [("Patient", "Payment")], [], True, "Commercial", False),
        ("Submitted", [], [("Contractual", None)], True, "Commercial", True),
        ("Submitted", [], [("Write-off", "CO")], True, "Commercial", True),
        ("Submitted", [], [("Write-off", None)], True, "Commercial", False),
        ("Adjudicated", [], [], True, "Commercial", True),
        ("Patient due", [], [], True, "Commercial", True),
        ("Denied", [], [], True, "Commercial", True),
        ("Submitted", [], [], False, "Commercial", True),
        ("Submitted", [], [], True, "Self-pay", True),
    ],
)
def test_a_line_is_patient_responsibility_once_insurance_has_acted(
    status, payments, adjustments, coverage, plan_type, responsible
):
    led = ledger(
        [charge("C1", "P1", "2026-01-10", "100.00", status=status)],
        [payment("P1", "2026-02-01", "1.00", "C1", payer=p, kind=k) for p, k in payments],
        [adjustment("P1", "2026-02-01", "1.00", "C1", kind=k, group=g) for k, g in adjustments],
        Coverage=[covered("P1")] if coverage else [],
        Plans=[plan(plan_type=plan_type)],
    )
    row = line(led, "C1")
    assert bool(row["patient_responsible"]) is responsible
    assert row["patient_due" if responsible else "insurance_pending"] == row["open"] > 0


def test_coverage_not_in_force_on_the_service_date_makes_the_line_patient_due():
    led = ledger(
        [
            charge("C1", "P1", "2026-01-10", "100.00", status="Submitted"),
            charge("C2", "P1", "2026-03-10", "100.00", status="Submitted"),
        ],
        Coverage=[covered("P1", start="2025-01-01", end="2026-01-31")],
        Plans=[plan()],
    )
    assert not line(led, "C1")["patient_responsible"]
    assert line(led, "C2")["patient_responsible"]


def test_without_coverage_table_only_postings_and_status_decide():
    charges = typed_frame("Charges", [charge("C1", "P1", "2026-01-10", "10.00", "Submitted")])
    empty_pay = typed_frame("Payments", [])
    empty_adj = typed_frame("Adjustments", [])
    led = compute_ledger(charges, empty_pay, empty_adj)
    assert line(led, "C1")["insurance_pending"] == 1000


def test_due_since_is_the_first_insurer_posting_else_the_service_date():
    led = ledger(
        [charge("C1", "P1", "2026-01-10", "100.00"), charge("C2", "P1", "2026-01-12", "9.00")],
        [
            payment("P1", "2026-02-20", "10.00", "C1", payer="BLUE"),
            payment("P1", "2026-03-01", "5.00", "C1"),
        ],
        [adjustment("P1", "2026-02-15", "20.00", "C1", kind="Contractual", group="CO")],
    )
    assert line(led, "C1")["due_since"] == dt.datetime(2026, 2, 15)
    assert line(led, "C2")["due_since"] == dt.datetime(2026, 1, 12)


def test_unapplied_insurer_payment_stays_credit_and_is_not_refunded_to_the_patient():
    led = ledger(
        [charge("C1", "P1", "2026-01-10", "30.00")],
        [payment("P1", "2026-02-01", "40.00", payer="BLUE")],
    )
    assert line(led, "C1")["open"] == 3000
    a = acct(led, "P1")
    assert (a["patient_due"], a["credit"], a["refund_due"], a["balance"]) == (3000, 4000, 0, -1000)


# --- credits and refunds ---------------------------------------------------------------------


def credit_example(apply_credit_first):
    return ledger(
        [charge("C1", "P1", "2026-01-05", "30.00"), charge("C2", "P1", "2026-02-05", "50.00")],
        [payment("P1", "2026-02-10", "150.00", "C2")],
        policy={"apply_credit_first": apply_credit_first},
    )


def test_credit_is_applied_to_older_open_item_first_and_the_rest_refunded():
    led = credit_example(True)
    assert line(led, "C2")["overpaid"] == 10000
    assert line(led, "C1")["applied"] == 3000
    assert line(led, "C1")["open"] == 0
    summary = account_summary(led, "P1")
    assert summary.credit == Decimal("70.00")
    assert summary.refund_due == Decimal("70.00")
    assert summary.balance == Decimal("-70.00")


def test_credit_is_refunded_in_full_when_policy_says_not_to_apply_it():
    led = credit_example(False)
    assert line(led, "C1")["applied"] == 0
    summary = account_summary(led, "P1")
    assert (summary.patient_due, summary.credit) == (Decimal("30.00"), Decimal("100.00"))
    assert summary.refund_due == Decimal("100.00")
    assert summary.balance == Decimal("-70.00")


def test_unapplied_payments_are_applied_even_when_credit_is_not():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "30.00")],
        [payment("P1", "2026-02-10", "30.00")],
        policy={"apply_credit_first": False},
    )
    assert line(led, "C1")["applied"] == 3000


def test_refund_due_never_exceeds_what_the_patient_paid():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "100.00")],
        [payment("P1", "2026-01-20", "10.00", "C1")],
        [adjustment("P1", "2026-01-20", "100.00", "C1", kind="Assistance")],
    )
    a = acct(led, "P1")
    assert (a["credit"], a["refund_due"], a["assistance"]) == (1000, 1000, 10000)
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "100.00")],
        [],
        [adjustment("P1", "2026-01-20", "120.00", "C1", kind="Correction")],
    )
    assert (acct(led, "P1")["credit"], acct(led, "P1")["refund_due"]) == (2000, 0)


def test_insurer_overpayment_is_credit_but_not_a_patient_refund():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "100.00")],
        [
            payment("P1", "2026-01-20", "20.00", "C1"),
            payment("P1", "2026-02-01", "110.00", "C1", payer="BLUE"),
        ],
    )
    a = acct(led, "P1")
    # 30.00 overpaid: the patient's 20.00 is refundable, the insurer's 10.00 is not.
    assert (a["credit"], a["refund_due"]) == (3000, 2000)


def test_patient_with_only_a_credit_has_a_negative_balance_and_a_refund_due():
    led = ledger([], [payment("P9", "2026-01-20", "25.00")])
    summary = account_summary(led, "P9")
    assert summary.balance == Decimal("-25.00")
    assert summary.credit == summary.refund_due == Decimal("25.00")
    assert led.lines.empty


def test_refund_larger_than_the_payment_is_owed_back_as_a_debit():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "100.00")],
        [
            payment("P1", "2026-01-10", "50.00", "C1"),
            payment("P1", "2026-01-20", "80.00", kind="Refund"),
        ],
    )
    a = acct(led, "P1")
    assert a["balance"] == 13000
    assert (line(led, "C1")["open"], a["debit"], a["patient_due"]) == (5000, 8000, 13000)
    assert a["credit"] == 0


def test_refund_naming_a_line_reopens_it():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "100.00")],
        [
            payment("P1", "2026-01-10", "100.00", "C1"),
            payment("P1", "2026-01-20", "40.00", "C1", kind="Refund"),
        ],
    )
    assert (line(led, "C1")["refunds"], line(led, "C1")["open"]) == (4000, 4000)


def test_refund_issued_for_a_credit_clears_it():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "30.00")],
        [
            payment("P1", "2026-01-10", "50.00", "C1"),
            payment("P1", "2026-01-20", "20.00", kind="Refund"),
        ],
    )
    a = acct(led, "P1")
    assert (a["balance"], a["credit"], a["debit"], a["refund_due"]) == (0, 0, 0, 0)


def test_void_charge_counts_nothing_and_money_on_it_becomes_credit():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "30.00", status="Void")],
        [payment("P1", "2026-01-10", "30.00", "C1")],
    )
    assert line(led, "C1")["billed"] == 0
    a = acct(led, "P1")
    assert (a["charges"], a["credit"], a["refund_due"]) == (0, 3000, 3000)


# --- as of and references --------------------------------------------------------------------


def test_rows_dated_after_as_of_are_ignored():
    rows = (
        [charge("C1", "P1", "2026-01-05", "100.00"), charge("C2", "P1", "2026-03-05", "70.00")],
        [payment("P1", "2026-01-31", "10.00", "C1"), payment("P1", "2026-02-01", "20.00", "C1")],
        [adjustment("P1", "2026-02-02", "5.00", "C1")],
    )
    assert patient_balance(ledger(*rows, as_of=dt.date(2026, 1, 31)), "P1") == Decimal("90.00")
    assert patient_balance(ledger(*rows, as_of=dt.date(2026, 2, 28)), "P1") == Decimal("65.00")
    assert patient_balance(ledger(*rows), "P1") == Decimal("135.00")
    assert ledger(*rows, as_of="2026-01-31").as_of == dt.date(2026, 1, 31)


def test_payment_before_its_charge_is_credit_until_the_charge_exists():
    rows = (
        [charge("C1", "P1", "2026-02-01", "40.00")],
        [payment("P1", "2026-01-15", "40.00", "C1")],
    )
    early = ledger(*rows, as_of="2026-01-20")
    assert early.lines.empty
    assert acct(early, "P1")["credit"] == 4000
    later = ledger(*rows, as_of="2026-02-10")
    assert line(later, "C1")["patient_paid"] == 4000
    assert acct(later, "P1")["balance"] == 0


def test_payment_naming_another_patients_charge_is_unapplied_for_its_own_patient():
    led = ledger(
        [charge("C1", "P1", "2026-01-05", "40.00"), charge("C2", "P2", "2026-01-05", "40.00")],
        [payment("P2", "2026-01-15", "40.00", "C1"), payment("P1", "2026-01-15", "5.00", "CX")],
    )
    assert line(led, "C1")["patient_paid"] == 0
    assert line(led, "C1")["applied"] == 500
    assert line(led, "C2")["applied"] == 4000
    assert acct(led, "P2")["balance"] == 0


# --- guarantors and summaries ----------------------------------------------------------------


def test_guarantor_account_sums_the_dependants():
    led = ledger(
        [
            charge("C1", "MOM", "2026-01-05", "100.00"),
            charge("C2", "KID", "2026-01-06", "60.00"),
            charge("C3", "DAD", "2026-01-07", "10.00"),
        ],
        [payment("KID", "2026-01-20", "80.00"), payment("SOLO", "2026-01-20", "5.00")],
        patients=[patient("MOM"), patient("KID", "MOM"), patient("DAD"), patient("NEW")],
    )
    assert acct(led, "KID")["Guarantor"] == "MOM"
    mom = guarantor_summary(led, "MOM")
    assert mom.charges == Decimal("160.00")
    assert mom.patient_due == Decimal("100.00")
    # the kid's 20.00 credit stays the kid's: credits do not move between family members
    assert mom.credit == Decimal("20.00")
    assert mom.balance == Decimal("80.00")
    assert guarantor_balance(led, "MOM") == Decimal("80.00")
    assert led.guarantors.loc["MOM", "patients"] == 2
    assert acct(led, "NEW")["balance"] == 0
    assert acct(led, "SOLO")["Guarantor"] == "SOLO"


def test_account_summary_gives_every_column_in_dollars():
    summary = account_summary(credit_example(True), "P1")
    assert isinstance(summary, AccountSummary)
    assert summary.account_id == "P1"
    assert summary.charges == Decimal("80.00")
    assert all(isinstance(getattr(summary, c), Decimal) for c in ACCOUNT_COLUMNS)


def test_unknown_account_is_an_error_naming_the_id():
    with pytest.raises(PaxlError, match="NOPE"):
        patient_balance(credit_example(True), "NOPE")


# --- bad input -------------------------------------------------------------------------------


def test_blank_amount_is_refused_with_sheet_row_and_column():
    bad = payment("P1", "2026-01-10", None)
    with pytest.raises(PaxlError, match="Payments row 3, Amount: blank"):
        ledger([], [payment("P1", "2026-01-10", "1.00"), bad])


def test_unknown_payment_kind_is_refused():
    with pytest.raises(PaxlError, match="Payments row 2, Kind"):
        ledger([], [payment("P1", "2026-01-10", "1.00", kind="Gift")])


def test_charge_id_used_twice_is_refused():
    rows = [charge("C1", "P1", "2026-01-05", "1.00"), charge("C1", "P2", "2026-01-05", "2.00")]
    with pytest.raises(PaxlError, match="Charges row 2, Charges row 3, ChargeID"):
        ledger(rows)


# --- invariants on generated ledgers ---------------------------------------------------------

PIDS = ("P1", "P2", "P3", "P4")
START = dt.date(2026, 1, 1)
days = st.integers(0, 60).map(lambda n: START + dt.timedelta(days=n))
cents = st.integers(0, 30_000)


@st.composite
def books(draw):
    n_charges = draw(st.integers(0, 8))
    charges = [
        charge(
            f"C{i}",
            draw(st.sampled_from(PIDS)),
            draw(days),
            from_cents(draw(cents)),
            status=draw(st.sampled_from(["Submitted", "Submitted", "Patient due", "Void"])),
        )
        for i in range(n_charges)
    ]
    refs = st.sampled_from([None, None, "CX", *(c["ChargeID"] for c in charges)])
    payments = [
        payment(
            draw(st.sampled_from(PIDS)),
            draw(days),
            from_cents(draw(cents)),
            draw(refs),
            payer=draw(st.sampled_from(["Patient", "BLUE"])),
            kind=draw(st.sampled_from(["Payment", "Payment", "Refund"])),
            pay_id=f"Y{i}",
        )
        for i in range(draw(st.integers(0, 10)))
    ]
    adjustments = [
        adjustment(
            draw(st.sampled_from(PIDS)),
            draw(days),
            from_cents(draw(cents)),
            draw(refs),
            kind=draw(
                st.sampled_from(
                    ["Contractual", "Write-off", "Assistance", "Correction", "Reversal"]
                )
            ),
            group=draw(st.sampled_from([None, "CO", "PR"])),
        )
        | {"AdjustmentID": f"A{i}"}
        for i in range(draw(st.integers(0, 6)))
    ]
    patients = [patient(p, draw(st.sampled_from([None, *PIDS]))) for p in PIDS]
    starts = st.integers(-30, 40).map(lambda n: START + dt.timedelta(days=n))
    coverage = [covered(p, start=draw(starts)) for p in PIDS if draw(st.integers(0, 3))]
    as_of = draw(st.one_of(st.none(), days))
    credit_first = draw(st.booleans())
    return charges, payments, adjustments, patients, coverage, as_of, credit_first


def _counted(rows, date_key, as_of):
    return [r for r in rows if as_of is None or r[date_key] <= as_of]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books())
def test_generated_ledgers_keep_every_cent(book):
    charges, payments, adjustments, patients, coverage, as_of, credit_first = book
    led = compute_ledger(
        typed_frame("Charges", charges),
        typed_frame("Payments", payments),
        typed_frame("Adjustments", adjustments),
        as_of=as_of,
        coverage=typed_frame("Coverage", coverage),
        plans=typed_frame("Plans", [plan()]),
        patients=typed_frame("Patients", patients),
        apply_credit_first=credit_first,
    )
    billed = sum(
        int(r["Amount"] * 100) * (r["Status"] != "Void")
        for r in _counted(charges, "ServiceDate", as_of)
    )
    pays = _counted(payments, "Date", as_of)
    paid = sum(int(r["Amount"] * 100) for r in pays if r["Kind"] == "Payment")
    refunded = sum(int(r["Amount"] * 100) for r in pays if r["Kind"] == "Refund")
    adjs = _counted(adjustments, "Date", as_of)
    reversed_ = sum(int(r["Amount"] * 100) for r in adjs if r["Kind"] == "Reversal")
    adjusted = sum(int(r["Amount"] * 100) for r in adjs if r["Kind"] != "Reversal") - reversed_
    accounts, lines = led.accounts, led.lines

    # Σ balances = charges - payments - adjustments + refunds + reversals, to the cent
    assert accounts["balance"].sum() == billed - paid - adjusted + refunded
    assert accounts["reversals"].sum() == reversed_
    assert accounts["charges"].sum() == lines["billed"].sum() == billed
    # every account: balance = pending + due - credit, and its parts add up
    assert (
        accounts["balance"]
        == accounts["insurance_pending"] + accounts["patient_due"] - accounts["credit"]
    ).all()
    kinds = accounts[["contractual", "write_off", "assistance", "correction"]].sum(axis=1)
    assert (kinds - accounts["reversals"] == accounts["adjustments"]).all()
    for column in ("credit", "refund_due", "debit", "patient_due", "insurance_pending"):
        assert (accounts[column] >= 0).all()
    assert (accounts["refund_due"] <= accounts["credit"]).all()

    # every line: open = billed - postings + overpaid - applied, never negative
    assert (
        lines["open"]
        == lines["billed"]
        - lines["insurance_paid"]
        - lines["patient_paid"]
        - lines["adjustments"]
        + lines["refunds"]
        + lines["overpaid"]
        - lines["applied"]
    ).all()
    assert (lines["open"] >= 0).all()
    assert (lines["open"] == lines["patient_due"] + lines["insurance_pending"]).all()
    assert (lines.loc[~lines["patient_responsible"], "applied"] == 0).all()
    assert (lines.loc[lines["overpaid"] > 0, "open"] == 0).all()

    # no allocation creates or loses a cent: money on lines + applied + credit - debit
    on_lines = (
        lines["insurance_paid"] + lines["patient_paid"] + lines["adjustments"] - lines["refunds"]
    ).sum()
    held = (accounts["credit"] - accounts["debit"]).sum()
    applied_net = lines["applied"].sum() - lines["overpaid"].sum()
    assert on_lines + applied_net + held == paid + adjusted - refunded

    # oldest first: no open responsible line is older than a line that received money
    for _, group in lines[lines["patient_responsible"]].groupby("PatientID"):
        opened = group["open"].to_numpy() > 0
        got = group["applied"].to_numpy() > 0
        for i in range(len(group)):
            assert not (opened[i] and got[i + 1 :].any())
    # a patient refund is only due once nothing the patient owes on a line is left
    due_by_patient = lines.groupby("PatientID")["patient_due"].sum()
    if credit_first:
        for pid in accounts.index[accounts["refund_due"] > 0]:
            assert due_by_patient.get(pid, 0) == 0

    # guarantor rows are the sums of their dependants' rows
    sums = accounts.groupby("Guarantor")[list(ACCOUNT_COLUMNS)].sum()
    assert sums.equals(led.guarantors[list(ACCOUNT_COLUMNS)])
    assert led.guarantors["patients"].sum() == len(accounts)
