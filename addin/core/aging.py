"""Aging and dunning of what patients owe: days since the bill, buckets, dunning levels 1–5.

* **Age** of an item = days from its *bill date* to the as-of date (whole days, as-of minus
  bill date; a bill dated after the as-of date has a negative age and counts as current).
* **Bill date** of a line = the date of the first statement (Statements.StatementDate) sent to the
  line's patient or guarantor on or after the day the line became patient due
  (``Ledger.lines.due_since``) and not after the as-of date; a line never billed falls back to
  its ServiceDate. Simple by design: a line first billed late keeps the age of that statement.
* **Buckets** with thresholds ``(t1, t2, t3, t4)`` (default ``(30, 60, 90, 120)``, Policy
  ``aging_1..aging_4``): ``age <= t1`` → ``"0-30"``, ``t1 < age <= t2`` → ``"31-60"``, …,
  ``age > t4`` → ``"121+"``. **Dunning level** = bucket number, 1–5, with no gap (≤30 → 1,
  31–60 → 2, 61–90 → 3, 91–120 → 4, >120 → 5 with the defaults).
* Only the open **patient-due** amount of each line is aged (``Ledger.lines.patient_due``, int64
  cents); amounts are never rounded and the buckets sum exactly to the total. An account-level
  ``debit`` (refunds larger than the money they return) has no line and is not aged.

Scalar helpers (:func:`age_bucket`, :func:`dunning_level`) serve the Excel functions; the
vectorised ones (:func:`bucket_indexes`, :func:`dunning_levels`, :func:`age_lines`,
:func:`aging_by`, :func:`aging_totals`) serve bills and reports.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.core.ledger import Ledger
from addin.errors import PaxlError

__all__ = [
    "DEFAULT_THRESHOLDS",
    "AgingTotals",
    "age_bucket",
    "age_lines",
    "aging_by",
    "aging_totals",
    "bill_dates",
    "bucket_index",
    "bucket_indexes",
    "bucket_labels",
    "check_thresholds",
    "dunning_level",
    "dunning_levels",
    "thresholds_from_policy",
]

DEFAULT_THRESHOLDS: tuple[int, ...] = (30, 60, 90, 120)
POLICY_NAMES = ("aging_1", "aging_2", "aging_3", "aging_4")

#: Columns of :func:`age_lines` (``amount`` in int64 cents).
AGED_COLUMNS = (
    "ChargeID",
    "PatientID",
    "Guarantor",
    "ServiceDate",
    "due_since",
    "bill_date",
    "billed",
    "age_days",
    "bucket",
    "dunning_level",
    "amount",
    "_sheet",
    "_row",
)


@dataclass(frozen=True)
class AgingTotals:
    """Aging over all accounts: cents per bucket (in bucket order) and their exact total."""

    labels: tuple[str, ...]
    amounts: tuple[int, ...]
    total: int

    def as_dict(self) -> dict[str, int]:
        """Bucket label → cents."""
        return dict(zip(self.labels, self.amounts, strict=True))


# --- thresholds and scalar helpers -------------------------------------------------------------


def check_thresholds(thresholds: Sequence[int]) -> tuple[int, ...]:
    """The thresholds as a tuple of whole days, each larger than the one before.

    Raises:
        PaxlError: empty, not whole days, below 1 or not increasing.
    """
    values = tuple(thresholds)
    ok = bool(values) and all(isinstance(t, int | np.integer) and t >= 1 for t in values)
    ok = ok and all(a < b for a, b in itertools.pairwise(values))
    if not ok:
        raise PaxlError(
            f"Aging thresholds {list(values)} must be whole days, 1 or more, each larger than "
            "the one before (e.g. 30, 60, 90, 120); fix aging_1..aging_4 on the Policy sheet."
        )
    return tuple(int(t) for t in values)


def thresholds_from_policy(policy: Mapping[str, object]) -> tuple[int, ...]:
    """Thresholds from the Policy settings ``aging_1..aging_4`` (defaults 30, 60, 90, 120)."""
    values = [
        policy.get(name, default)
        for name, default in zip(POLICY_NAMES, DEFAULT_THRESHOLDS, strict=True)
    ]
    return check_thresholds([v for v in values if v is not None])


def bucket_labels(thresholds: Sequence[int] = DEFAULT_THRESHOLDS) -> tuple[str, ...]:
    """Bucket names: ``("0-30", "31-60", "61-90", "91-120", "121+")`` for the defaults."""
    limits = check_thresholds(thresholds)
    labels = [f"0-{limits[0]}"]
    labels += [f"{lo + 1}-{hi}" for lo, hi in itertools.pairwise(limits)]
    labels.append(f"{limits[-1] + 1}+")
    return tuple(labels)


def bucket_index(days: int, thresholds: Sequence[int] = DEFAULT_THRESHOLDS) -> int:
    """Bucket number from 0 for an age in days (30 → 0, 31 → 1, 121 → 4 with the defaults)."""
    return int(bucket_indexes(np.asarray([int(days)]), thresholds)[0])


def age_bucket(days: int, thresholds: Sequence[int] = DEFAULT_THRESHOLDS) -> str:
    """Bucket name for an age in days (45 → ``"31-60"``); negative ages are current."""
    return bucket_labels(thresholds)[bucket_index(days, thresholds)]


def dunning_level(days: int, thresholds: Sequence[int] = DEFAULT_THRESHOLDS) -> int:
    """Dunning level 1–5 for an age in days: ≤30 → 1, 31–60 → 2, … >120 → 5 (defaults)."""
    return bucket_index(days, thresholds) + 1


# --- vectorised --------------------------------------------------------------------------------


def bucket_indexes(days: object, thresholds: Sequence[int] = DEFAULT_THRESHOLDS) -> np.ndarray:
    """Bucket numbers (0-based, int64) for an array of ages in days."""
    limits = np.asarray(check_thresholds(thresholds), dtype=np.int64)
    return np.searchsorted(limits, np.asarray(days, dtype=np.int64), side="left").astype(np.int64)


def dunning_levels(days: object, thresholds: Sequence[int] = DEFAULT_THRESHOLDS) -> np.ndarray:
    """Dunning levels (1-based, int64) for an array of ages in days."""
    return bucket_indexes(days, thresholds) + 1


def bill_dates(
    lines: pd.DataFrame, statements: pd.DataFrame | None, *, as_of: dt.date
) -> tuple[np.ndarray, np.ndarray]:
    """Bill date of each ledger line (rule in the module doc) and whether a statement billed it.

    Args:
        lines: ``Ledger.lines`` (or a subset): uses PatientID, Guarantor, ServiceDate, due_since.
        statements: the Statements table (PatientID, StatementDate); ``None`` = never billed.
        as_of: statements dated after it are ignored.

    Returns:
        ``(dates, billed)``: ``datetime64[D]`` bill dates and a boolean array.
    """
    service = _days(lines["ServiceDate"])
    if statements is None or not len(statements) or not len(lines):
        return service.astype("datetime64[D]"), np.zeros(len(lines), dtype=bool)
    cutoff = _day_number(as_of)
    sent = statements.dropna(subset=["PatientID", "StatementDate"])
    sent = sent[_days(sent["StatementDate"]) <= cutoff]
    owners = [_text(lines["PatientID"]), _text(lines["Guarantor"]), _text(sent["PatientID"])]
    codes, _ = pd.factorize(np.concatenate(owners))
    patient_code, guarantor_code, sent_code = np.split(codes, np.cumsum([len(lines)] * 2))
    sent_day = _days(sent["StatementDate"])
    due = _days(lines["due_since"])
    low = min(int(due.min()), int(sent_day.min()) if len(sent_day) else 0)
    span = max(int(due.max()), int(sent_day.max()) if len(sent_day) else 0) - low + 1
    sent_key = np.sort(sent_code.astype(np.int64) * span + (sent_day - low))
    first = np.full(len(lines), np.iinfo(np.int64).max)
    for owner in (patient_code, guarantor_code):
        key = owner.astype(np.int64) * span + (due - low)
        pos = np.searchsorted(sent_key, key, side="left")
        found = pos < len(sent_key)
        hit_key = sent_key[np.minimum(pos, len(sent_key) - 1)] if len(sent_key) else key
        found &= (hit_key // span) == owner
        first = np.where(found, np.minimum(first, hit_key % span + low), first)
    billed = first < np.iinfo(np.int64).max
    return np.where(billed, first, service).astype("datetime64[D]"), billed


def age_lines(
    ledger: Ledger,
    statements: pd.DataFrame | None = None,
    *,
    as_of: dt.date | None = None,
    thresholds: Sequence[int] = DEFAULT_THRESHOLDS,
) -> pd.DataFrame:
    """Each line with a patient-due amount, with its bill date, age, bucket and dunning level.

    ``as_of`` defaults to the ledger's. Columns :data:`AGED_COLUMNS`; ``amount`` is the line's
    patient-due open amount in int64 cents; ``billed`` says whether a statement billed it.

    Raises:
        PaxlError: neither the ledger nor the call gives an as-of date, or bad thresholds.
    """
    when = as_of if as_of is not None else ledger.as_of
    if when is None:
        raise PaxlError("Aging needs an as-of date; give one (e.g. today's date).")
    labels = np.asarray(bucket_labels(thresholds), dtype=object)
    due = ledger.lines[ledger.lines["patient_due"] > 0]
    dates, billed = bill_dates(due, statements, as_of=when)
    age = _day_number(when) - dates.astype(np.int64)
    index = bucket_indexes(age, thresholds)
    aged = pd.DataFrame(
        {
            "ChargeID": due["ChargeID"].to_numpy(dtype=object),
            "PatientID": due["PatientID"].to_numpy(dtype=object),
            "Guarantor": due["Guarantor"].to_numpy(dtype=object),
            "ServiceDate": due["ServiceDate"].to_numpy(),
            "due_since": due["due_since"].to_numpy(),
            "bill_date": dates.astype("datetime64[ns]"),
            "billed": billed,
            "age_days": age.astype(np.int64),
            "bucket": labels[index],
            "dunning_level": index + 1,
            "amount": due["patient_due"].to_numpy(dtype=np.int64),
            "_sheet": due["_sheet"].to_numpy(dtype=object),
            "_row": due["_row"].to_numpy(dtype=np.int64),
        }
    )
    return aged[list(AGED_COLUMNS)]


def aging_by(
    aged: pd.DataFrame, *, by: str = "PatientID", thresholds: Sequence[int] = DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """Aging per patient (``by="PatientID"``) or per guarantor (``by="Guarantor"``).

    Returns a frame indexed by ``by`` (accounts with something patient-due only) with one int64
    cents column per bucket label, ``total`` (their exact sum), ``oldest_days`` and
    ``dunning_level`` (the level of the oldest item).
    """
    labels = bucket_labels(thresholds)
    codes, keys = pd.factorize(aged[by].to_numpy(dtype=object), sort=True)
    index = bucket_indexes(aged["age_days"].to_numpy(), thresholds)
    amounts = np.zeros((len(keys), len(labels)), dtype=np.int64)
    np.add.at(amounts, (codes, index), aged["amount"].to_numpy(dtype=np.int64))
    oldest = np.full(len(keys), np.iinfo(np.int64).min)
    np.maximum.at(oldest, codes, aged["age_days"].to_numpy(dtype=np.int64))
    frame = pd.DataFrame(amounts, columns=list(labels), index=pd.Index(keys, name=by, dtype=object))
    frame["total"] = amounts.sum(axis=1)
    frame["oldest_days"] = oldest
    frame["dunning_level"] = dunning_levels(oldest, thresholds)
    return frame


def aging_totals(aged: pd.DataFrame, thresholds: Sequence[int] = DEFAULT_THRESHOLDS) -> AgingTotals:
    """Aging over every account: cents per bucket and the total."""
    labels = bucket_labels(thresholds)
    index = bucket_indexes(aged["age_days"].to_numpy(), thresholds)
    amounts = np.zeros(len(labels), dtype=np.int64)
    np.add.at(amounts, index, aged["amount"].to_numpy(dtype=np.int64))
    return AgingTotals(labels, tuple(int(a) for a in amounts), int(amounts.sum()))


def _text(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype=object, na_value=None)


def _days(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def _day_number(value: object) -> int:
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))  # type: ignore[arg-type]
