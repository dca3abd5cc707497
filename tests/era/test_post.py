"""Posting 835 remittances: rows decided from the fixture files and from hand-built records."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core.ledger import ledger_from_book
from addin.era import Adjustment, Claim, EraFile, Payment, Remittance, ServiceLine
from addin.era.post import adjustment_kind, claim_level_shares, post_era
from addin.era.post_model import EraPosting, Outcome
from addin.errors import PaxlError
from addin.workbook.book import Book, book_from_records
from tests.era.era_fixture import era
from tests.era.post_fixture import practice_book, practice_records

AT = dt.datetime(2026, 4, 1, 9, 30)
ACME_TRN03 = "1512345678"


def _posted(name: str, book: Book | None = None) -> EraPosting:
    return post_era(era(name), book or practice_book(), posted_at=AT)


def _with(posting: EraPosting, records: dict | None = None) -> Book:
    """The practice book with the posting's rows appended."""
    records = records or practice_records()
    for table, rows in posting.appends().items():
        records[table] = records.get(table, []) + rows
    return book_from_records(records)


def _lines(book: Book):
    return ledger_from_book(book).lines.set_index("ChargeID")


def _cents(value: str) -> int:
    return int(Decimal(value) * 100)


# --- hand-built remittances ---------------------------------------------------------------------


def _adj(group: str, reason: str, amount: str) -> Adjustment:
    return Adjustment(group, reason, Decimal(amount))


def _line(
    code: str,
    charge: str,
    paid: str,
    *adjustments: Adjustment,
    control: str | None = None,
    day: dt.date | None = dt.date(2026, 3, 2),
    modifiers: tuple[str, ...] = (),
) -> ServiceLine:
    return ServiceLine(
        procedure_code=code,
        charge=Decimal(charge),
        paid=Decimal(paid),
        modifiers=modifiers,
        service_date=day,
        control_number=control,
        adjustments=adjustments,
    )


def _claim(
    claim_id: str,
    *lines: ServiceLine,
    status: str = "1",
    claim_adjustments: tuple[Adjustment, ...] = (),
    charge: str | None = None,
    paid: str | None = None,
    position: int = 0,
) -> Claim:
    every = [*claim_adjustments, *(a for ln in lines for a in ln.adjustments)]
    total_charge = Decimal(charge) if charge else sum((ln.charge for ln in lines), Decimal(0))
    claim_paid = sum((ln.paid for ln in lines), Decimal(0)) - sum(
        (a.amount for a in claim_adjustments), Decimal(0)
    )
    return Claim(
        patient_control_number=claim_id,
        status=status,
        charge=total_charge,
        paid=Decimal(paid) if paid else claim_paid,
        patient_responsibility=sum((a.amount for a in every if a.group == "PR"), Decimal(0)),
        adjustments=claim_adjustments,
        services=lines,
        position=position,
    )


def _era(*claims: Claim, trace: str = "T100", method: str = "ACH", payer_id: str = ACME_TRN03):
    total = sum((c.paid for c in claims), Decimal(0))
    payment = Payment(total, method, dt.date(2026, 4, 2), trace, "ACME", payer_id)
    numbered = tuple(replace(c, position=c.position or 10 * (i + 1)) for i, c in enumerate(claims))
    return EraFile(remittances=(Remittance(payment, numbered),), source="hand.835")


def _post(era_file: EraFile, book: Book | None = None) -> EraPosting:
    return post_era(era_file, book or practice_book(), posted_at=AT)


# --- the normal payment -------------------------------------------------------------------------


