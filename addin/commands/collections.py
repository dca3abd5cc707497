"""`paxl collections BOOK.xlsx [--as-of DATE] -o placement.csv [--json]` — accounts to place.

Reviews every account with an amount due against the Policy's collections rules
(:mod:`addin.core.collections_rules`) and writes, each atomically (the workbook is only read):

* ``placement.csv`` — the eligible accounts for the agency (:mod:`addin.bills.placement`);
* ``<name>-status-changes.csv`` next to it — the AccountStatus cells to change
  (``Active`` → ``Collections``) with sheet and row, for the macro or the rep to apply.

The text summary prints counts only (eligible, ineligible by reason, total placed); ``--json``
adds the eligible accounts, the status changes and every ineligible account with its reasons.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from addin.bills.placement import status_change_rows, write_placement, write_status_changes
from addin.commands._book_args import add_password_arguments, password_from
from addin.commands._dates import iso_date
from addin.commands._output import print_json
from addin.core.collections_rules import CollectionsReview, Decision, review_collections

if TYPE_CHECKING:
    from addin.workbook.book import Book


@dataclass(frozen=True)
class CollectionsSummary:
    """What a collections run found and wrote."""

    as_of: dt.date
    reviewed: int
    eligible: int
    total_placed: Decimal
    status_changes: int
    #: reason code → number of ineligible accounts failing that rule
    reasons: Mapping[str, int] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    review: CollectionsReview | None = None

    def to_dict(self, *, details: bool = True) -> dict[str, object]:
        data: dict[str, object] = {
            "as_of": self.as_of.isoformat(),
            "reviewed": self.reviewed,
            "eligible": self.eligible,
            "ineligible": self.reviewed - self.eligible,
            "total_placed": str(self.total_placed),
            "status_changes": self.status_changes,
            "reasons": dict(self.reasons),
            "files": dict(self.files),
        }
        if details and self.review is not None:
            data["accounts"] = [_decision(d) for d in self.review.eligible]
            data["changes"] = status_change_rows(self.review.eligible)
            data["not_eligible"] = [_decision(d) for d in self.review.ineligible]
        return data

    def text(self) -> str:
        """A few lines for the terminal (counts only, no patient data)."""
        lines = [
            f"Collections review as of {self.as_of}: {self.reviewed} accounts with a balance, "
            f"{self.eligible} eligible (${self.total_placed:,}), "
            f"{self.status_changes} status changes to apply.",
        ]
        if self.reasons:
            lines.append("  not eligible, by rule failed:")
            lines += [f"    {code}: {n}" for code, n in sorted(self.reasons.items())]
        lines += [f"  {what}: {path}" for what, path in self.files.items()]
        return "\n".join(lines)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "collections",
        help="accounts eligible for collections: placement file and status changes",
        description=(
            "Review every account with a balance against the Policy's collections rules "
            "(age, final notice, plans, assistance, 501(r) for nonprofit hospitals) and write "
            "the placement file for the agency and the status changes to apply."
        ),
    )
    parser.add_argument("book", help="the workbook (.xlsx/.xlsm); it is only read")
    add_password_arguments(parser)
    parser.add_argument("--as-of", type=iso_date, help="review date, YYYY-MM-DD (default today)")
    parser.add_argument("-o", "--out", required=True, help="the placement CSV to write")
    parser.add_argument("--json", action="store_true", help="print JSON with every account")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from addin.workbook.loader import load_book

    book = load_book(args.book, password=password_from(args, args.book))
    summary = run_collections(book, args.as_of, Path(args.out))
    if args.json:
        print_json(summary.to_dict())
    else:
        print(summary.text())
    return 0


def run_collections(book: Book, as_of: dt.date | None, out_path: Path) -> CollectionsSummary:
    """Review the accounts and write the placement and status-change files (module doc).

    Args:
        book: the loaded workbook (never written).
        as_of: the review date; ``None`` = today.
        out_path: the placement CSV; the status changes go to ``<stem>-status-changes.csv``
            in the same folder.
    """
    as_of = as_of or dt.date.today()
    review = review_collections(book, as_of)
    out_path = Path(out_path)
    changes_path = out_path.with_name(f"{out_path.stem}-status-changes.csv")
    files = {
        "placement": str(write_placement(review, out_path)),
        "status_changes": str(write_status_changes(review, changes_path)),
    }
    reasons: Counter[str] = Counter()
    for d in review.ineligible:
        reasons.update({r.code for r in d.reasons})
    return CollectionsSummary(
        as_of=as_of,
        reviewed=len(review.eligible) + len(review.ineligible),
        eligible=len(review.eligible),
        total_placed=sum((d.balance for d in review.eligible), Decimal("0.00")),
        status_changes=sum(len(d.status_changes) for d in review.eligible),
        reasons=dict(sorted(reasons.items())),
        files=files,
        review=review,
    )


def _decision(d: Decision) -> dict[str, object]:
    return {
        "account": d.account,
        "patients": list(d.facts.patients),
        "balance": str(d.balance),
        "first_statement": _iso(d.facts.first_statement),
        "final_notice": _iso(d.final_notice),
        "days_past": d.days_past,
        "earliest_eca": _iso(d.earliest_eca),
        "reasons": [{"code": r.code, "message": r.message} for r in d.reasons],
    }


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
