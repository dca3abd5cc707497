"""Excel function for procedure and diagnosis code checks (a thin wrapper over
:mod:`addin.core.codes`).

A ``Charges.Diagnoses`` cell holds several codes separated by commas; such a cell gets one row,
valid only when every code in it is, with the messages of the codes to fix.
"""

from __future__ import annotations

import xlwings as xw

from addin.core.codes import COLUMNS, CodeCheck, CodeKind, check_codes, split_diagnoses
from addin.workbook.frames import is_blank
from udfs.convert import (
    CATEGORY,
    RANGE_OPTIONS,
    ExcelArgumentError,
    cells,
    excel_function,
    single,
    text_arg,
)

__all__ = ["pa_code_check"]

#: what the rep may write for the column: the kind, or the Charges column holding it
_COLUMN_NAMES = {
    "procedure": "procedure",
    "code": "procedure",
    "diagnosis": "diagnosis",
    "diagnoses": "diagnosis",
}
_WIDTH = 5


def _column(value: object) -> str:
    name = text_arg(single(value, "column"), "column").strip().casefold()
    if name not in _COLUMN_NAMES:
        raise ExcelArgumentError(
            f'column is {name!r}; use "{COLUMNS[0]}" (CPT/HCPCS codes) or "{COLUMNS[1]}" '
            "(ICD-10-CM codes)"
        )
    return _COLUMN_NAMES[name]


def _row(checks: list[CodeCheck]) -> list[object]:
    if len(checks) == 1:
        c = checks[0]
        return [c.normalized, c.kind.value, c.valid, c.billable, c.message]
    valid = all(c.valid for c in checks)
    kinds = {c.kind for c in checks}
    kind = kinds.pop() if len(kinds) == 1 else CodeKind.UNKNOWN
    return [
        ", ".join(c.normalized for c in checks),
        kind.value,
        valid,
        all(bool(c.billable) for c in checks) if valid else None,
        " ".join(c.message for c in checks if c.message),
    ]


@xw.func(category=CATEGORY)
@xw.arg(
    "codes",
    **RANGE_OPTIONS,
    doc="The codes to check (one or a column); a Diagnoses cell may list several, separated "
    "by commas.",
)
@xw.arg(
    "column",
    **RANGE_OPTIONS,
    doc='"procedure" for CPT/HCPCS codes (the Code column) or "diagnosis" for ICD-10-CM codes '
    "(Diagnoses).",
)
@excel_function
def pa_code_check(codes, column):
    """Checks codes. One row per code: normalized, kind (cpt_cat1, cpt_cat2, cpt_cat3, cpt_pla,
    hcpcs_level2, icd10cm, unknown), valid, billable (diagnoses only), message (what to fix).
    Example: =PA_CODE_CHECK("e119","diagnosis") gives E11.9 icd10cm TRUE TRUE."""
    kind = _column(column)
    found = cells(codes, "codes")
    spans: list[tuple[int, int] | None] = []
    flat: list[object] = []
    for value in found.values:
        if is_blank(value):
            spans.append(None)
            continue
        parts = split_diagnoses(value) if kind == "diagnosis" and "," in str(value) else [value]
        parts = parts or [value]
        spans.append((len(flat), len(parts)))
        flat.extend(parts)
    checks = check_codes(flat, kind)
    return [
        [None] * _WIDTH if span is None else _row(checks[span[0] : span[0] + span[1]])
        for span in spans
    ]