def test_normal_payment_posts_one_insurer_payment_per_line_under_the_trace_number():
    posting = _posted("normal_payment")
    rows = [p.record() for p in posting.payments]
    assert [(r["PaymentID"], r["ChargeID"], r["Amount"]) for r in rows] == [
        ("ERA-EFT20260312001-1", "C0000101", Decimal("95.00")),
        ("ERA-EFT20260312001-2", "C0000102", Decimal("8.00")),
        ("ERA-EFT20260312001-3", "C0000103", Decimal("64.00")),
        ("ERA-EFT20260312001-4", "C0000104", Decimal("240.00")),
        ("ERA-EFT20260312001-5", "C0000105", Decimal("100.00")),
    ]
    first = rows[0]
    assert first == {
        "PaymentID": "ERA-EFT20260312001-1",
        "Date": dt.date(2026, 3, 12),
        "PatientID": "P001",
        "ChargeID": "C0000101",
        "Payer": "ACME-PPO",  # PayerID 512345678 = TRN03 1512345678 without its leading 1
        "Kind": "Payment",
        "Method": "EFT",
        "Reference": "EFT20260312001",
        "Amount": Decimal("95.00"),
        "PostedBy": "ERA",
        "PostedAt": AT,
    }
    assert [r["PatientID"] for r in rows] == ["P001", "P001", "P002", "P003", "P001"]
    assert posting.warnings == ()


def test_normal_payment_posts_co45_as_contractual_and_leaves_pr_unposted():
    posting = _posted("normal_payment")
    assert [
        (a.adjustment_id, a.charge_id, a.kind, a.group, a.reason, a.amount)
        for a in posting.adjustments
    ] == [
        ("ERA-EFT20260312001-A1", "C0000101", "Contractual", "CO", "45", Decimal("80.00")),
        ("ERA-EFT20260312001-A2", "C0000102", "Contractual", "CO", "45", Decimal("20.00")),
        ("ERA-EFT20260312001-A3", "C0000103", "Contractual", "CO", "45", Decimal("120.00")),
        ("ERA-EFT20260312001-A4", "C0000104", "Contractual", "CO", "45", Decimal("400.00")),
        ("ERA-EFT20260312001-A5", "C0000105", "Contractual", "CO", "45", Decimal("40.00")),
    ]
    assert all(a.group != "PR" for a in posting.adjustments)
    assert posting.adjustments[0].note == "ERA EFT20260312001 claim CLM000101"


def test_a_claim_level_deductible_comes_off_the_line_payment_so_rows_add_up_to_clp04():
    # CLM000104: the line pays 110.00, the claim takes PR-1 10.00 at claim level: 100.00 paid.
    posting = _posted("normal_payment")
    (line,) = [p for p in posting.payments if p.charge_id == "C0000105"]
    assert line.amount == Decimal("100.00")
    assert posting.posted_total == posting.total_paid == Decimal("507.00")
    assert [c.outcome for c in posting.claims] == [Outcome.POSTED] * 4
    assert [c.posted for c in posting.claims] == [c.paid for c in posting.claims]


def test_after_posting_the_ledger_shows_insurer_paid_contractual_and_patient_due_per_line():
    lines = _lines(_with(_posted("normal_payment")))
    #            ChargeID    paid      CO-45     PR (patient due)
    expected = {
        "C0000101": ("95.00", "80.00", "25.00"),
        "C0000102": ("8.00", "20.00", "2.00"),
        "C0000103": ("64.00", "120.00", "116.00"),
        "C0000104": ("240.00", "400.00", "560.00"),
        "C0000105": ("100.00", "40.00", "10.00"),
    }
    for charge_id, (paid, contractual, due) in expected.items():
        row = lines.loc[charge_id]
        assert row["insurance_paid"] == _cents(paid), charge_id
        assert row["adjustments"] == _cents(contractual), charge_id
        assert row["patient_due"] == _cents(due), charge_id
        assert row["insurance_pending"] == 0 and bool(row["patient_responsible"])
    account = ledger_from_book(_with(_posted("normal_payment"))).accounts.loc["P003"]
    assert (account["contractual"], account["patient_due"]) == (40000, 56000)


def test_the_input_book_is_not_changed_by_posting():
    book = practice_book()
    before = {name: frame.copy() for name, frame in book.tables.items()}
    post_era(era("normal_payment"), book, posted_at=AT)
    for name, frame in before.items():
        assert book.tables[name].equals(frame), name


