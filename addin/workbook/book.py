"""A loaded workbook: typed tables plus the Policy settings — what the core and commands work on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from addin.workbook.frames import empty_frame, typed_frame
from addin.workbook.schema import POLICY_TABLES, SETTINGS, TABLES, ColumnType


def default_policy() -> dict[str, object]:
    """Every Policy setting at its default (money and rates as ``Decimal``)."""
    return {s.name: s.default for s in SETTINGS}


def default_policy_tables() -> dict[str, pd.DataFrame]:
    """The Policy sheet's small tables with their default rows (money as integer cents)."""
    frames = {}
    for pt in POLICY_TABLES:
        records = [dict(zip((c.name for c in pt.columns), row, strict=True)) for row in pt.rows]
        frames[pt.name] = _policy_frame(pt, records)
    return frames


def _policy_frame(pt, records):
    from addin.workbook.schema import Table

    return typed_frame(Table(pt.name, pt.columns), records, sheet="Policy")


@dataclass(frozen=True)
class Book:
    """Typed tables of one workbook (see :mod:`addin.workbook.schema` for the conventions).

    ``tables`` has every schema table (an absent table is an empty frame); ``policy`` maps each
    setting name to its typed value (``Decimal`` for money and rates, ``int``, ``bool``, ``str``);
    ``policy_tables`` holds ``PovertyGuidelines`` and ``AssistanceTiers``. ``source`` names the
    file for messages.
    """

    tables: Mapping[str, pd.DataFrame]
    policy: Mapping[str, object] = field(default_factory=default_policy)
    policy_tables: Mapping[str, pd.DataFrame] = field(default_factory=default_policy_tables)
    source: str = "<memory>"

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def book_from_records(
    records: Mapping[str, list[Mapping[str, object]]],
    *,
    policy: Mapping[str, object] | None = None,
) -> Book:
    """A Book from plain records per table (missing tables empty) — for tests and the sample."""
    tables = {
        t.name: typed_frame(t, records[t.name]) if t.name in records else empty_frame(t)
        for t in TABLES
    }
    settings = default_policy()
    settings.update(policy or {})
    return Book(tables=tables, policy=settings)


MONEY_SETTINGS = tuple(s.name for s in SETTINGS if s.type is ColumnType.MONEY)
