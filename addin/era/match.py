"""Matching an 835's claims and service lines to the workbook's charges and plans — never guessing.

What the workbook knows, indexed once (:class:`BookIndex`), and the three questions posting asks:

* **which charges** belong to a claim: the ``Charges`` rows whose ClaimID is the claim's CLP01
  (:meth:`BookIndex.claim_charges`); all of one patient, none void;
* **which charge** a service line pays (:func:`match_services`): the charge whose ChargeID is the
  line's control number (REF*6R, which we sent), or else the one charge of the claim with the
  line's procedure code (or the code as submitted, SVC06) and service date — narrowed by
  modifiers when several have both. No charge, or more than one, is a :class:`NoMatch`;
* **which plan** paid (:func:`plan_for`): of the patient's coverage in force on the service date,
  the plan whose ``Plans.PayerID`` is the 835's payer ID (TRN03, the payer's "1" + tax ID; a
  PayerID equal to TRN03, or to TRN03 without its leading ``1``, matches), preferring the rank the
  claim status names (1 primary, 2 secondary); when no plan has that PayerID, the primary plan in
  force (a warning says so).

A question without exactly one answer raises :class:`NoMatch` with a sentence naming IDs only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from addin.core.ledger import REVERSAL_KIND
from addin.era.model import Claim, ServiceLine
from addin.workbook.book import Book

__all__ = [
    "PREFERRED_RANK",
    "BookCharge",
    "BookIndex",
    "NoMatch",
    "PlanChoice",
    "match_services",
    "plan_for",
    "same_payer",
]

#: CLP02 → the coverage rank that status says paid (1 primary, 2 secondary, 3 tertiary).
PREFERRED_RANK: dict[str, int] = {"1": 1, "19": 1, "2": 2, "20": 2, "3": 3, "21": 3}
PATIENT_PAYER = "Patient"
SELF_PAY = "Self-pay"
VOID = "Void"
_MODIFIER_SPLIT = re.compile(r"[\s,;:]+")


class NoMatch(Exception):
    """A claim or line the workbook cannot be matched to without guessing; ``reason`` says why
    in one sentence (IDs only)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BookCharge:
    """One ``Charges`` row as matching needs it (``amount`` in integer cents)."""

    charge_id: str
    claim_id: str | None
    patient_id: str
    service_date: date
    code: str
    modifiers: frozenset[str]
    amount: int
    status: str | None
    row: int | None = None


