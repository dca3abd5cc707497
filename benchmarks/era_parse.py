"""Time reading a large 835 remittance (a timing script, not a test).

Run: ``.venv/bin/python benchmarks/era_parse.py [--claims 5000] [--seed 7] [--keep]``

Writes a synthetic, balanced 005010X221A1 file with the given number of claims (1–3 service
lines each, CO-45 contractual adjustments and PR-1/2/3 patient shares, some denials, a PLB
segment) to a temporary folder, then times each step of reading it: normalising, pyx12
validation, extraction and the balance checks.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from addin.core.money import allocate, round_half_up
from addin.era.balance import all_problems, check_era, is_postable
from addin.era.parse import _extract, normalise, parse_era, validate

CODES = (("99213", "130.00"), ("99214", "190.00"), ("36415", "25.00"), ("80053", "60.00"))


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _claim(rng: random.Random, number: int, charge_no: int, day: date) -> tuple[list[str], Decimal]:
    """Segments of one claim and what it pays; every claim balances by construction."""
    lines: list[tuple[str, Decimal, Decimal, list[tuple[str, str, Decimal]], Decimal]] = []
    denied = rng.random() < 0.05
    for _ in range(rng.randint(1, 3)):
        code, fee = rng.choice(CODES)
        charge = Decimal(fee)
        allowed = round_half_up(charge * Decimal(rng.choice(("0.55", "0.6", "0.72", "0.8"))))
        adjustments = [("CO", "45", charge - allowed)]
        if denied:
            adjustments = [("CO", "50", charge)]
            allowed = Decimal("0.00")
        else:
            deductible = min(allowed, Decimal(rng.choice(("0", "0", "20", "50"))))
            coinsurance = round_half_up((allowed - deductible) * Decimal("0.2"))
            if deductible:
                adjustments.append(("PR", "1", deductible))
            if coinsurance:
                adjustments.append(("PR", "2", coinsurance))
        paid = charge - sum((a[2] for a in adjustments), Decimal(0))
        lines.append((code, charge, paid, adjustments, allowed))
    charge = sum((ln[1] for ln in lines), Decimal(0))
    paid = sum((ln[2] for ln in lines), Decimal(0))
    patient = sum((a[2] for ln in lines for a in ln[3] if a[0] == "PR"), Decimal(0))
    status = "4" if denied else "1"
    ymd = day.strftime("%Y%m%d")
    segs = [
        f"CLP*CLM{number:06d}*{status}*{_money(charge)}*{_money(paid)}*{_money(patient)}"
        f"*12*BENCH{number:08d}*11*1",
        f"NM1*QC*1*PATIENT*SYNTHETIC****MI*MBR{number:07d}",
        f"DTM*232*{ymd}",
    ]
    for i, (code, line_charge, line_paid, adjustments, allowed) in enumerate(lines):
        segs.append(f"SVC*HC:{code}*{_money(line_charge)}*{_money(line_paid)}**1")
        segs.append(f"DTM*472*{ymd}")
        by_group: dict[str, list[tuple[str, Decimal]]] = {}
        for group, reason, amount in adjustments:
            by_group.setdefault(group, []).append((reason, amount))
        for group, pairs in by_group.items():
            triplets = "**".join(f"{reason}*{_money(amount)}" for reason, amount in pairs)
            segs.append(f"CAS*{group}*{triplets}")
        segs.append(f"REF*6R*C{charge_no + i:07d}")
        if allowed:
            segs.append(f"AMT*B6*{_money(allowed)}")
    return segs, paid


def synthetic_835(claims: int, seed: int = 7) -> str:
    """A balanced 835 with ``claims`` claims and one PLB pair, one segment per line."""
    rng = random.Random(seed)
    body: list[str] = []
    total_paid = Decimal(0)
    charge_no = 1
    start = date(2026, 1, 5)
    for n in range(1, claims + 1):
        segs, paid = _claim(rng, n, charge_no, start + timedelta(days=n % 60))
        charge_no += 3
        body.extend(segs)
        total_paid += paid
    recoup, interest = allocate(Decimal("25.01"), 2)  # two PLB amounts from a split
    plb_total = recoup - interest
    header = [
        f"BPR*I*{_money(total_paid - plb_total)}*C*ACH*CCP*01*999999992*DA*123456789*1512345678"
        "**01*999988880*DA*98765432*20260312",
        "TRN*1*BENCH0000001*1512345678",
        "DTM*405*20260310",
        "N1*PR*BENCHMARK HEALTH PLAN",
        "N3*1 BENCH ST",
        "N4*DENVER*CO*80202",
        "PER*BL*EDI*TE*8005550100",
        "N1*PE*EXAMPLE FAMILY CLINIC*XX*1234567893",
        "N3*1 MAIN ST",
        "N4*DENVER*CO*80203",
        "REF*TJ*841234567",
        "LX*1",
    ]
    footer = [f"PLB*1234567893*20261231*WO:BENCH1*{_money(recoup)}*L6:BENCH2*-{_money(interest)}"]
    transaction = ["ST*835*0001", *header, *body, *footer]
    transaction.append(f"SE*{len(transaction) + 1}*0001")
    isa = (
        "ISA*00*          *00*          *ZZ*BENCHPAYER     *ZZ*EXAMPLECLINIC  *260310*1200*^"
        "*00501*000009001*0*T*:"
    )
    segments = [
        isa,
        "GS*HP*BENCHPAYER*EXAMPLECLINIC*20260310*1200*9001*X*005010X221A1",
        *transaction,
        "GE*1*9001",
        "IEA*1*000009001",
    ]
    return "".join(s + "~\n" for s in segments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="paxl-era-"))
    path = folder / f"synthetic_{args.claims}.835"
    path.write_text(synthetic_835(args.claims, args.seed), encoding="ascii")
    data = path.read_bytes()
    print(f"{path}: {len(data) / 1e6:.1f} MB, {args.claims} claims")

    t0 = time.perf_counter()
    separators, segments, _ = normalise(data, path.name)
    t1 = time.perf_counter()
    parser_problems = validate(separators, segments)
    t2 = time.perf_counter()
    remittances, _ = _extract(segments)
    t3 = time.perf_counter()
    era = parse_era(data, path.name)
    t4 = time.perf_counter()
    balance = check_era(era)
    problems = all_problems(era)
    t5 = time.perf_counter()

    claims = sum(len(r.claims) for r in remittances)
    print(f"  segments            {len(segments):>9,}")
    print(f"  normalise           {t1 - t0:9.2f} s")
    print(f"  pyx12 validation    {t2 - t1:9.2f} s  ({len(parser_problems)} reports)")
    print(f"  extraction          {t3 - t2:9.2f} s  ({claims} claims)")
    print(f"  balance checks      {t5 - t4:9.2f} s  ({len(balance)} problems)")
    print(f"  parse_era, total    {t4 - t3:9.2f} s")
    print(f"  postable: {is_postable(era, problems)}")
    if not args.keep:
        path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