# --- denials, PLB, secondary, other files -------------------------------------------------------


def test_a_denied_claim_posts_nothing_and_lists_every_line_with_its_codes():
    posting = _posted("denial")
    assert [c.outcome for c in posting.claims] == [Outcome.DENIED, Outcome.POSTED]
    assert {p.charge_id for p in posting.payments} == {"C0000203"}
    assert {a.charge_id for a in posting.adjustments} == {"C0000203"}
    assert [
        (d.charge_id, d.procedure_code, d.billed, d.reasons, d.remarks) for d in posting.denials
    ] == [
        ("C0000201", "73721", Decimal("380.00"), "CO-197 380.00", ""),
        ("C0000202", "99203", Decimal("70.00"), "CO-50 70.00", "N130"),
    ]
    denial = posting.denials[0]
    assert (denial.claim_id, denial.patient_id, denial.payer_claim_number) == (
        "CLM000201",
        "P003",
        "ACME26030201",
    )
    assert posting.payments[0].method == "Check"  # BPR04 CHK
    assert _lines(_with(posting)).loc["C0000201", "insurance_pending"] == 38000


def test_provider_adjustments_are_reported_not_posted_and_the_payment_reconciles():
    posting = _posted("plb_adjustment")
    assert [(p.reason, p.meaning, p.reference, p.amount) for p in posting.provider_adjustments] == [
        ("WO", "overpayment recovery", "ACME26010077", Decimal("35.00")),
        ("L6", "interest owed", "ACME26030301", Decimal("-2.50")),
        ("FB", "forwarding balance", "RECOUP0042", Decimal("10.00")),
    ]
    (payment,) = posting.remittances
    assert (payment.total_paid, payment.posted, payment.provider_adjustments) == (
        Decimal("197.50"),
        Decimal("240.00"),
        Decimal("42.50"),
    )
    assert payment.posted + payment.not_posted - payment.provider_adjustments == payment.total_paid
    assert sum(p.amount for p in posting.payments) == Decimal("240.00")


def test_a_secondary_payment_goes_to_the_secondary_plan_and_oa23_is_not_posted_again():
    posting = _posted("two_interchanges")
    assert [(p.reference, p.charge_id, p.payer, p.amount) for p in posting.payments] == [
        ("CHK0012345", "C0000501", "BEACON-MC", Decimal("136.40")),
        ("CHK0077001", "C0000502", "ACME-PPO", Decimal("48.00")),
    ]
    assert [a.charge_id for a in posting.adjustments] == ["C0000501"]  # no OA-23 row
    lines = _lines(_with(posting))
    # Beacon paid 20.00 and wrote off 12.00 before; Acme's 48.00 settles the 80.00 charge.
    assert lines.loc["C0000502", "open"] == 0
    assert lines.loc["C0000501", "patient_due"] == _cents("34.10")


@pytest.mark.parametrize(
    ("name", "trace", "payer"),
    [
        ("no_line_breaks", "CHK0012345", "BEACON-MC"),
        ("bom_other_separators", "EFT20260330555", "SUMMIT"),
    ],
)
def test_files_in_other_layouts_post_the_same_way(name, trace, payer):
    posting = _posted(name)
    assert posting.count(Outcome.POSTED) == 1 and not posting.unmatched
    assert {(p.reference, p.payer) for p in posting.payments} == {(trace, payer)}
    assert posting.posted_total == posting.total_paid


# --- reversals ----------------------------------------------------------------------------------