@dataclass(frozen=True)
class _Cover:
    plan_id: str
    rank: int
    start: date
    end: date | None

    def in_force(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class PlanChoice:
    """The plan a line is posted to; ``fallback`` when no plan had the 835's payer ID."""

    plan_id: str
    fallback: bool = False


def same_payer(plan_payer_id: str | None, era_payer_id: str) -> bool:
    """True when a plan's PayerID names the 835's payer ID (TRN03): equal, or TRN03 is
    ``"1"`` + the PayerID (a tax ID entered without the 835's leading 1). Blanks never match."""
    if not plan_payer_id or not era_payer_id:
        return False
    mine, theirs = plan_payer_id.strip().upper(), era_payer_id.strip().upper()
    return mine == theirs or (theirs.startswith("1") and theirs[1:] == mine)


class BookIndex:
    """The workbook's charges, coverage, plans and earlier insurer postings, indexed for posting.

    Only charges of the claims named in ``claim_ids`` (when given) are indexed, so a large book
    costs one filter per table. Money is integer cents.
    """

    def __init__(self, book: Book, claim_ids: Iterable[str] | None = None) -> None:
        charges = book.tables["Charges"]
        wanted = None if claim_ids is None else set(claim_ids)
        all_ids = charges["ChargeID"]
        self._claim_of: dict[str, str | None] = dict(
            zip(all_ids.tolist(), charges["ClaimID"].tolist(), strict=True)
        )
        if wanted is not None:
            charges = charges[charges["ClaimID"].isin(wanted)]
        self._by_claim: dict[str, list[BookCharge]] = {}
        for charge in _charges(charges):
            if charge.claim_id is not None:
                self._by_claim.setdefault(charge.claim_id, []).append(charge)
        self._coverage = _coverage(book.tables["Coverage"])
        plans = book.tables["Plans"]
        self.payer_ids: dict[str, str | None] = dict(
            zip(plans["PlanID"].tolist(), plans["PayerID"].tolist(), strict=True)
        )
        self.plan_types: dict[str, str | None] = dict(
            zip(plans["PlanID"].tolist(), plans["PlanType"].tolist(), strict=True)
        )
        payments = book.tables["Payments"]
        adjustments = book.tables["Adjustments"]
        self.payment_ids = frozenset(payments["PaymentID"].dropna().tolist())
        self.adjustment_ids = frozenset(adjustments["AdjustmentID"].dropna().tolist())
        insurer = payments[payments["Payer"].notna() & (payments["Payer"] != PATIENT_PAYER)]
        self.insurer_references: dict[str, int | None] = {}
        for ref, row in zip(insurer["Reference"].tolist(), _rows(insurer), strict=True):
            if ref is not None:
                self.insurer_references.setdefault(str(ref).strip(), row)
        indexed = set(self._claim_of) if wanted is None else _ids(self._by_claim.values())
        self.insurer_paid = _insurer_paid(insurer, indexed)
        self.adjusted = _adjusted(adjustments, indexed)

    def claim_of(self, charge_id: str) -> str | None:
        """The ClaimID of any charge in the book; ``None`` when unknown or blank."""
        return self._claim_of.get(charge_id)

    def is_charge(self, charge_id: str) -> bool:
        return charge_id in self._claim_of

    def claim_charges(self, claim_id: str) -> list[BookCharge]:
        """The charges billed on a claim, all of one patient and none void.

        Raises:
            NoMatch: no charge has that ClaimID, they belong to several patients, or one is void.
        """
        charges = self._by_claim.get(claim_id, [])
        if not charges:
            raise NoMatch(f"No charge in the workbook has ClaimID {claim_id}.")
        patients = sorted({c.patient_id for c in charges})
        if len(patients) > 1:
            raise NoMatch(
                f"The charges of claim {claim_id} belong to {len(patients)} patients "
                f"({', '.join(patients)}); correct the ClaimIDs on the Charges sheet."
            )
        return charges

    def coverage(self, patient_id: str, day: date) -> list[_Cover]:
        """The patient's coverage rows in force on ``day``."""
        return [c for c in self._coverage.get(patient_id, ()) if c.in_force(day)]


def match_services(
    claim: Claim, charges: Sequence[BookCharge], index: BookIndex
) -> list[BookCharge]:
    """The charge each service line of ``claim`` pays, in line order.

    Lines naming a ChargeID of the claim (REF*6R) are matched first; the others by procedure
    code and service date among the claim's charges not yet matched, narrowed by modifiers.

    Raises:
        NoMatch: a line names another claim's charge, two lines name one charge, or a line has
            no charge or several candidates by code and date.
    """
    claim_id = claim.patient_control_number
    by_id = {c.charge_id: c for c in charges}
    matched: list[BookCharge | None] = [None] * len(claim.services)
    taken: set[str] = set()
    for i, line in enumerate(claim.services):
        number = (line.control_number or "").strip()
        if number in by_id:
            if number in taken:
                raise NoMatch(f"Two service lines of claim {claim_id} name charge {number}.")
            matched[i] = by_id[number]
            taken.add(number)
        elif number and index.is_charge(number):
            raise NoMatch(
                f"A service line of claim {claim_id} names charge {number}, which is billed on "
                f"claim {index.claim_of(number) or '(no ClaimID)'}."
            )
    for i, line in enumerate(claim.services):
        if matched[i] is None:
            found = _by_code_and_date(line, [c for c in charges if c.charge_id not in taken])
            if isinstance(found, str):
                raise NoMatch(f"Service line {_describe(line)} of claim {claim_id}: {found}")
            matched[i] = found
            taken.add(found.charge_id)
    return [m for m in matched if m is not None]


def plan_for(
    index: BookIndex, patient_id: str, day: date, payer_id: str, status: str
) -> PlanChoice:
    """The PlanID an insurer posting for ``patient_id``'s service on ``day`` is made under.

    Raises:
        NoMatch: no coverage in force that day, several plans equally fit, or (with no plan of
            the payer) no single non-self-pay primary plan to fall back on.
    """
    active = index.coverage(patient_id, day)
    if not active:
        raise NoMatch(
            f"Patient {patient_id} has no coverage in force on {day.isoformat()}; add the "
            "Coverage row, then post the claim."
        )
    mine = [c for c in active if same_payer(index.payer_ids.get(c.plan_id), payer_id)]
    if mine:
        preferred = PREFERRED_RANK.get(status)
        ranked = [c for c in mine if c.rank == preferred] or mine
        best = min(c.rank for c in ranked)
        plans = sorted({c.plan_id for c in ranked if c.rank == best})
        if len(plans) > 1:
            raise NoMatch(
                f"Patient {patient_id} has several plans of payer {payer_id} in force on "
                f"{day.isoformat()} ({', '.join(plans)}); keep one Coverage row per plan."
            )
        return PlanChoice(plans[0])
    primary = sorted(
        {c.plan_id for c in active if c.rank == 1 and index.plan_types.get(c.plan_id) != SELF_PAY}
    )
    if len(primary) != 1:
        raise NoMatch(
            f"No plan of patient {patient_id} has PayerID {payer_id or '(blank)'} and there is "
            f"no single primary plan in force on {day.isoformat()}; set Plans.PayerID."
        )
    return PlanChoice(primary[0], fallback=True)


# --- internals ----------------------------------------------------------------------------------


def _by_code_and_date(line: ServiceLine, charges: Sequence[BookCharge]) -> BookCharge | str:
    """The one charge with the line's code and date, or a reason why there is none."""
    if line.service_date is None:
        return "it has no line control number and no service date; post it by hand."
    codes = {_code(line.procedure_code)} | {_code(line.original_procedure_code)}
    codes.discard("")
    found = [c for c in charges if c.code in codes and c.service_date == line.service_date]
    if len(found) > 1 and line.modifiers:
        wanted = frozenset(m.strip().upper() for m in line.modifiers)
        found = [c for c in found if c.modifiers == wanted]
    if len(found) == 1:
        return found[0]
    when = line.service_date.isoformat()
    if not found:
        return f"no charge of the claim has that code on {when}; check its ChargeID and Code."
    ids = ", ".join(c.charge_id for c in found)
    return f"{len(found)} charges ({ids}) have that code on {when}; paxl will not guess."


def _describe(line: ServiceLine) -> str:
    code = line.procedure_code or "(no code)"
    return f"{code} at segment {line.position}" if line.position else code


def _code(value: str | None) -> str:
    return (value or "").strip().upper()


def _modifiers(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    return frozenset(m.upper() for m in _MODIFIER_SPLIT.split(str(value)) if m)


def _dates(series: pd.Series) -> list[date | None]:
    return [None if pd.isna(v) else v.date() for v in series.tolist()]


def _rows(frame: pd.DataFrame) -> list[int | None]:
    return frame["_row"].tolist() if "_row" in frame else [None] * len(frame)


def _charges(frame: pd.DataFrame) -> Iterable[BookCharge]:
    amounts = frame["Amount"].to_numpy(dtype="int64", na_value=0).tolist()
    columns = zip(
        frame["ChargeID"].tolist(),
        frame["ClaimID"].tolist(),
        frame["PatientID"].tolist(),
        _dates(frame["ServiceDate"]),
        frame["Code"].tolist(),
        frame["Modifier"].tolist(),
        amounts,
        frame["Status"].tolist(),
        _rows(frame),
        strict=True,
    )
    for charge_id, claim_id, patient_id, day, code, modifier, amount, status, row in columns:
        if charge_id is None or patient_id is None or day is None:
            continue  # the validator reports blank required cells; nothing to match them with
        yield BookCharge(
            charge_id=charge_id,
            claim_id=claim_id,
            patient_id=patient_id,
            service_date=day,
            code=_code(code),
            modifiers=_modifiers(modifier),
            amount=int(amount),
            status=status,
            row=row,
        )


def _coverage(frame: pd.DataFrame) -> dict[str, list[_Cover]]:
    out: dict[str, list[_Cover]] = {}
    ranks = frame["Rank"].to_numpy(dtype="int64", na_value=0).tolist()
    columns = zip(
        frame["PatientID"].tolist(),
        frame["PlanID"].tolist(),
        ranks,
        _dates(frame["EffectiveFrom"]),
        _dates(frame["EffectiveTo"]),
        strict=True,
    )
    for patient_id, plan_id, rank, start, end in columns:
        if patient_id is None or plan_id is None or start is None:
            continue
        out.setdefault(patient_id, []).append(_Cover(plan_id, int(rank), start, end))
    return out


def _ids(groups: Iterable[list[BookCharge]]) -> set[str]:
    return {c.charge_id for group in groups for c in group}


def _insurer_paid(insurer: pd.DataFrame, charge_ids: set[str]) -> Mapping[tuple[str, str], int]:
    """Net insurer money per (ChargeID, PlanID): payments − refunds, cents."""
    rows = insurer[insurer["ChargeID"].isin(charge_ids)]
    refund = (rows["Kind"] == "Refund").to_numpy(dtype=bool)
    cents = np.where(refund, -1, 1) * rows["Amount"].to_numpy(dtype="int64", na_value=0)
    out: dict[tuple[str, str], int] = {}
    for key, amount in zip(
        zip(rows["ChargeID"].tolist(), rows["Payer"].tolist(), strict=True),
        cents.tolist(),
        strict=True,
    ):
        out[key] = out.get(key, 0) + amount
    return out


def _adjusted(frame: pd.DataFrame, charge_ids: set[str]) -> Mapping[tuple[str, str, str], int]:
    """Adjustment cents per (ChargeID, Group, Reason) (blank group or reason = ``""``), net of
    the Kind ``Reversal`` rows that took some of it back."""
    rows = frame[frame["ChargeID"].isin(charge_ids)]
    out: dict[tuple[str, str, str], int] = {}
    keys = zip(
        rows["ChargeID"].tolist(),
        rows["Group"].fillna("").tolist(),
        rows["Reason"].fillna("").tolist(),
        strict=True,
    )
    amounts = rows["Amount"].to_numpy(dtype="int64", na_value=0)
    sign = np.where(rows["Kind"].to_numpy(dtype=object) == REVERSAL_KIND, -1, 1)
    for key, amount in zip(keys, (amounts * sign).tolist(), strict=True):
        out[key] = out.get(key, 0) + amount
    return out
