"""When a patient may be called: their local time, the calling window and the attempt limit.

Rules (DESIGN §5, Contact):

* **Local time** is the moment ``now`` seen in the patient's IANA time zone (Patients.TimeZone;
  blank = Policy ``practice_time_zone``), with :mod:`zoneinfo` and the ``tzdata`` database, so
  daylight-saving changes follow the zone's own calendar; zones without DST (``America/Phoenix``,
  ``Pacific/Honolulu``) stay on their standard offset all year. A name that is not an IANA zone
  key (exact spelling, e.g. ``America/New_York``) is *invalid*: the caller reports it as a
  finding and no call is offered, never guessed.
* **Window**: a call may be placed when ``start <= local wall-clock time < end`` — 08:00 up to,
  not including, 21:00. Policy ``call_window_start``/``call_window_end`` may narrow the window,
  never widen it: a looser setting is clamped to 08:00–21:00 (and reported).
* **Attempt limit**: *attempts* are the account's Contacts rows with Channel ``Call`` whose
  ContactedAt lies in the ``days`` × 24 hours before ``now`` (``now - days*24h < t <= now``;
  rows after ``now`` are not counted). A call may be placed while ``attempts < limit``
  (default 7 in 7 days). Policy ``call_limit`` may be lower, ``call_limit_days`` longer, never
  the other way (clamped and reported). Texts, letters and emails are not call attempts.
* **Contacts times** (``ContactedAt``) are wall-clock times in the practice's zone (schema).
  They become instants with ``fold=0``: an ambiguous time in the autumn hour that repeats is
  the first (daylight-time) occurrence; a time that does not exist in the spring gap is read
  with the offset in force before the change (02:30 on the change day = 03:30 daylight time).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.core.findings import Finding, Severity

__all__ = [
    "DEFAULT_RULES",
    "LEGAL_END",
    "LEGAL_START",
    "CallCheck",
    "CallRules",
    "call_attempts",
    "call_rules_from_policy",
    "check_call",
    "count_attempts",
    "in_call_window",
    "is_valid_zone",
    "local_time",
    "practice_instant",
    "zone_or_none",
]

LEGAL_START = dt.time(8, 0)
LEGAL_END = dt.time(21, 0)
LEGAL_LIMIT = 7
LEGAL_DAYS = 7
CALL_CHANNEL = "Call"


@dataclass(frozen=True)
class CallRules:
    """The calling window (local wall-clock times, end excluded) and the attempt limit."""

    start: dt.time = LEGAL_START
    end: dt.time = LEGAL_END
    limit: int = LEGAL_LIMIT
    days: int = LEGAL_DAYS


DEFAULT_RULES = CallRules()


@dataclass(frozen=True)
class CallCheck:
    """Whether one account may be called at ``now``, and why not.

    Attributes:
        local_time: ``now`` in the patient's zone (``None`` when the zone is invalid).
        in_window: the local time is inside the calling window.
        attempts: call attempts logged in the limit period before ``now``.
        may_call: a call may be placed now (inside the window and under the limit).
        reason: empty when ``may_call``; otherwise one sentence saying why not.
    """

    local_time: dt.datetime | None
    in_window: bool
    attempts: int
    may_call: bool
    reason: str


# --- zones -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _zone_keys() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_zone(name: object) -> bool:
    """Whether ``name`` is an IANA zone key spelled exactly (``"America/Denver"``; not
    ``"america/denver"``, ``"MST7"`` is valid as the database has it)."""
    return isinstance(name, str) and name in _zone_keys()


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def zone_or_none(name: object) -> zoneinfo.ZoneInfo | None:
    """The zone of an IANA key, or ``None`` when it is not a valid key."""
    return _zone(name) if is_valid_zone(name) else None  # type: ignore[arg-type]


def local_time(now: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """``now`` (a timezone-aware moment) as wall-clock time in ``zone``.

    Raises:
        ValueError: ``now`` is naive (its zone would be a guess).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone)