def test_a_reversal_refunds_the_earlier_payment_and_the_correction_posts_fresh():
    first = _posted("normal_payment")
    records = practice_records()
    book = _with(first, records)
    posting = _posted("reversal_and_correction", book)
    assert [c.outcome for c in posting.claims] == [Outcome.REVERSED, Outcome.POSTED]
    assert [(p.kind, p.charge_id, p.payer, p.amount) for p in posting.payments] == [
        ("Refund", "C0000103", "ACME-PPO", Decimal("64.00")),
        ("Payment", "C0000103", "ACME-PPO", Decimal("144.00")),
    ]
    # CO-45 120.00 reversed and 120.00 given again: nets to nothing to enter.
    assert posting.adjustments == ()
    assert posting.posted_total == Decimal("80.00") == posting.total_paid
    line = _lines(_with(posting, records)).loc["C0000103"]
    assert line["insurance_paid"] - line["refunds"] == _cents("144.00")
    assert line["adjustments"] == _cents("120.00")
    assert line["patient_due"] == _cents("36.00")  # the corrected PR-2


def test_a_reversal_of_a_payment_the_book_does_not_have_is_unmatched_with_its_correction():
    posting = _posted("reversal_and_correction")
    assert [c.outcome for c in posting.claims] == [Outcome.UNMATCHED] * 2
    assert "takes back 64.00 on charge C0000103" in posting.claims[0].reason
    assert posting.payments == () and posting.adjustments == ()


def _reversal_pair(corrected_co: str) -> EraFile:
    reversal = _claim(
        "CLM000102",
        _line(
            "99214",
            "-300.00",
            "-64.00",
            _adj("CO", "45", "-120.00"),
            _adj("PR", "1", "-116.00"),
            control="C0000103",
            day=dt.date(2026, 3, 3),
        ),
        status="22",
    )
    rest = Decimal("300.00") - Decimal(corrected_co) - Decimal("36.00")
    correction = _claim(
        "CLM000102",
        _line(
            "99214",
            "300.00",
            f"{rest:.2f}",
            _adj("CO", "45", corrected_co),
            _adj("PR", "2", "36.00"),
            control="C0000103",
            day=dt.date(2026, 3, 3),
        ),
    )
    return _era(reversal, correction)


def test_a_correction_with_a_larger_contractual_adjustment_posts_only_the_increase():
    book = _with(_posted("normal_payment"))
    posting = _post(_reversal_pair("150.00"), book)
    assert [(a.kind, a.reason, a.amount, a.note) for a in posting.adjustments] == [
        ("Contractual", "45", Decimal("30.00"), "ERA T100 claim CLM000102 (net of its reversal)")
    ]


def _reversal_only(co: str = "-120.00") -> EraFile:
    return _era(
        _claim(
            "CLM000102",
            _line(
                "99214",
                "-300.00",
                "-64.00",
                _adj("CO", "45", co),
                _adj("PR", "1", f"{Decimal('-236.00') - Decimal(co):.2f}"),
                control="C0000103",
                day=dt.date(2026, 3, 3),
            ),
            status="22",
        ),
        trace="T200",
    )


def test_a_correction_that_lowers_the_contractual_adjustment_reverses_the_difference():
    records = practice_records()
    first = _with(_posted("normal_payment"), records)
    posting = _post(_reversal_pair("100.00"), first)
    assert [c.outcome for c in posting.claims] == [Outcome.REVERSED, Outcome.POSTED]
    assert [(a.kind, a.group, a.reason, a.amount, a.note) for a in posting.adjustments] == [
        (
            "Reversal",
            "CO",
            "45",
            Decimal("20.00"),
            "ERA T100 claim CLM000102 reversal (net of its correction)",
        )
    ]
    line = _lines(_with(posting, records)).loc["C0000103"]
    assert line["adjustments"] == _cents("100.00")
    assert line["insurance_paid"] - line["refunds"] == _cents("164.00")
    assert line["open"] == _cents("36.00")


