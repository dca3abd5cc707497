"""Time posting a large 835 remittance to a workbook (a timing script, not a test).

Run: ``.venv/bin/python benchmarks/era_post.py [--claims 5000] [--patients 1000] [--write]``

Generates the synthetic, balanced 835 of ``benchmarks/era_parse.py`` (1–3 lines per claim, CO-45
and PR-1/2 adjustments, 5% denials, a PLB pair), reads it, builds a book whose charges are
exactly the file's lines (ChargeID = REF*6R, ClaimID = CLP01, claims spread over ``--patients``
patients covered by the paying plan), then times the posting decision (:func:`post_era`) and,
with ``--write``, writing the new workbook with its report sheets (:func:`write_derived`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import tempfile
import time
from pathlib import Path

from addin.era import EraFile, all_problems, parse_era
from addin.era.post import post_era
from addin.era.post_model import Outcome
from addin.era.post_sheets import posting_sheets
from addin.workbook.book import Book, book_from_records
from addin.workbook.derive import write_derived


def _synthetic_835(claims: int, seed: int) -> str:
    path = Path(__file__).with_name("era_parse.py")
    spec = importlib.util.spec_from_file_location("era_parse_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_835(claims, seed)


def matching_book(era: EraFile, patients: int) -> Book:
    """A book whose charges are the file's service lines, on ``patients`` patients."""
    charges = []
    for n, claim in enumerate(era.claims):
        pid = f"P{n % patients:06d}"
        for line in claim.services:
            charges.append(
                {
                    "ChargeID": line.control_number,
                    "ClaimID": claim.patient_control_number,
                    "PatientID": pid,
                    "ServiceDate": line.service_date,
                    "Code": line.procedure_code,
                    "Units": 1,
                    "Amount": line.charge,
                    "Status": "Submitted",
                }
            )
    ids = [f"P{i:06d}" for i in range(patients)]
    return book_from_records(
        {
            "Patients": [
                {
                    "PatientID": pid,
                    "LastName": "Synthetic",
                    "FirstName": "Patient",
                    "DOB": dt.date(1980, 1, 1),
                    "AccountStatus": "Active",
                }
                for pid in ids
            ],
            "Plans": [
                {
                    "PlanID": "BENCH-PPO",
                    "Payer": "Benchmark Health Plan",
                    "PayerID": "512345678",
                    "PlanType": "Commercial",
                }
            ],
            "Coverage": [
                {
                    "PatientID": pid,
                    "PlanID": "BENCH-PPO",
                    "Rank": 1,
                    "EffectiveFrom": dt.date(2025, 1, 1),
                }
                for pid in ids
            ],
            "Charges": charges,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="also write the new workbook")
    args = parser.parse_args()

    t0 = time.perf_counter()
    era = parse_era(_synthetic_835(args.claims, args.seed), "synthetic.835")
    problems = all_problems(era)
    t1 = time.perf_counter()
    book = matching_book(era, args.patients)
    t2 = time.perf_counter()
    posting = post_era(era, book, posted_at=dt.datetime(2026, 4, 1, 9, 0), problems=problems)
    t3 = time.perf_counter()
    lines = sum(len(c.services) for c in era.claims)
    print(f"{args.claims} claims, {lines} service lines, {args.patients} patients")
    print(f"  read + check 835    {t1 - t0:9.2f} s")
    print(f"  build the book      {t2 - t1:9.2f} s  ({len(book.tables['Charges'])} charges)")
    print(f"  post_era            {t3 - t2:9.2f} s")
    print(
        f"  claims: {posting.count(Outcome.POSTED)} posted, {posting.count(Outcome.DENIED)} "
        f"denied, {posting.count(Outcome.UNMATCHED)} unmatched; rows: "
        f"{len(posting.payments)} payments, {len(posting.adjustments)} adjustments"
    )
    print(f"  posted {posting.posted_total} of {posting.total_paid} paid (BPR02)")
    if args.write:
        with tempfile.TemporaryDirectory(prefix="paxl-era-post-") as folder:
            out = Path(folder) / "posted.xlsx"
            t4 = time.perf_counter()
            write_derived(book, posting.appends(), out, extra_sheets=posting_sheets(posting))
            t5 = time.perf_counter()
            print(f"  write_derived       {t5 - t4:9.2f} s  ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
