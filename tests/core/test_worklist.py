"""Today's worklist: each kind of task found once with its reason, amount and deadline, and the
ranking ``score = weight(days left) × max(amount, $25)``."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from addin.core.audit import audit_book
from addin.core.findings import Finding
from addin.core.ledger import ledger_from_book
from addin.core.worklist import (
    MIN_STAKE,
    Task,
    TaskKind,
    build_worklist,
    rank_tasks,
    urgency_weight,
)
from addin.errors import PaxlError
from addin.workbook.book import book_from_records
from addin.workbook.sample import generate_sample

D = dt.date
NOW = dt.datetime(2026, 6, 1, 12, 0)  # practice time, America/New_York (the Policy default)
AS_OF = D(2026, 6, 1)


def patient(pid, **extra):
    row = {
        "PatientID": pid,
        "LastName": "Lane",
        "FirstName": "Lois",
        "DOB": D(1980, 1, 1),
        "Address1": "1 Main St",
        "City": "Metropolis",
        "State": "NY",
        "ZIP": "10001",
        "PreferredContact": "Mail",
        "AccountStatus": "Active",
    }
    row.update(extra)
    return row


def charge(cid, pid, amount, served, status="Patient due", code="99213"):
    return {
        "ChargeID": cid,
        "PatientID": pid,
        "ServiceDate": served,
        "Code": code,
        "Amount": amount,
        "Status": status,
    }


def payment(pay_id, pid, amount, on, charge_id=None, payer="Patient", method="Card"):
    return {
        "PaymentID": pay_id,
        "Date": on,
        "PatientID": pid,
        "ChargeID": charge_id,
        "Payer": payer,
        "Kind": "Payment",
        "Method": method,
        "Amount": amount,
    }


def statement(sid, pid, on, level, final=False):
    return {
        "StatementID": sid,
        "PatientID": pid,
        "StatementDate": on,
        "DueDate": on + dt.timedelta(days=21),
        "AmountDue": "10.00",
        "DunningLevel": level,
        "FinalNotice": final,
    }


def records():
    """One patient per kind of task (the comments give the task each must produce)."""
    return {
        "Patients": [
            patient("P1"),  # refund: paid 130 on a 100 charge
            patient("P2"),  # underpayment: ACME paid 100, the contract says 120
            patient("P3"),  # denial: a denied 250 charge
            patient("P4"),  # coverage: unbilled charge after the coverage ended
            patient("P5", AccountStatus="Payment plan"),  # plan behind by 2 installments
            patient("P7"),  # collections: final notice 47 days ago, first bill 147 days ago
            patient("P8"),  # dunning: level 2 reached, last statement was level 1
            patient(
                "P9", PreferredContact="Phone", Phone="(312) 555-0100", TimeZone="America/Chicago"
            ),  # call: overdue, 11:00 in Chicago, no attempts
        ],
        "Plans": [
            {
                "PlanID": "ACME",
                "Payer": "Acme Health",
                "PlanType": "Commercial",
                "Deductible": 0,
                "OOPMax": 5000,
                "Coinsurance": "20%",
                "COBMethod": "standard",
            }
        ],
        "Fees": [{"Code": "99213", "Charge": 200, "CopayType": "None"}],
        "Allowed": [{"PlanID": "ACME", "Code": "99213", "Allowed": 150}],
        "Coverage": [
            {
                "PatientID": "P2",
                "PlanID": "ACME",
                "Rank": 1,
                "EffectiveFrom": D(2026, 1, 1),
                "VerifiedOn": D(2026, 1, 2),
            },
            {
                "PatientID": "P4",
                "PlanID": "ACME",
                "Rank": 1,
                "EffectiveFrom": D(2025, 1, 1),
                "EffectiveTo": D(2026, 4, 30),
                "VerifiedOn": D(2025, 1, 2),
            },
        ],
        "Charges": [
            charge("C1", "P1", 100, D(2026, 4, 20)),
            charge("C2", "P2", 200, D(2026, 3, 10), status="Adjudicated"),
            charge("C3", "P3", 250, D(2026, 3, 15), status="Denied"),
            charge("C4", "P4", 80, D(2026, 5, 20), status="Unbilled"),
            charge("C5", "P5", 300, D(2026, 1, 5)),
            charge("C7", "P7", 500, D(2025, 12, 1)),
            charge("C8", "P8", 120, D(2026, 3, 1)),
            charge("C9", "P9", 60, D(2026, 3, 1)),
        ],
        "Payments": [
            payment("Y1", "P1", 130, D(2026, 5, 1), "C1"),
            payment("Y2", "P2", 100, D(2026, 4, 1), "C2", payer="ACME", method="EFT"),
            payment("Y5a", "P5", 50, D(2026, 2, 1)),
            payment("Y5b", "P5", 50, D(2026, 3, 1)),
            payment("Y5c", "P5", 50, D(2026, 4, 1)),
        ],
        "Adjustments": [
            {
                "AdjustmentID": "A2",
                "Date": D(2026, 4, 1),
                "PatientID": "P2",
                "ChargeID": "C2",
                "Kind": "Contractual",
                "Group": "CO",
                "Reason": "45",
                "Amount": 50,
            }
        ],
        "PaymentPlans": [
            {
                "PlanNo": "PP5",
                "PatientID": "P5",
                "Created": D(2026, 1, 10),
                "Balance": 300,
                "Installment": 50,
                "Count": 6,
                "FirstDue": D(2026, 2, 1),
                "Rule": "Equal",
                "Status": "Active",
            }
        ],
        "Statements": [
            statement("S7a", "P7", D(2026, 1, 5), 1),
            statement("S7b", "P7", D(2026, 4, 15), 5, final=True),
            statement("S8", "P8", D(2026, 4, 10), 1),
            statement("S9", "P9", D(2026, 4, 1), 3),
        ],
    }


@pytest.fixture(scope="module")
def worklist():
    return build_worklist(book_from_records(records()), NOW)


def by_kind(worklist):
    out = {}
    for task in worklist.tasks:
        out.setdefault(task.kind, []).append(task)
    return out


# --- each kind of task -------------------------------------------------------------------------


def test_each_planted_problem_is_one_task_of_its_kind(worklist):
    assert Counter(t.kind for t in worklist.tasks) == Counter(TaskKind) - Counter(
        [TaskKind.FIX_DATA]
    )
    assert [t.ids[0] for t in worklist.tasks] == ["P7", "P8", "P3", "P9", "P5", "P4", "P1", "P2"]


def test_no_two_tasks_are_the_same(worklist):
    keys = [t.key for t in worklist.tasks]
    assert len(keys) == len(set(keys))


def test_a_patient_credit_is_a_refund_due_60_days_after_the_last_payment(worklist):
    (task,) = by_kind(worklist)[TaskKind.REFUND]
    assert (task.ids, task.amount, task.deadline) == (("P1",), 3000, D(2026, 6, 30))
    assert (task.sheet, task.row, task.column) == ("Patients", 2, "PatientID")
    assert "P1 has paid more than owed" in task.reason
    assert (task.days_left, task.weight, task.score) == (29, 2, 6000)


def test_an_insurer_underpayment_is_an_appeal_90_days_after_its_payment(worklist):
    (task,) = by_kind(worklist)[TaskKind.UNDERPAID]
    assert task.ids == ("P2", "C2", "ACME")
    assert task.amount == 2000  # contract 120.00 (80% of allowed 150.00), paid 100.00
    assert task.deadline == D(2026, 6, 30)
    assert "paid 100.00, the contract says 120.00 (underpaid by 20.00)" in task.reason
    assert (task.sheet, task.row, task.column) == ("Payments", 3, "Amount")
    assert task.score == 2 * MIN_STAKE  # 20.00 is under the $25 minimum stake


def test_a_denied_open_charge_is_worked_before_its_appeal_window_closes(worklist):
    (task,) = by_kind(worklist)[TaskKind.DENIAL]
    assert (task.ids, task.amount) == (("P3", "C3"), 25000)
    assert task.deadline == D(2026, 3, 15) + dt.timedelta(days=90)
    assert (task.sheet, task.row, task.column) == ("Charges", 4, "Status")
    assert "denied" in task.reason


def test_an_unbilled_charge_without_coverage_in_force_is_a_coverage_task(worklist):
    (task,) = by_kind(worklist)[TaskKind.COVERAGE]
    assert (task.ids, task.amount, task.codes) == (("P4", "C4"), 8000, ("coverage_inactive",))
    assert task.deadline == D(2026, 8, 18)  # timely filing: 90 days after 2026-05-20
    assert (task.sheet, task.row) == ("Charges", 5)
    assert "none of the patient's coverage is in force" in task.reason


def test_a_plan_behind_shows_past_due_and_the_day_it_defaults(worklist):
    (task,) = by_kind(worklist)[TaskKind.PLAN]
    assert (task.ids, task.codes) == (("P5", "PP5"), ("behind",))
    assert task.amount == 10000  # 5 installments due by June 1, 3 paid: 2 × 50.00
    assert task.deadline == D(2026, 7, 1)  # the 3rd miss (Policy default 3) would be July's
    assert (task.sheet, task.row) == ("PaymentPlans", 2)
    assert "2 installment(s) missed; it defaults on 2026-07-01" in task.reason


def test_an_eligible_account_has_its_collections_date(worklist):
    (task,) = by_kind(worklist)[TaskKind.COLLECTIONS]
    assert (task.ids, task.amount, task.codes) == (("P7",), 50000, ("eligible",))
    # the later of 2026-01-05 + 121 days and the final notice 2026-04-15 + 30 days
    assert task.deadline == D(2026, 5, 15)
    assert (task.days_left, task.weight) == (-17, 8)


def test_a_new_dunning_level_asks_for_the_next_statement(worklist):
    (task,) = by_kind(worklist)[TaskKind.DUNNING]
    assert (task.ids, task.amount, task.codes) == (("P8",), 12000, ("level_2",))
    assert task.deadline == D(2026, 5, 11)  # day 31 after the first bill of 2026-04-10
    assert "above the level 1 of the last statement sent" in task.reason
    assert "level-2 statement" in task.action


def test_an_overdue_patient_preferring_phone_is_called_inside_their_window(worklist):
    (task,) = by_kind(worklist)[TaskKind.CALL]
    assert (task.ids, task.amount, task.deadline) == (("P9",), 6000, AS_OF)
    assert "11:00 its time" in task.reason  # noon in New York
    assert (task.sheet, task.column) == ("Patients", "Phone")


def test_no_call_outside_the_patients_calling_hours():
    late = build_worklist(book_from_records(records()), dt.datetime(2026, 6, 1, 22, 0))
    assert TaskKind.CALL not in by_kind(late)  # 21:00 in Chicago: the window has closed
    last = build_worklist(book_from_records(records()), dt.datetime(2026, 6, 1, 21, 59))
    assert TaskKind.CALL in by_kind(last)  # 20:59 in Chicago
    early = build_worklist(book_from_records(records()), dt.datetime(2026, 6, 1, 8, 30))
    assert TaskKind.CALL not in by_kind(early)  # 07:30 in Chicago


def test_no_call_after_seven_attempts_in_seven_days():
    data = records()
    data["Contacts"] = [
        {
            "ContactID": f"K{i}",
            "PatientID": "P9",
            "ContactedAt": dt.datetime(2026, 5, 27 + i // 3, 9 + i % 3, 0),
            "Channel": "Call",
            "Outcome": "No answer",
        }
        for i in range(7)
    ]
    assert TaskKind.CALL not in by_kind(build_worklist(book_from_records(data), NOW))


def test_a_plan_missing_three_installments_is_in_default_for_its_remaining_balance():
    data = records()
    data["Payments"] = [p for p in data["Payments"] if p["PaymentID"] != "Y5c"]
    (task,) = by_kind(build_worklist(book_from_records(data), NOW))[TaskKind.PLAN]
    assert task.codes == ("defaulted",)
    assert (task.amount, task.deadline) == (20000, AS_OF)  # 300.00 − 100.00 paid


def test_a_statement_at_the_current_level_means_no_dunning_task():
    data = records()
    data["Statements"].append(statement("S8b", "P8", D(2026, 5, 20), 2))
    assert TaskKind.DUNNING not in by_kind(build_worklist(book_from_records(data), NOW))


def test_a_collections_date_within_seven_days_is_shown_ahead():
    data = records()
    data["Statements"][1]["StatementDate"] = D(2026, 5, 5)  # final notice: date 2026-06-04
    (task,) = by_kind(build_worklist(book_from_records(data), NOW))[TaskKind.COLLECTIONS]
    assert (task.deadline, task.days_left, task.codes) == (
        D(2026, 6, 4),
        3,
        ("final_notice_recent",),
    )
    assert "reaches its collections date on 2026-06-04" in task.reason
    data["Statements"][1]["StatementDate"] = D(2026, 5, 15)  # 2026-06-14: too far ahead
    assert TaskKind.COLLECTIONS not in by_kind(build_worklist(book_from_records(data), NOW))


def test_a_nonprofit_hospital_waits_for_the_501r_date():
    data = records()
    data["Charges"].append(charge("C7b", "P7", 40, D(2026, 2, 1)))  # a second episode ...
    data["Statements"].append(statement("S7c", "P7", D(2026, 2, 5), 2))  # ... first billed here
    data["Statements"][1]["StatementDate"] = D(2026, 2, 10)  # the final notice
    plain = build_worklist(book_from_records(data), NOW)
    (task,) = by_kind(plain)[TaskKind.COLLECTIONS]
    assert (task.deadline, task.codes) == (D(2026, 5, 6), ("eligible",))  # 2026-01-05 + 121
    nonprofit = book_from_records(data, policy={"nonprofit_hospital": True})
    (task,) = by_kind(build_worklist(nonprofit, NOW))[TaskKind.COLLECTIONS]
    # 501(r): 120 days from the newest episode's first bill (2026-02-05 + 120 = 2026-06-05)
    assert (task.deadline, task.codes) == (D(2026, 6, 5), ("501r_too_early",))
    assert "501(r) earliest collection-action date on 2026-06-05" in task.reason


# --- data errors -------------------------------------------------------------------------------


def test_a_row_with_an_error_is_a_fix_task_and_left_out_of_the_money():
    problem = Finding(
        "negative_amount",
        "Amount is negative; amounts are entered positive.",
        "Payments",
        2,
        "Amount",
        fix="Enter the amount as a positive number.",
    )
    result = build_worklist(book_from_records(records()), NOW, problems=[problem])
    kinds = by_kind(result)
    (fix,) = kinds[TaskKind.FIX_DATA]
    assert (fix.sheet, fix.row, fix.column, fix.amount) == ("Payments", 2, "Amount", 13000)
    assert fix.ids == ("Y1", "P1")  # the row's own IDs when the problem names none
    assert (fix.deadline, fix.reason) == (AS_OF, problem.message)
    assert TaskKind.REFUND not in kinds  # P1's payment is left out: no credit to refund
    assert result.left_out == 1


def test_warnings_are_not_tasks():
    warning = Finding("unknown_column", "Extra column.", "Payments", 1, "X", severity="warning")
    result = build_worklist(book_from_records(records()), NOW, problems=[warning])
    assert TaskKind.FIX_DATA not in by_kind(result)


def test_a_problem_not_on_a_row_stops_the_worklist():
    missing = Finding("missing_table", "There is no Payments table.", "Payments")
    with pytest.raises(PaxlError, match="no row can be left out"):
        build_worklist(book_from_records(records()), NOW, problems=[missing])


def test_a_duplicate_payment_is_fixed_once_and_not_refunded():
    data = records()
    twin = dict(data["Payments"][0], PaymentID="Y1b", Reference="77")
    data["Payments"][0]["Reference"] = "77"
    data["Payments"][0]["Amount"] = 100  # paid in full once, posted twice
    twin["Amount"] = 100
    data["Payments"].append(twin)
    kinds = by_kind(build_worklist(book_from_records(data), NOW))
    (fix,) = kinds[TaskKind.FIX_DATA]
    assert (fix.codes, fix.row, fix.amount) == (("duplicate_payment",), 7, 10000)
    assert TaskKind.REFUND not in kinds


# --- ranking -----------------------------------------------------------------------------------


def task(kind, amount, deadline, ids=("P1",)):
    return Task(kind, "why", amount, deadline, "do", ids)


@pytest.mark.parametrize(
    ("days", "weight"),
    [(-30, 8), (0, 8), (1, 4), (7, 4), (8, 2), (30, 2), (31, 1), (None, 1)],
)
def test_urgency_doubles_at_30_7_and_0_days(days, weight):
    assert urgency_weight(days) == weight


def test_ranking_weighs_money_by_urgency():
    ranked = rank_tasks(
        [
            task(TaskKind.REFUND, 10000, AS_OF - dt.timedelta(days=3), ("A",)),  # 8 × 100 = 800
            task(TaskKind.REFUND, 50000, AS_OF + dt.timedelta(days=20), ("B",)),  # 2 × 500
            task(TaskKind.REFUND, 30000, AS_OF + dt.timedelta(days=5), ("C",)),  # 4 × 300
            task(TaskKind.REFUND, 90000, AS_OF + dt.timedelta(days=90), ("D",)),  # 1 × 900
            task(TaskKind.REFUND, 0, AS_OF, ("E",)),  # 8 × the $25 minimum = 200
        ],
        AS_OF,
    )
    assert [(t.ids[0], t.score) for t in ranked] == [
        ("C", 120000),
        ("B", 100000),
        ("D", 90000),
        ("A", 80000),
        ("E", 20000),
    ]


def test_ties_go_by_kind_order_then_ids():
    ranked = rank_tasks(
        [
            task(TaskKind.CALL, 5000, AS_OF, ("A",)),
            task(TaskKind.FIX_DATA, 5000, AS_OF, ("Z",)),
            task(TaskKind.FIX_DATA, 5000, AS_OF, ("B",)),
            task(TaskKind.DENIAL, 5000, AS_OF, ("A",)),
        ],
        AS_OF,
    )
    assert [(t.kind, t.ids) for t in ranked] == [
        (TaskKind.FIX_DATA, ("B",)),
        (TaskKind.FIX_DATA, ("Z",)),
        (TaskKind.DENIAL, ("A",)),
        (TaskKind.CALL, ("A",)),
    ]


def test_the_whole_list_is_in_score_order(worklist):
    scores = [t.score for t in worklist.tasks]
    assert scores == sorted(scores, reverse=True)
    assert worklist.total == Decimal("1160.00")  # 30 + 20 + 250 + 80 + 100 + 500 + 120 + 60


def test_json_form_has_dollars_and_iso_dates(worklist):
    data = worklist.to_dict()
    assert data["as_of"] == "2026-06-01"
    first = data["tasks"][0]
    assert (first["kind"], first["amount"], first["deadline"]) == (
        "collections_date",
        "500.00",
        "2026-05-15",
    )


# --- underpayments: computed again only where the audit's view may differ ----------------------


def test_an_underpayment_made_good_after_the_as_of_date_is_still_due_then():
    data = records()
    data["Payments"].append(
        payment("Y2b", "P2", 20, D(2026, 6, 10), "C2", payer="ACME", method="EFT")
    )
    (task,) = by_kind(build_worklist(book_from_records(data), NOW))[TaskKind.UNDERPAID]
    assert (task.ids, task.amount) == (("P2", "C2", "ACME"), 2000)
    later = build_worklist(book_from_records(data), dt.datetime(2026, 6, 15, 12, 0))
    assert TaskKind.UNDERPAID not in by_kind(later)


def test_an_insurer_payment_left_out_for_an_error_reopens_the_underpayment():
    data = records()
    data["Payments"].append(
        payment("Y2b", "P9", 20, D(2026, 4, 2), "C2", payer="ACME", method="EFT")
    )  # posted under the wrong patient: it still counts on C2 ...
    assert TaskKind.UNDERPAID not in by_kind(build_worklist(book_from_records(data), NOW))
    problem = Finding("wrong_type", "Amount is not a number.", "Payments", 7, "Amount")
    result = build_worklist(book_from_records(data), NOW, problems=[problem])
    (task,) = by_kind(result)[TaskKind.UNDERPAID]  # ... until it is left out
    assert task.amount == 2000


@pytest.mark.parametrize("as_of", [D(2026, 9, 1), D(2026, 11, 15)])
def test_underpayments_equal_a_full_computation_on_a_sample(as_of):
    from addin.core import worklist as module

    sample = generate_sample(40, 21, with_errors=True)
    insurer = [p for p in sample.records["Payments"] if p["Payer"] != "Patient" and p["ChargeID"]]
    for row in insurer[::5]:  # plant underpayments
        row["Amount"] -= Decimal("5.00")
    raw = book_from_records(sample.records)
    audit = audit_book(raw, as_of=as_of)
    left_out = {(f.sheet, f.row) for f in audit if f.code in module.REPEAT_CODES}
    clean = module._cleaned(raw, left_out, as_of)
    ledger = ledger_from_book(clean, as_of=as_of)
    candidates = module._insurer_candidates(raw, clean, audit)
    fast = module._underpayment_tasks(clean, ledger, candidates)
    full = module._underpayment_tasks(clean, ledger, None)
    assert fast == full and len(fast) >= 5
    assert candidates is not None and len(candidates) < len(sample.records["Patients"])