def test_a_reversal_without_a_correction_refunds_and_reverses_back_to_the_unposted_line():
    before = _lines(practice_book()).loc["C0000103"]
    records = practice_records()
    first = _with(_posted("normal_payment"), records)
    posting = _post(_reversal_only(), first)
    assert [c.outcome for c in posting.claims] == [Outcome.REVERSED]
    assert not posting.unmatched
    assert [(p.kind, p.charge_id, p.payer, p.amount) for p in posting.payments] == [
        ("Refund", "C0000103", "ACME-PPO", Decimal("64.00"))
    ]
    assert [(a.kind, a.charge_id, a.group, a.reason, a.amount) for a in posting.adjustments] == [
        ("Reversal", "C0000103", "CO", "45", Decimal("120.00"))
    ]
    after_book = _with(posting, records)
    after = _lines(after_book).loc["C0000103"]
    assert after["open"] == before["open"] == _cents("300.00")
    assert after["adjustments"] == before["adjustments"] == 0
    assert after["insurance_paid"] - after["refunds"] == 0
    patient = after["PatientID"]
    assert (
        ledger_from_book(after_book).accounts.loc[patient, "balance"]
        == ledger_from_book(practice_book()).accounts.loc[patient, "balance"]
    )


def test_a_reversal_taking_back_more_adjustment_than_was_posted_is_refused():
    first = _with(_posted("normal_payment"))
    with pytest.raises(
        PaxlError, match=r"CO-45 130\.00 on charge C0000103, but the workbook has 120\.00"
    ):
        _post(_reversal_only("-130.00"), first)


# --- matching without guessing ------------------------------------------------------------------


def test_lines_without_a_control_number_match_by_code_and_service_date():
    claim = _claim(
        "CLM000101",
        _line("36415", "30.00", "8.00", _adj("CO", "45", "22.00")),
        _line("99213", "200.00", "95.00", _adj("CO", "45", "105.00"), modifiers=("25",)),
    )
    posting = _post(_era(claim))
    assert [p.charge_id for p in posting.payments] == ["C0000102", "C0000101"]


def test_two_charges_with_the_same_code_and_date_are_never_guessed():
    records = practice_records()
    twin = dict(records["Charges"][1], ChargeID="C0000109")
    records["Charges"].append(twin)
    claim = _claim("CLM000101", _line("36415", "30.00", "30.00"))
    posting = _post(_era(claim), book_from_records(records))
    (result,) = posting.claims
    assert result.outcome is Outcome.UNMATCHED
    assert "2 charges (C0000102, C0000109)" in result.reason and "will not guess" in result.reason
    assert posting.payments == ()


def test_a_claim_with_one_unmatched_line_is_not_posted_at_all():
    claim = _claim(
        "CLM000101",
        _line("99213", "200.00", "200.00", control="C0000101"),
        _line("80053", "45.00", "45.00"),
    )
    posting = _post(_era(claim))
    assert posting.claims[0].outcome is Outcome.UNMATCHED
    assert "no charge of the claim has that code on 2026-03-02" in posting.claims[0].reason
    assert posting.payments == ()


@pytest.mark.parametrize(
    ("claim", "edit", "reason"),
    [
        (_claim("CLM999999", _line("99213", "10.00", "10.00")), None, "No charge in the workbook"),
        (
            _claim("CLM000101", _line("99213", "200.00", "200.00", control="C0000103")),
            None,
            "names charge C0000103, which is billed on claim CLM000102",
        ),
        (
            _claim("CLM000101", _line("99213", "200.00", "200.00", control="C0000101")),
            lambda r: r["Charges"][1].update(PatientID="P002"),
            "belong to 2 patients (P001, P002)",
        ),
        (
            _claim("CLM000101", _line("99213", "200.00", "200.00", control="C0000101")),
            lambda r: r["Charges"][0].update(Status="Void"),
            "Charge C0000101 of claim CLM000101 is void",
        ),
        (
            _claim("CLM000101", _line("99213", "200.00", "200.00", control="C0000101")),
            lambda r: r.update(Coverage=[c for c in r["Coverage"] if c["PatientID"] != "P001"]),
            "Patient P001 has no coverage in force on 2026-03-02",
        ),
        (
            _claim(
                "CLM000101",
                _line("99213", "200.00", "0.00", _adj("CO", "45", "200.00"), control="C0000101"),
                status="25",
            ),
            None,
            "status 25 (predetermination pricing only, no payment) carries nothing to post",
        ),
        (
            _claim("CLM000101", charge="230.00", paid="230.00"),
            None,
            "has no service lines and 2 charges",
        ),
    ],
)
def test_claims_that_cannot_be_matched_are_listed_with_the_reason(claim, edit, reason):
    records = practice_records()
    if edit:
        edit(records)
    posting = _post(_era(claim), book_from_records(records))
    (result,) = posting.claims
    assert result.outcome is Outcome.UNMATCHED
    assert reason in result.reason
    assert posting.payments == () and posting.adjustments == ()
    assert result.posted == 0 and posting.remittances[0].not_posted == claim.paid


