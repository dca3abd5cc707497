"""Time the ledger and aging on a synthetic book of the sample's size (a timing script, not a test).

Run: ``.venv/bin/python benchmarks/ledger.py [--patients 10000] [--charges 250000] ...``

Frames are generated directly with numpy in the typed-frame layout (money as Int64 cents, dates
as datetime64, ``_sheet``/``_row``), so only the ledger and aging are timed.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from addin.core.aging import age_lines, aging_by
from addin.core.ledger import compute_ledger
from addin.core.money import from_cents


def _ids(prefix: str, numbers: np.ndarray) -> np.ndarray:
    return np.array([f"{prefix}{n:07d}" for n in numbers], dtype=object)


def _days(rng: np.random.Generator, size: int, start: str, span: int) -> pd.Series:
    base = np.datetime64(start, "D")
    return pd.Series((base + rng.integers(0, span, size)).astype("datetime64[ns]"))


def _frame(columns: dict[str, object], sheet: str) -> pd.DataFrame:
    # text columns stay object dtype, as the loader's typed frames have them
    frame = pd.DataFrame(
        {
            name: pd.Series(values, dtype=object)
            if isinstance(values, np.ndarray) and values.dtype == object
            else values
            for name, values in columns.items()
        }
    )
    frame["_sheet"] = sheet
    frame["_row"] = np.arange(2, len(frame) + 2, dtype=np.int64)
    return frame


def synthetic(
    patients: int, charges: int, payments: int, adjustments: int, seed: int = 7
) -> dict[str, pd.DataFrame]:
    """Typed frames of the given sizes with realistic shapes (insured, partly paid, refunds)."""
    rng = np.random.default_rng(seed)
    pids = _ids("P", np.arange(patients))
    charge_patient = rng.integers(0, patients, charges)
    charge_ids = _ids("C", np.arange(charges))
    statuses = np.array(["Submitted", "Adjudicated", "Patient due", "Denied", "Void"], dtype=object)
    charge_frame = _frame(
        {
            "ChargeID": charge_ids,
            "PatientID": pids[charge_patient],
            "ServiceDate": _days(rng, charges, "2024-01-01", 800),
            "Amount": pd.array(rng.integers(1_000, 200_000, charges), dtype="Int64"),
            "Status": statuses[rng.choice(5, charges, p=[0.2, 0.5, 0.2, 0.08, 0.02])],
        },
        "Charges",
    )
    line = rng.integers(0, charges, payments)
    unapplied = rng.random(payments) < 0.15
    payer = np.where(rng.random(payments) < 0.5, "Patient", "PLAN1").astype(object)
    payment_frame = _frame(
        {
            "PaymentID": _ids("Y", np.arange(payments)),
            "Date": _days(rng, payments, "2024-02-01", 800),
            "PatientID": pids[charge_patient[line]],
            "ChargeID": np.where(unapplied, None, charge_ids[line]),
            "Payer": payer,
            "Kind": np.where(rng.random(payments) < 0.02, "Refund", "Payment").astype(object),
            "Amount": pd.array(rng.integers(100, 80_000, payments), dtype="Int64"),
        },
        "Payments",
    )
    line = rng.integers(0, charges, adjustments)
    kinds = np.array(["Contractual", "Write-off", "Assistance", "Correction"], dtype=object)
    kind = kinds[rng.choice(4, adjustments, p=[0.7, 0.15, 0.1, 0.05])]
    adjustment_frame = _frame(
        {
            "AdjustmentID": _ids("A", np.arange(adjustments)),
            "Date": _days(rng, adjustments, "2024-02-01", 800),
            "PatientID": pids[charge_patient[line]],
            "ChargeID": charge_ids[line],
            "Kind": kind,
            "Group": np.where(kind == "Contractual", "CO", None).astype(object),
            "Amount": pd.array(rng.integers(100, 50_000, adjustments), dtype="Int64"),
        },
        "Adjustments",
    )
    covered = rng.random(patients) < 0.85
    coverage_frame = _frame(
        {
            "PatientID": pids[covered],
            "PlanID": "PLAN1",
            "EffectiveFrom": pd.Series(
                np.datetime64("2023-01-01", "ns"), index=range(covered.sum())
            ),
            "EffectiveTo": pd.Series(pd.NaT, index=range(covered.sum()), dtype="datetime64[ns]"),
        },
        "Coverage",
    )
    statement_patient = rng.integers(0, patients, patients * 6)
    statement_frame = _frame(
        {
            "StatementID": _ids("S", np.arange(len(statement_patient))),
            "PatientID": pids[statement_patient],
            "StatementDate": _days(rng, len(statement_patient), "2024-02-01", 800),
        },
        "Statements",
    )
    return {
        "Charges": charge_frame,
        "Payments": payment_frame,
        "Adjustments": adjustment_frame,
        "Coverage": coverage_frame,
        "Statements": statement_frame,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--charges", type=int, default=250_000)
    parser.add_argument("--payments", type=int, default=400_000)
    parser.add_argument("--adjustments", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frames = synthetic(args.patients, args.charges, args.payments, args.adjustments)
    rows = args.charges + args.payments + args.adjustments
    print(
        f"{rows:,} rows ({args.charges:,} charges, {args.payments:,} payments, "
        f"{args.adjustments:,} adjustments), {args.patients:,} patients"
    )
    for attempt in range(1, args.repeat + 1):
        start, cpu = time.perf_counter(), time.process_time()
        ledger = compute_ledger(
            frames["Charges"],
            frames["Payments"],
            frames["Adjustments"],
            as_of="2026-03-31",
            coverage=frames["Coverage"],
        )
        middle = time.perf_counter()
        aged = age_lines(ledger, frames["Statements"])
        aging_by(aged)
        end, cpu = time.perf_counter(), time.process_time() - cpu
        print(
            f"run {attempt}: ledger {middle - start:.2f} s, aging {end - middle:.2f} s "
            f"(wall clock; {cpu:.2f} s CPU for both)"
        )
    balance = int(ledger.accounts["balance"].sum())
    print(f"total balance {from_cents(balance):,} over {len(ledger.accounts):,} accounts")


if __name__ == "__main__":
    main()
