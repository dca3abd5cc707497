"""`paxl era ACTION` — insurer remittances (X12 835 files).

Actions:

* ``preview FILE.835 [--json]`` — what the file pays, per payment, claim and service line, the
  provider-level adjustments, the balance checks and the parser's findings. Exit 0 when the
  file could be posted, 1 when it does not balance or the parser found errors, 2 when the file
  is not an 835 at all.
* ``post BOOK.xlsx FILE.835 -o OUT.xlsx [--json]`` — post the file's payments to a new workbook
  (the input is never changed): new Payments and Adjustments rows plus the ``ERA posting``,
  ``Denials``, ``Unmatched claims`` and ``Provider adjustments`` sheets (rules:
  :mod:`addin.era.post`). Prints the claims posted, reversed, denied and unmatched and the
  totals posted against BPR02. Exit 0 when posted, 1 when the file is not postable (nothing
  written), 2 for a :class:`~addin.errors.PaxlError` (a trace number posted before, an
  unreadable file or workbook, rows that do not validate; nothing written).

Each action is a ``_register_<action>(actions)`` function below that adds its parser and sets
``func``; a new action (``post``) adds one more function to ``_ACTIONS``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from addin.commands._book_args import add_password_arguments, output_password, password_from
from addin.commands._output import print_json
from addin.core.money import ZERO
from addin.era import (
    EraFile,
    EraProblem,
    ProblemKind,
    all_problems,
    is_postable,
    read_era,
)
from addin.era.balance import check_claim
from addin.era.model import money_text
from addin.era.post import post_era
from addin.era.post_model import EraPosting, Outcome
from addin.era.post_sheets import posting_sheets
from addin.workbook.derive import write_derived
from addin.workbook.loader import load_book

# --------------------------------------------------------------------------- preview data


def preview_data(era: EraFile, problems: Sequence[EraProblem]) -> dict[str, object]:
    """The preview as plain JSON-ready data: money as two-decimal strings, dates ISO.

    ``payment`` is the file's payment when it holds exactly one (the usual case) and ``None``
    when it holds several; ``payments`` always lists them all, and every claim and provider
    adjustment carries the ``trace_number`` of its payment.
    """
    payments: list[dict[str, object]] = []
    claims: list[dict[str, object]] = []
    plb: list[dict[str, object]] = []
    for remittance in era.remittances:
        trace = remittance.payment.trace_number
        payments.append(
            {
                **remittance.payment.to_dict(),
                "claims_paid": money_text(remittance.claims_paid),
                "provider_adjustments": money_text(remittance.provider_adjustment_total),
                "reconciles": remittance.reconciles,
                "claim_count": len(remittance.claims),
                "provider_adjustment_count": len(remittance.provider_adjustments),
            }
        )
        for claim in remittance.claims:
            balanced = not any(p.blocks_posting for p in check_claim(claim, trace))
            claims.append({**claim.to_dict(), "trace_number": trace, "balanced": balanced})
        plb.extend({**p.to_dict(), "trace_number": trace} for p in remittance.provider_adjustments)
    claims_paid = sum((r.claims_paid for r in era.remittances), ZERO)
    plb_total = sum((r.provider_adjustment_total for r in era.remittances), ZERO)
    total_paid = sum((r.payment.total_paid for r in era.remittances), ZERO)
    return {
        "file": era.source,
        "payment": payments[0] if len(payments) == 1 else None,
        "payments": payments,
        "claims": claims,
        "provider_adjustments": plb,
        "totals": {
            "claims_paid": money_text(claims_paid),
            "provider_adjustments": money_text(plb_total),
            "total_paid": money_text(total_paid),
            "reconciles": all(r.reconciles for r in era.remittances),
        },
        "errors": [p.to_dict() for p in problems if p.kind is not ProblemKind.KNOWN_FALSE],
        "ignored_parser_reports": [
            p.to_dict() for p in problems if p.kind is ProblemKind.KNOWN_FALSE
        ],
        "postable": is_postable(era, problems),
    }


# --------------------------------------------------------------------------- text output


def _row(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    parts = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)]
    return "  " + "  ".join(parts).rstrip()


def write_preview_text(data: dict[str, object], out: TextIO) -> None:
    """The preview for a rep: payment header, one line per claim, totals, problems."""
    payments = data["payments"]
    claims = data["claims"]
    plb = data["provider_adjustments"]
    assert isinstance(payments, list) and isinstance(claims, list) and isinstance(plb, list)
    out.write(
        f"{data['file']}: X12 835 remittance, {len(payments)} payment(s), {len(claims)} claim(s)\n"
    )
    headers = ("Claim", "Status", "Charge", "Paid", "Patient", "Lines", "Balanced")
    right = (False, False, True, True, True, True, False)
    first_claim = first_plb = 0
    for payment in payments:
        trace = payment["trace_number"]
        n_claims, n_plb = payment["claim_count"], payment["provider_adjustment_count"]
        assert isinstance(n_claims, int) and isinstance(n_plb, int)
        mine = claims[first_claim : first_claim + n_claims]
        mine_plb = plb[first_plb : first_plb + n_plb]
        first_claim, first_plb = first_claim + n_claims, first_plb + n_plb
        out.write(
            f"\nPayment {trace or '(no trace number)'}  {payment['method']}  "
            f"{payment['payment_date'] or '(no date)'}  from {payment['payer_name']}  "
            f"total {payment['total_paid']}\n"
        )
        rows = [
            (
                str(c["patient_control_number"]),
                f"{c['status']} {c['status_text']}",
                str(c["charge"]),
                str(c["paid"]),
                str(c["patient_responsibility"]),
                str(len(c["services"])),
                "yes" if c["balanced"] else "NO",
            )
            for c in mine
        ]
        widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
        out.write(_row(headers, widths, right) + "\n")
        for r in rows:
            out.write(_row(r, widths, right) + "\n")
        for adj in mine_plb:
            ref = f" {adj['reference']}" if adj["reference"] else ""
            out.write(f"  Provider adjustment {adj['reason']}{ref}: {adj['amount']}\n")
        out.write(
            f"  Claims paid {payment['claims_paid']} − provider adjustments "
            f"{payment['provider_adjustments']} = payment {payment['total_paid']}: "
            f"{'reconciles' if payment['reconciles'] else 'DOES NOT RECONCILE'}\n"
        )
    totals = data["totals"]
    assert isinstance(totals, dict)
    if len(payments) > 1:
        out.write(
            f"\nAll payments: claims paid {totals['claims_paid']}, provider adjustments "
            f"{totals['provider_adjustments']}, paid {totals['total_paid']}\n"
        )
    errors = data["errors"]
    ignored = data["ignored_parser_reports"]
    assert isinstance(errors, list) and isinstance(ignored, list)
    if errors:
        out.write(f"\nProblems ({len(errors)}):\n")
        for p in errors:
            where = f"segment {p['position']}" if p["position"] else "file"
            if p["segment"]:
                where += f" ({p['element'] or p['segment']})"
            claim = f", claim {p['claim']}" if p["claim"] else ""
            out.write(f"  {p['severity']:<7} {where}{claim}: {p['message']}\n")
            if p["fix"]:
                out.write(f"          fix: {p['fix']}\n")
    if ignored:
        out.write(f"\nIgnored: {len(ignored)} known false parser report(s).\n")
    if data["postable"]:
        out.write("\nPostable: yes.\n")
    else:
        out.write("\nPostable: NO — the file does not balance or the parser found errors.\n")


# --------------------------------------------------------------------------- actions


def run_preview(args: argparse.Namespace) -> int:
    era = read_era(args.file)
    problems = all_problems(era)
    data = preview_data(era, problems)
    out: TextIO = sys.stdout
    if args.json:
        print_json(data, out, ensure_ascii=False)
    else:
        write_preview_text(data, out)
    return 0 if data["postable"] else 1


def _register_preview(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "preview",
        help="show what an 835 file pays and whether it can be posted",
        description=(
            "Read an X12 835 remittance file and show its payment, claims, service lines and "
            "provider adjustments with the balance checks. Exit 0 when it can be posted, 1 when "
            "it does not balance or the parser found errors, 2 when it is not an 835."
        ),
    )
    parser.add_argument("file", metavar="FILE.835", help="the 835 file from the payer")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run_preview)


# --------------------------------------------------------------------------- post


def _date_text(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def post_data(posting: EraPosting, *, book: str, output: str) -> dict[str, object]:
    """The posting's summary as plain JSON-ready data: money as two-decimal strings, dates ISO,
    IDs only (no patient names)."""
    not_posted = sum((r.not_posted for r in posting.remittances), ZERO)
    return {
        "file": posting.source,
        "book": book,
        "output": output,
        "posted": True,
        "claims": {o.value: posting.count(o) for o in Outcome},
        "rows": {"Payments": len(posting.payments), "Adjustments": len(posting.adjustments)},
        "totals": {
            "posted": money_text(posting.posted_total),
            "total_paid": money_text(posting.total_paid),
            "provider_adjustments": money_text(posting.provider_adjustment_total),
            "not_posted": money_text(not_posted),
        },
        "payments": [
            {
                "trace_number": r.trace_number,
                "payer_name": r.payer_name,
                "payer_id": r.payer_id,
                "method": r.method,
                "payment_date": _date_text(r.payment_date),
                "total_paid": money_text(r.total_paid),
                "claims_paid": money_text(r.claims_paid),
                "provider_adjustments": money_text(r.provider_adjustments),
                "posted": money_text(r.posted),
                "not_posted": money_text(r.not_posted),
            }
            for r in posting.remittances
        ],
        "claim_results": [
            {
                "trace_number": c.trace_number,
                "claim_id": c.claim_id,
                "status": c.status,
                "outcome": c.outcome.value,
                "patient_id": c.patient_id,
                "paid": money_text(c.paid),
                "posted": money_text(c.posted),
                "reason": c.reason,
            }
            for c in posting.claims
        ],
        "unmatched": [
            {"trace_number": c.trace_number, "claim_id": c.claim_id, "reason": c.reason}
            for c in posting.unmatched
        ],
        "denials": [
            {
                "trace_number": d.trace_number,
                "claim_id": d.claim_id,
                "patient_id": d.patient_id,
                "charge_id": d.charge_id,
                "procedure_code": d.procedure_code,
                "service_date": _date_text(d.service_date),
                "billed": money_text(d.billed),
                "reasons": d.reasons,
                "claim_reasons": d.claim_reasons,
                "remarks": d.remarks,
            }
            for d in posting.denials
        ],
        "provider_adjustments": [
            {
                "trace_number": p.trace_number,
                "reason": p.reason,
                "meaning": p.meaning,
                "reference": p.reference,
                "amount": money_text(p.amount),
            }
            for p in posting.provider_adjustments
        ],
        "warnings": [w.to_dict() for w in posting.warnings],
    }


def write_post_text(data: dict[str, object], out: TextIO) -> None:
    """The posting summary for a rep: counts, each payment against BPR02, what was not posted."""
    claims, rows, totals = data["claims"], data["rows"], data["totals"]
    payments, unmatched, warnings = data["payments"], data["unmatched"], data["warnings"]
    assert isinstance(claims, dict) and isinstance(rows, dict) and isinstance(totals, dict)
    assert isinstance(payments, list) and isinstance(unmatched, list)
    assert isinstance(warnings, list)
    out.write(f"{data['file']} posted to {data['output']} (input {data['book']} unchanged)\n")
    out.write(
        f"  Claims: {claims['posted']} posted, {claims['reversed']} reversed, "
        f"{claims['denied']} denied, {claims['unmatched']} unmatched\n"
    )
    out.write(f"  New rows: {rows['Payments']} payments, {rows['Adjustments']} adjustments\n")
    for p in payments:
        out.write(
            f"  Payment {p['trace_number'] or '(no trace number)'} from {p['payer_name']} "
            f"({p['payment_date'] or 'no date'}): paid {p['total_paid']} (BPR02) = posted "
            f"{p['posted']} + not posted {p['not_posted']} − provider adjustments "
            f"{p['provider_adjustments']}\n"
        )
    out.write(
        f"  Total posted {totals['posted']} of {totals['total_paid']} paid (BPR02); "
        f"provider adjustments {totals['provider_adjustments']} (see the Provider adjustments "
        "sheet)\n"
    )
    if unmatched:
        out.write(f"\nUnmatched claims ({len(unmatched)}), not posted — post them by hand:\n")
        for c in unmatched:
            out.write(f"  {c['claim_id']} (payment {c['trace_number']}): {c['reason']}\n")
    if claims["denied"]:
        out.write(f"\nDenied claims: {claims['denied']} — see the Denials sheet.\n")
    if warnings:
        out.write(f"\nWarnings ({len(warnings)}):\n")
        for w in warnings:
            out.write(f"  {w['message']} {w['fix']}\n")


def _not_postable(era: EraFile, problems: Sequence[EraProblem], as_json: bool) -> int:
    data = preview_data(era, problems)
    out: TextIO = sys.stdout
    if as_json:
        blocking = [e for e in data["errors"] if e["blocks_posting"]]  # type: ignore[union-attr]
        print_json({"file": era.source, "posted": False, "errors": blocking}, out)
        return 1
    out.write(f"{era.source}: not posted — nothing was written.\n")
    for p in problems:
        if p.blocks_posting:
            where = f"segment {p.position}" if p.position else "file"
            out.write(f"  {where}: {p.message}\n")
    out.write("Ask the payer or clearinghouse for a corrected file.\n")
    return 1


def run_post(args: argparse.Namespace) -> int:
    era = read_era(args.file)
    problems = all_problems(era)
    if not is_postable(era, problems):
        return _not_postable(era, problems, args.json)
    password = password_from(args, args.book)
    protect = output_password(args, password)
    book = load_book(args.book, password=password)
    posted_at = dt.datetime.now().replace(microsecond=0)
    posting = post_era(era, book, posted_at=posted_at, problems=problems)
    sheets = posting_sheets(posting)
    write_derived(book, posting.appends(), args.output, extra_sheets=sheets, password=protect)
    data = post_data(posting, book=args.book, output=args.output)
    if args.json:
        print_json(data, ensure_ascii=False)
    else:
        write_post_text(data, sys.stdout)
    return 0


def _register_post(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "post",
        help="post an 835 file's payments to a new copy of the workbook",
        description=(
            "Post an X12 835 remittance to a workbook: insurer payments and contractual "
            "adjustments per line, denials and unmatched claims listed, provider adjustments "
            "reported. Writes a new workbook (the input is never changed). Exit 0 when posted, "
            "1 when the file cannot be posted, 2 when the workbook or file is unusable or the "
            "payment was posted before."
        ),
    )
    parser.add_argument("book", metavar="BOOK.xlsx", help="the patient accounts workbook")
    parser.add_argument("file", metavar="FILE.835", help="the 835 file from the payer")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT.xlsx", help="the new workbook to write"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_password_arguments(parser, encrypt_output=True)
    parser.set_defaults(func=run_post)


_ACTIONS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _register_preview,
    _register_post,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "era",
        help="insurer remittances (X12 835): preview, post",
        description="Insurer remittance files (X12 835, 005010X221A1).",
    )
    actions = parser.add_subparsers(dest="era_action", required=True, metavar="ACTION")
    for add in _ACTIONS:
        add(actions)