def test_a_claim_without_service_lines_posts_to_its_only_charge():
    claim = _claim(
        "CLM000102",
        charge="300.00",
        paid="64.00",
        claim_adjustments=(_adj("CO", "45", "120.00"), _adj("PR", "1", "116.00")),
    )
    posting = _post(_era(claim))
    assert [(p.charge_id, p.amount) for p in posting.payments] == [("C0000103", Decimal("64.00"))]
    assert [(a.charge_id, a.amount) for a in posting.adjustments] == [
        ("C0000103", Decimal("120.00"))
    ]


def test_an_unknown_payer_id_posts_to_the_primary_plan_with_a_warning():
    claim = _claim(
        "CLM000103",
        _line(
            "29881",
            "1200.00",
            "240.00",
            _adj("CO", "45", "960.00"),
            control="C0000104",
            day=dt.date(2026, 3, 4),
        ),
    )
    posting = _post(_era(claim, payer_id="1999999999"))
    assert posting.payments[0].payer == "ACME-PPO"
    (warning,) = posting.warnings
    assert warning.code == "era_payer_fallback" and warning.severity == "warning"
    assert "PayerID 1999999999" in warning.message


def test_other_co_reasons_are_write_offs_and_oa_pi_are_write_offs_too():
    claim = _claim(
        "CLM000103",
        _line(
            "29881",
            "1200.00",
            "700.00",
            _adj("CO", "45", "300.00"),
            _adj("CO", "253", "10.00"),
            _adj("PI", "94", "40.00"),
            _adj("OA", "18", "50.00"),
            _adj("OA", "23", "100.00"),
            control="C0000104",
            day=dt.date(2026, 3, 4),
        ),
    )
    posting = _post(_era(claim))
    assert [(a.kind, a.group, a.reason, a.amount) for a in posting.adjustments] == [
        ("Contractual", "CO", "45", Decimal("300.00")),
        ("Write-off", "CO", "253", Decimal("10.00")),
        ("Write-off", "PI", "94", Decimal("40.00")),
        ("Write-off", "OA", "18", Decimal("50.00")),
    ]


@pytest.mark.parametrize(
    ("group", "reason", "kind"),
    [
        ("CO", "45", "Contractual"),
        ("CO", "197", "Write-off"),
        ("OA", "23", None),
        ("OA", "94", "Write-off"),
        ("PI", "45", "Write-off"),
        ("PR", "1", None),
        ("PR", "3", None),
    ],
)
def test_adjustment_kinds(group, reason, kind):
    assert adjustment_kind(group, reason) == kind


def test_a_billed_amount_that_differs_from_the_charge_is_a_warning():
    claim = _claim(
        "CLM000102",
        _line(
            "99214",
            "310.00",
            "64.00",
            _adj("CO", "45", "246.00"),
            control="C0000103",
            day=dt.date(2026, 3, 3),
        ),
    )
    posting = _post(_era(claim))
    assert posting.count(Outcome.POSTED) == 1
    (warning,) = posting.warnings
    assert (warning.code, warning.sheet, warning.column) == (
        "era_billed_differs",
        "Charges",
        "Amount",
    )


# --- refusals -----------------------------------------------------------------------------------


def test_a_trace_number_already_posted_by_an_insurer_is_refused():
    book = _with(_posted("normal_payment"))
    with pytest.raises(PaxlError, match="EFT20260312001 is already posted"):
        _posted("normal_payment", book)


