"""Time the Excel functions at sample size (a timing script, not a test).

Run: ``.venv/bin/python benchmarks/functions.py [--lines N] [--patients N] [--codes N]``.
With ``XLWINGS_LICENSE_KEY`` set (``noncommercial`` for open-source development), the PA_SPLIT
calls are also timed through xlwings' custom-function machinery (``custom_functions_call``, what
xlwings Lite and Server run per call; PRO code); ``--no-through-xlwings`` skips that.

* ``PA_SPLIT`` over a column of lines in one call, against one call per line;
* ``PA_BALANCE`` over the tables of a generated practice (``addin.workbook.sample``; synthetic
  records if that module is missing), passed as Excel passes ``Charges[#All]``;
* ``PA_CODE_CHECK`` over diagnosis codes drawn from the ICD-10-CM set: the first call (which loads
  the code set) and a call on fresh codes after it.

Targets: PA_SPLIT one call over 10,000 lines ≤ 0.5 s and ≥ 20× faster than 10,000 single calls;
PA_CODE_CHECK 10,000 codes ≤ 1 s after the load. Each time is shown as wall clock and CPU time of
this process; the verdict uses CPU time, because on a shared machine the wall clock also counts
other programs' work (the load average is printed).

**How the PA_SPLIT targets are judged.** Both are judged on CPU time through xlwings' own call
path (``custom_functions_call`` in a fresh interpreter with ``XLWINGS_ON_SERVER=true``) with paxl
as shipped, because that is where Excel's per-call cost lives — converting the arguments,
dispatching to Python, converting the result back — and the 20× target is about that cost.
Called directly from Python a single-line call has almost none of it, so the direct one-call
time and ratio are printed with their own verdicts for information only.

"As shipped" means with ``udfs`` imported, which marks ``pyodide`` absent outside Pyodide
(``udfs/_host.py``): xlwings 0.37.8 otherwise retries a failing ``import pyodide.ffi`` for every
cell it reads (``xlwings.utils.is_jsnull``) and every argument of every call
(``xlwings.pro.udfs_officejs.js_to_none``). For information the calls are also timed with those
retries back (stock xlwings, the marks removed) and with the two checks replaced by no-ops (what
no check at all would cost), and xlwings' per-call cost above a direct call is printed. The
variants take turns in one child process (best of ``--repeat`` for the one call, of two runs for
the single calls), so a change in the machine's load touches them alike.

A one-line call is worked per cell and a column by the integer-cent column rule (numpy's fixed
cost would make each of a sheet's thousands of one-line calls dearer). For comparison the direct
section also times a column whose amounts are ``Decimal`` (Currency-formatted cells on Windows),
which takes the per-cell path. Without the
licence key the through-xlwings part is skipped and the targets are reported as not judged.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SPLIT_TARGET_SECONDS = 0.5
SPLIT_TARGET_RATIO = 20.0
CODES_TARGET_SECONDS = 1.0


def timed(run: Callable[[], object], repeat: int = 1) -> tuple[float, float, object]:
    """Best wall and CPU seconds over ``repeat`` runs, and the last result."""
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, result


def show(label: str, wall: float, cpu: float) -> None:
    print(f"  {label:<46} {wall:8.3f} s wall  {cpu:8.3f} s CPU")


def verdict(holds: bool) -> str:
    return "holds" if holds else "MISSED"


def split_lines(count: int, seed: int) -> tuple[list[float], list[float]]:
    """Allowed and billed amounts of ``count`` lines, as Excel numbers."""
    rng = random.Random(seed)
    allowed = [rng.randint(1_000, 200_000) / 100 for _ in range(count)]
    billed = [round(a * rng.choice((1.0, 1.25, 1.5, 2.0)), 2) for a in allowed]
    return allowed, billed


def bench_split(count: int, seed: int, repeat: int) -> tuple[float, float, float]:
    """Direct calls; returns CPU seconds of the one call, of a single call, and of a single call
    with Currency cells (the per-cell path)."""
    import udfs
    from addin.core.cost_share import Accumulators, CostLine
    from addin.core.cost_share import split_lines as core_split
    from addin.core.cost_share_column import split_column
    from addin.core.money import to_money

    allowed, billed = split_lines(count, seed)
    column, billed_column = [[a] for a in allowed], [[b] for b in billed]
    print(f"PA_SPLIT over {count:,} lines (20% coinsurance, deductible 1500, out-of-pocket 6000)")
    one_wall, one_cpu, rows = timed(
        lambda: udfs.pa_split(column, 0.2, 1500, 6000, None, billed_column), repeat
    )
    show("one call over the column", one_wall, one_cpu)
    assert isinstance(rows, list) and len(rows) == count

    cents = [round(a * 100) for a in allowed], [round(b * 100) for b in billed]
    wall, cpu, _ = timed(
        lambda: split_column(
            cents[0],
            billed=cents[1],
            coinsurance=Decimal("0.2"),
            deductible_left=150_000,
            oop_left=600_000,
        ),
        repeat,
    )
    show("  of it the column rule (split_column, cents ready)", wall, cpu)
    currency = [[to_money(a)] for a in allowed], [[to_money(b)] for b in billed]
    wall, cpu, same = timed(
        lambda: udfs.pa_split(currency[0], 0.2, 1500, 6000, None, currency[1]), repeat
    )
    assert same == rows
    show("one call, Currency cells (Decimal: per-cell path)", wall, cpu)
    work = [
        CostLine(billed=to_money(b), allowed=to_money(a), coinsurance=Decimal("0.2"))
        for a, b in zip(allowed, billed, strict=True)
    ]
    start = Accumulators(Decimal("1500.00"), Decimal("6000.00"))
    wall, cpu, _ = timed(lambda: core_split(work, start), repeat)
    show("  of it the Decimal core (split_lines, inputs ready)", wall, cpu)

    def singles(amounts: Sequence[object], charges: Sequence[object]) -> None:
        for a, b in zip(amounts, charges, strict=True):
            udfs.pa_split(a, 0.2, 1500, 6000, None, b)

    many_wall, many_cpu, _ = timed(lambda: singles(allowed, billed), min(repeat, 2))
    show(f"{count:,} single-line calls", many_wall, many_cpu)
    flat = [c[0] for c in currency[0]], [c[0] for c in currency[1]]
    wall, currency_cpu, _ = timed(lambda: singles(*flat), min(repeat, 2))
    show(f"{count:,} single-line calls, Currency cells", wall, currency_cpu)
    ratio = many_cpu / one_cpu
    print(
        f"  direct Python calls: one call {ratio:.1f}× faster than single calls; "
        f"{1000 * many_cpu / count:.3f} ms CPU per single call "
        f"({1000 * currency_cpu / count:.3f} ms by the per-cell path)"
    )
    print(
        f"  for information, called directly: one call {one_cpu:.3f} s "
        f"{verdict(one_cpu <= SPLIT_TARGET_SECONDS)}, {ratio:.1f}× "
        f"{verdict(ratio >= SPLIT_TARGET_RATIO)} (a direct call has no Excel/xlwings per-call "
        "cost, so these are not the targets' measure)"
    )
    return one_cpu, many_cpu / count, currency_cpu / count


# --- PA_BALANCE --------------------------------------------------------------------------------


def _excel_cell(value: object) -> object:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal | int):
        return float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def excel_table(records: Sequence[Mapping[str, object]], name: str) -> list[list[object]]:
    """``name[#All]`` as Excel passes it on Windows: header, then rows (dates as datetime)."""
    from addin.workbook.schema import table

    header = list(table(name).column_names)
    return [header] + [[_excel_cell(r.get(c)) for c in header] for r in records]


def practice(patients: int, seed: int) -> dict[str, list[dict[str, object]]]:
    """Records of a generated practice, or synthetic ones when the sample module is missing."""
    try:
        from addin.workbook.sample import generate_sample
    except ImportError:
        return synthetic_practice(patients, seed)
    return generate_sample(patients, seed).records


def synthetic_practice(patients: int, seed: int) -> dict[str, list[dict[str, object]]]:
    """About 3.5 charges, payments and adjustments per patient."""
    rng = random.Random(seed)
    start = dt.date(2026, 1, 1)
    ids = [f"P{n:06d}" for n in range(patients)]
    charges, payments, adjustments = [], [], []
    for n in range(int(patients * 3.5)):
        pid = rng.choice(ids)
        amount = Decimal(rng.randint(2_000, 90_000)) / 100
        day = start + dt.timedelta(days=rng.randint(0, 300))
        charge = f"C{n:07d}"
        charges.append(
            {
                "ChargeID": charge,
                "PatientID": pid,
                "ServiceDate": day,
                "Code": "99213",
                "Amount": amount,
                "Status": "Adjudicated",
            }
        )
        paid = (amount * Decimal("0.6")).quantize(Decimal("0.01"))
        payments.append(
            {
                "PaymentID": f"PAY{n:07d}",
                "Date": day,
                "PatientID": pid,
                "ChargeID": charge,
                "Payer": "PLAN",
                "Kind": "Payment",
                "Method": "EFT",
                "Amount": paid,
            }
        )
        adjustments.append(
            {
                "AdjustmentID": f"ADJ{n:07d}",
                "Date": day,
                "PatientID": pid,
                "ChargeID": charge,
                "Kind": "Contractual",
                "Group": "CO",
                "Amount": (amount - paid) / 2,
            }
        )
    patients_rows = [{"PatientID": pid, "AccountStatus": "Active"} for pid in ids]
    return {
        "Patients": patients_rows,
        "Charges": charges,
        "Payments": payments,
        "Adjustments": adjustments,
    }


def bench_balance(patients: int, seed: int, repeat: int) -> None:
    import udfs

    wall = time.perf_counter()
    records = practice(patients, seed)
    tables = [
        excel_table(records[n], n) for n in ("Charges", "Payments", "Adjustments", "Patients")
    ]
    ids = [[p["PatientID"]] for p in records["Patients"]]
    sizes = ", ".join(
        f"{len(t) - 1:,} {n}"
        for t, n in zip(tables, ("charges", "payments", "adjustments", "patients"), strict=True)
    )
    print(
        f"PA_BALANCE for {len(ids):,} patients ({sizes}; made in "
        f"{time.perf_counter() - wall:.1f} s)"
    )
    wall_s, cpu_s, result = timed(
        lambda: udfs.pa_balance(ids, *tables[:3], None, tables[3]), repeat
    )
    show("one call, every patient", wall_s, cpu_s)
    assert isinstance(result, list) and len(result) == len(ids)
    errors = sum(1 for row in result if isinstance(row[0], str))
    print(f"  balances: {len(result) - errors:,}, messages: {errors}")


# --- PA_CODE_CHECK -----------------------------------------------------------------------------


def bench_codes(count: int, seed: int) -> None:
    import udfs

    print(f"PA_CODE_CHECK over {count:,} diagnosis codes")
    wall, cpu, _ = timed(lambda: udfs.pa_code_check("E11.9", "diagnosis"))
    show("first call: loads the ICD-10-CM code set", wall, cpu)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm

    every = simple_icd_10_cm.get_all_codes(with_dots=True)
    rng = random.Random(seed)
    codes = [[rng.choice(every).replace(".", "").lower()] for _ in range(count)]
    for i in range(0, count, 50):  # some mistakes, as in real data
        codes[i] = [rng.choice(("E11.", "99213", "E11.9; I10", "Z99.999", "A00-B99"))]
    wall, cpu, rows = timed(lambda: udfs.pa_code_check(codes, "diagnosis"))
    show(f"{count:,} codes after the load", wall, cpu)
    assert isinstance(rows, list) and len(rows) == count
    print(f"  ≤ {CODES_TARGET_SECONDS} s after the load: {verdict(cpu <= CODES_TARGET_SECONDS)}")


# --- through xlwings' custom-function machinery -------------------------------------------------


#: what the child times, in order: (key, label)
XLWINGS_VARIANTS = (
    ("shipped", "paxl as shipped"),
    ("stock", "stock xlwings: import retries back"),
    ("no_checks", "no Pyodide checks at all"),
)


def xlwings_child(lines: int, singles: int, seed: int, repeat: int) -> None:
    """Runs in a fresh interpreter with XLWINGS_ON_SERVER=true; prints JSON timings."""
    import xlwings as xw
    import xlwings.utils
    from xlwings import server
    from xlwings.pro import udfs_officejs

    import udfs
    from udfs._host import PYODIDE_MODULES

    allowed, _ = split_lines(lines, seed)

    def data(first: list[list[float]]) -> dict[str, object]:
        args = [first, [[0.2]], [[1500.0]], [[6000.0]], None, None, None]
        return {
            "func_name": "pa_split",
            "args": args,
            "version": xw.__version__,
            "client": "Office.js",
            "runtime": "1.4",
        }

    async def one() -> None:
        await server.custom_functions_call(data([[a] for a in allowed]), udfs)

    async def many() -> None:
        for a in allowed[:singles]:
            await server.custom_functions_call(data([[a]]), udfs)

    shipped = {name: sys.modules.get(name, False) for name in PYODIDE_MODULES}
    checks = xlwings.utils.is_jsnull, udfs_officejs.js_to_none

    def use(variant: str) -> None:
        """Put the process in a variant's state: udfs' marks in or out, the checks or no-ops."""
        for name, value in shipped.items():
            if value is not None:
                continue  # not marked by udfs: nothing to take out
            if variant == "stock":
                sys.modules.pop(name, None)  # every check searches sys.path again
            else:
                sys.modules[name] = None
        if variant == "no_checks":  # as if neither check existed
            xlwings.utils.is_jsnull = lambda value: False
            udfs_officejs.js_to_none = lambda arg: arg
        else:
            xlwings.utils.is_jsnull, udfs_officejs.js_to_none = checks

    timing: dict[str, object] = {
        "singles": singles,
        "marked": all(value is None for value in shipped.values()),
    }
    runs: dict[str, dict[str, list[tuple[float, float]]]] = {
        key: {"one": [], "many": []} for key, _ in XLWINGS_VARIANTS
    }
    # the variants take turns, so a change in the machine's load touches them alike
    for turn in range(repeat):
        for key, _ in XLWINGS_VARIANTS:
            use(key)
            runs[key]["one"].append(timed(lambda: asyncio.run(one()))[:2])
            if turn < 2:
                runs[key]["many"].append(timed(lambda: asyncio.run(many()))[:2])
    use("shipped")
    for key, measured in runs.items():
        timing[key] = {what: min(times, key=lambda t: t[1]) for what, times in measured.items()}
    json.dump(timing, sys.stdout)


def bench_through_xlwings(
    lines: int, singles: int, seed: int, repeat: int, direct: tuple[float, float, float]
) -> bool:
    """Time PA_SPLIT through xlwings' call path and print the verdicts; ``False`` if it could
    not run (no licence key)."""
    print(
        f"PA_SPLIT through xlwings' custom_functions_call (as Lite/Server call it), {lines:,} lines"
    )
    env = {**os.environ, "XLWINGS_ON_SERVER": "true"}
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--xlwings-child",
            "--lines",
            str(lines),
            "--singles",
            str(singles),
            "--seed",
            str(seed),
            "--repeat",
            str(repeat),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        print("  could not run (is XLWINGS_LICENSE_KEY set?):", done.stderr.strip()[-400:])
        return False
    timing = json.loads(done.stdout)
    if not timing["marked"]:
        print("  note: udfs did not mark pyodide absent here, so 'as shipped' = stock xlwings")
    scale = lines / timing["singles"]
    one: dict[str, float] = {}
    single: dict[str, float] = {}
    ratio: dict[str, float] = {}
    for key, note in XLWINGS_VARIANTS:
        one_wall, one[key] = timing[key]["one"]
        many_wall, many_cpu = (t * scale for t in timing[key]["many"])
        show(f"one call over the column, {note}", one_wall, one[key])
        show(f"{lines:,} single calls, scaled from {timing['singles']:,}", many_wall, many_cpu)
        single[key] = many_cpu / lines
        ratio[key] = many_cpu / one[key]
        print(f"  one call {ratio[key]:.1f}× faster than single calls ({note})")
    direct_one, direct_single, _ = direct
    print(
        f"  xlwings' own cost as shipped: per single call "
        f"{1000 * (single['shipped'] - direct_single):.3f} ms CPU above a direct call "
        f"(stock: {1000 * (single['stock'] - direct_single):.3f} ms); on the one call over "
        f"{lines:,} lines {one['shipped'] - direct_one:.3f} s (stock: "
        f"{one['stock'] - direct_one:.3f} s)"
    )
    print(
        f"  target one call ≤ {SPLIT_TARGET_SECONDS} s, through xlwings as shipped: "
        f"{one['shipped']:.3f} s {verdict(one['shipped'] <= SPLIT_TARGET_SECONDS)} "
        f"(stock xlwings {one['stock']:.3f} s, no checks {one['no_checks']:.3f} s; "
        f"{direct_one:.3f} s called directly)"
    )
    print(
        f"  target ≥ {SPLIT_TARGET_RATIO:.0f}× faster than single calls, through xlwings as "
        f"shipped: {ratio['shipped']:.1f}× {verdict(ratio['shipped'] >= SPLIT_TARGET_RATIO)} "
        f"(stock xlwings {ratio['stock']:.1f}×, no checks {ratio['no_checks']:.1f}×); Excel's "
        "own per-call cost (COM, the Office.js bridge, Server's HTTP round trip) comes on top "
        "of what is measured here"
    )
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="best of this many runs (runs of single calls: at most 2)",
    )
    parser.add_argument(
        "--through-xlwings",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="time PA_SPLIT through xlwings' call path (default: when XLWINGS_LICENSE_KEY is set)",
    )
    parser.add_argument("--singles", type=int, default=1_000, help=argparse.SUPPRESS)
    parser.add_argument("--xlwings-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.xlwings_child:
        xlwings_child(args.lines, args.singles, args.seed, args.repeat)
        return 0
    print(
        f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    direct = bench_split(args.lines, args.seed, args.repeat)
    through = args.through_xlwings
    if through is None:
        through = bool(os.environ.get("XLWINGS_LICENSE_KEY"))
    judged = through and bench_through_xlwings(
        args.lines, args.singles, args.seed, args.repeat, direct
    )
    if not judged:
        print(
            "  targets: not judged (run with XLWINGS_LICENSE_KEY=noncommercial to time the calls "
            "through xlwings, where the per-call cost is); the direct figures above are for "
            "information"
        )
    bench_balance(args.patients, args.seed, args.repeat)
    bench_codes(args.codes, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
