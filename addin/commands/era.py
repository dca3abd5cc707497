"""`paxl era ACTION` — insurer remittances (X12 835 files).

Actions:

* ``preview FILE.835 [--json]`` — what the file pays, per payment, claim and service line, the
  provider-level adjustments, the balance checks and the parser's findings. Exit 0 when the
  file could be posted, 1 when it does not balance or the parser found errors, 2 when the file
  is not an 835 at all.

Each action is a ``_register_<action>(actions)`` function below that adds its parser and sets
``func``; a new action (``post``) adds one more function to ``_ACTIONS``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

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
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
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


_ACTIONS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (_register_preview,)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "era",
        help="insurer remittances (X12 835): preview",
        description="Insurer remittance files (X12 835, 005010X221A1).",
    )
    actions = parser.add_subparsers(dest="era_action", required=True, metavar="ACTION")
    for add in _ACTIONS:
        add(actions)