def test_a_patient_payment_with_the_same_reference_is_not_a_repost():
    records = practice_records()
    records["Payments"].append(
        {
            "PaymentID": "PAY0002",
            "Date": dt.date(2026, 3, 3),
            "PatientID": "P001",
            "Payer": "Patient",
            "Kind": "Payment",
            "Method": "Check",
            "Reference": "EFT20260312001",
            "Amount": Decimal("10.00"),
        }
    )
    assert _posted("normal_payment", book_from_records(records)).payments


def test_the_same_trace_twice_in_one_file_is_refused():
    claim = _claim("CLM000102", _line("99214", "300.00", "300.00", control="C0000103"))
    one = _era(claim).remittances[0]
    with pytest.raises(PaxlError, match="appears twice in the file"):
        _post(EraFile(remittances=(one, one), source="twice.835"))


def test_a_file_that_is_not_postable_is_refused():
    with pytest.raises(PaxlError, match="cannot be posted"):
        _posted("broken_unbalanced")


def test_a_new_row_id_already_in_use_is_refused():
    records = practice_records()
    records["Adjustments"][0]["AdjustmentID"] = "ERA-EFT20260312001-A2"
    with pytest.raises(PaxlError, match="already has ID ERA-EFT20260312001-A2"):
        _posted("normal_payment", book_from_records(records))


def test_an_unknown_payment_method_is_refused():
    claim = _claim("CLM000102", _line("99214", "300.00", "300.00", control="C0000103"))
    with pytest.raises(PaxlError, match="payment method XYZ"):
        _post(_era(claim, method="XYZ"))


# --- money ---------------------------------------------------------------------------------------

_amounts = st.decimals(min_value=0, max_value=5000, places=2)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.tuples(_amounts, _amounts), min_size=1, max_size=5),
    claim_amounts=st.lists(st.decimals(min_value=-500, max_value=500, places=2), max_size=3),
)
def test_claim_level_shares_sum_to_each_claim_adjustment(lines, claim_amounts):
    services = tuple(
        ServiceLine(
            "99213", charge=max(c, p), paid=p, adjustments=(_adj("CO", "45", f"{max(c, p) - p}"),)
        )
        for c, p in lines
    )
    adjustments = tuple(Adjustment("PR", str(i), a) for i, a in enumerate(claim_amounts))
    claim = Claim("CLM1", "1", Decimal(0), Decimal(0), adjustments=adjustments, services=services)
    shares = claim_level_shares(claim)
    assert len(shares) == len(services)
    for i, adjustment in enumerate(adjustments):
        parts = [a.amount for s in shares for a in s if a.reason == str(i)]
        assert sum(parts, Decimal(0)) == adjustment.amount
    net = sum((s.paid for s in services), Decimal(0)) - sum(
        (a.amount for s in shares for a in s), Decimal(0)
    )
    assert net == sum((s.paid for s in services), Decimal(0)) - sum(claim_amounts, Decimal(0))


def test_a_denied_claim_not_in_the_workbook_is_unmatched():
    claim = _claim(
        "CLM999999", _line("99213", "50.00", "0.00", _adj("CO", "50", "50.00")), status="4"
    )
    posting = _post(_era(claim))
    (result,) = posting.claims
    assert result.outcome is Outcome.UNMATCHED
    assert result.reason.startswith("Denied claim: No charge in the workbook has ClaimID CLM999999")
    assert posting.denials == ()


def test_a_denied_line_that_does_not_match_keeps_a_blank_charge_id():
    claim = _claim(
        "CLM000201",
        _line("73721", "380.00", "0.00", _adj("CO", "197", "380.00"), day=dt.date(2026, 3, 9)),
        status="4",
    )
    posting = _post(_era(claim))
    (line,) = posting.denials
    assert (line.patient_id, line.charge_id, line.reasons) == ("P003", None, "CO-197 380.00")
    assert posting.count(Outcome.DENIED) == 1 and posting.payments == ()