def practice_instant(wall: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """A wall-clock time of the practice (naive) as an aware moment, ``fold=0`` (module doc)."""
    if wall.tzinfo is not None:
        return wall
    return wall.replace(tzinfo=zone, fold=0)


# --- the rules ---------------------------------------------------------------------------------


def in_call_window(local: dt.datetime | dt.time, rules: CallRules = DEFAULT_RULES) -> bool:
    """Whether a local wall-clock time is inside ``[start, end)`` (08:00 ≤ t < 21:00)."""
    wall = local.time() if isinstance(local, dt.datetime) else local
    wall = wall.replace(tzinfo=None)
    return rules.start <= wall < rules.end


def count_attempts(times: Iterable[dt.datetime], now: dt.datetime, days: int = LEGAL_DAYS) -> int:
    """How many aware moments lie in ``(now - days*24h, now]`` (exact hours, across DST)."""
    end = _utc(now)
    since = end - dt.timedelta(days=days)
    return sum(1 for t in times if since < _utc(t) <= end)


def check_call(
    now: dt.datetime,
    zone: dt.tzinfo | None,
    attempts: int,
    rules: CallRules = DEFAULT_RULES,
) -> CallCheck:
    """May the account be called at ``now`` (aware)? ``zone`` ``None`` = no valid zone."""
    if zone is None:
        reason = "No valid time zone for the patient, so their local time is unknown."
        return CallCheck(None, False, attempts, False, reason)
    local = local_time(now, zone)
    inside = in_call_window(local, rules)
    reasons = []
    if not inside:
        reasons.append(
            f"It is {local:%H:%M} for the patient; calls only from {rules.start:%H:%M} to "
            f"{rules.end:%H:%M} their time."
        )
    if attempts >= rules.limit:
        reasons.append(
            f"{attempts} call attempts in the last {rules.days} days; the limit is {rules.limit}."
        )
    return CallCheck(local, inside, attempts, not reasons, " ".join(reasons))


def call_attempts(
    contacts: pd.DataFrame,
    account_of: Mapping[str, str],
    now: dt.datetime,
    practice_zone: dt.tzinfo | None,
    days: int = LEGAL_DAYS,
) -> dict[str, int]:
    """Call attempts per account in the ``days`` × 24 h before ``now`` (module doc).

    Args:
        contacts: the typed Contacts table (PatientID, ContactedAt, Channel).
        account_of: PatientID → the account (guarantor) it belongs to; rows of patients not in
            it count for their own PatientID.
        now: the aware moment the worklist is made for.
        practice_zone: the zone ContactedAt is written in; ``None`` (invalid zone) compares
            the wall-clock times with ``now`` seen in UTC.
        days: the limit period in days.

    Returns:
        account → attempts (accounts without attempts are left out).
    """
    if contacts is None or not len(contacts):
        return {}
    calls = contacts[contacts["Channel"].to_numpy(dtype=object) == CALL_CHANNEL]
    calls = calls.dropna(subset=["PatientID", "ContactedAt"])
    if not len(calls):
        return {}
    zone = practice_zone or dt.UTC
    wall_now = now.astimezone(zone).replace(tzinfo=None)
    # a cheap pre-filter on wall-clock times (a day of margin covers any offset change) …
    stamps = calls["ContactedAt"].to_numpy(dtype="datetime64[ns]")
    low = np.datetime64(wall_now - dt.timedelta(days=days + 1), "ns")
    high = np.datetime64(wall_now + dt.timedelta(days=1), "ns")
    near = (stamps > low) & (stamps <= high)
    counts: dict[str, int] = {}
    end = _utc(now)
    since = end - dt.timedelta(days=days)
    # … then exact instants for the few rows left.
    for pid, stamp in zip(
        calls["PatientID"].to_numpy(dtype=object)[near], stamps[near], strict=True
    ):
        moment = _utc(practice_instant(pd.Timestamp(stamp).to_pydatetime(), zone))
        if since < moment <= end:
            account = account_of.get(pid, pid)
            counts[account] = counts.get(account, 0) + 1
    return counts


def _utc(moment: dt.datetime) -> dt.datetime:
    """The moment in UTC: arithmetic and comparison of aware datetimes sharing one tzinfo are
    wall-clock (Python's rule), so exact 24-hour days need a fixed-offset zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(dt.UTC)


# --- Policy ------------------------------------------------------------------------------------


def call_rules_from_policy(policy: Mapping[str, object]) -> tuple[CallRules, tuple[Finding, ...]]:
    """The call rules from Policy settings, clamped to the legal limits (module doc).

    Returns:
        The rules and a finding for each setting that was unreadable or looser than the law
        (the legal value is used instead).
    """
    findings: list[Finding] = []
    start = _time_setting(policy, "call_window_start", LEGAL_START, findings)
    end = _time_setting(policy, "call_window_end", LEGAL_END, findings)
    if start < LEGAL_START:
        findings.append(_looser("call_window_start", f"{start:%H:%M}", "08:00"))
        start = LEGAL_START
    if end > LEGAL_END:
        findings.append(_looser("call_window_end", f"{end:%H:%M}", "21:00"))
        end = LEGAL_END
    limit = _int_setting(policy, "call_limit", LEGAL_LIMIT, findings)
    if limit > LEGAL_LIMIT:
        findings.append(_looser("call_limit", str(limit), str(LEGAL_LIMIT)))
        limit = LEGAL_LIMIT
    days = _int_setting(policy, "call_limit_days", LEGAL_DAYS, findings)
    if days < LEGAL_DAYS:
        findings.append(_looser("call_limit_days", str(days), str(LEGAL_DAYS)))
        days = LEGAL_DAYS
    if start >= end:
        findings.append(
            Finding(
                "call_window_empty",
                f"The call window {start:%H:%M}-{end:%H:%M} is empty; no call will be offered.",
                sheet="Policy",
                column="call_window_start",
                fix="Set call_window_start before call_window_end (e.g. 08:00 and 21:00).",
            )
        )
    return CallRules(start, end, max(limit, 0), days), tuple(findings)


def _looser(name: str, value: str, legal: str) -> Finding:
    return Finding(
        "call_rule_clamped",
        f"Policy {name} is {value}, looser than the legal {legal}; {legal} is used.",
        sheet="Policy",
        column=name,
        severity=Severity.WARNING,
        fix=f"Set {name} to {legal} or stricter.",
    )


def _time_setting(
    policy: Mapping[str, object], name: str, default: dt.time, findings: list[Finding]
) -> dt.time:
    value = policy.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, dt.datetime):
        return value.time().replace(tzinfo=None)
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, int | float) and 0 <= float(value) < 1:  # an Excel time fraction
        minutes = round(float(value) * 24 * 60)
        return dt.time(minutes // 60, minutes % 60)
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        findings.append(_bad_setting(name, value, "a time", " like 08:00", f"{default:%H:%M}"))
        return default


def _int_setting(
    policy: Mapping[str, object], name: str, default: int, findings: list[Finding]
) -> int:
    value = policy.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip()) if not isinstance(value, int | float) else value
        if number != int(number) or number < 0:
            raise ValueError
        return int(number)
    except ValueError:
        findings.append(_bad_setting(name, value, "a whole number", " of 0 or more", str(default)))
        return default


def _bad_setting(name: str, value: object, kind: str, detail: str, default: str) -> Finding:
    """A warning that Policy ``name`` is not ``kind`` (+ ``detail``); ``default`` is used."""
    return Finding(
        "bad_setting",
        f"Policy {name} {value!r} is not {kind}{detail}; {default} is used.",
        sheet="Policy",
        column=name,
        severity=Severity.WARNING,
        fix=f"Enter {name} as {kind} such as {default}.",
    )
