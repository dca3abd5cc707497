"""Procedure and diagnosis code checks: is this code well formed, does it exist, can it be billed.

A code is judged by the column it sits in (DESIGN §5):

* **procedure** (``Charges.Code``): the *shape* of a CPT or HCPCS Level II code — CPT Category I
  ``^\\d{5}$``, Category II ``^\\d{4}F$``, Category III ``^\\d{4}T$``, Proprietary Laboratory
  Analyses ``^\\d{4}U$``, HCPCS Level II ``^[A-Z]\\d{4}$``. Whether a CPT code exists cannot be
  checked without the AMA's licensed code set, which paxl does not ship (nor any CPT description).
* **diagnosis** (``Charges.Diagnoses``): membership in the ICD-10-CM code set carried by the
  ``simple-icd-10-cm`` package (the April 2026 set, which has letters in position 2, e.g. ``QA0``).
  ``e119`` is read as ``E11.9``. A heading with more specific codes below it (``E11``) exists but is
  not billable; a chapter or block range (``A00-B99``) is not a code at all.

Codes are normalised by removing spaces and upper-casing. Messages say what to fix and carry the
code only; no description text is ever produced. The ICD-10-CM set is loaded on first use (about
two seconds), once per process.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import ModuleType

__all__ = [
    "COLUMNS",
    "CodeCheck",
    "CodeKind",
    "check_code",
    "check_codes",
    "normalize_code",
    "split_diagnoses",
]

COLUMNS = ("procedure", "diagnosis")


class CodeKind(StrEnum):
    CPT_CAT1 = "cpt_cat1"
    CPT_CAT2 = "cpt_cat2"
    CPT_CAT3 = "cpt_cat3"
    CPT_PLA = "cpt_pla"
    HCPCS_LEVEL2 = "hcpcs_level2"
    ICD10CM = "icd10cm"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CodeCheck:
    """The verdict on one code.

    ``normalized`` is the code as it should be written (``E11.9``, ``99213``); ``kind`` is what it
    is (``unknown`` when it is not a code of the column's kind); ``billable`` is ``None`` for
    procedures and invalid codes, and for diagnoses says whether the code is a leaf of ICD-10-CM;
    ``message`` is empty for a valid, billable code and otherwise says what to fix.
    """

    normalized: str
    kind: CodeKind
    valid: bool
    billable: bool | None
    message: str


_PROCEDURE_SHAPES: tuple[tuple[CodeKind, re.Pattern[str]], ...] = (
    (CodeKind.CPT_CAT1, re.compile(r"\d{5}")),
    (CodeKind.CPT_CAT2, re.compile(r"\d{4}F")),
    (CodeKind.CPT_CAT3, re.compile(r"\d{4}T")),
    (CodeKind.CPT_PLA, re.compile(r"\d{4}U")),
    (CodeKind.HCPCS_LEVEL2, re.compile(r"[A-Z]\d{4}")),
)
_PROCEDURE_ANY = r"(?:\d{5}|\d{4}[FTU]|[A-Z]\d{4})"
_WITH_MODIFIER = re.compile(rf"({_PROCEDURE_ANY})-?([A-Z0-9]{{2}})")
# ICD-10-CM: a letter, a digit or letter (QA0 since April 2026), a digit or letter, up to 4 more
_ICD_SHAPE = re.compile(r"[A-Z][0-9A-Z][0-9A-Z](?:\.?[0-9A-Z]{1,4})?")
_ICD_BARE = re.compile(r"[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}")
_SEPARATORS = re.compile(r"[;/|]|\s+")
_PROCEDURE_RULE = (
    "CPT codes are 5 digits (99213) or 4 digits and F, T or U (0001F, 0042T, 0001U); "
    "HCPCS Level II codes are a letter and 4 digits (G0008)"
)


def _text(value: object) -> str:
    """A cell value as text: blanks → ``""``, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value)


def normalize_code(value: object) -> str:
    """The code with all spaces removed and letters upper-cased (``" e11.9 "`` → ``"E11.9"``)."""
    return "".join(_text(value).split()).upper()


def split_diagnoses(value: object) -> list[str]:
    """The codes of a comma-separated ``Diagnoses`` cell, blanks between commas dropped."""
    return [part.strip() for part in _text(value).split(",") if part.strip()]


def check_code(code: object, column: str) -> CodeCheck:
    """Check one code for the column it sits in.

    Args:
        code: the cell value (text; a whole number is read without its ``.0``).
        column: ``"procedure"`` or ``"diagnosis"`` (case-insensitive).

    Raises:
        ValueError: ``column`` is neither; the message says what to pass.
    """
    return _check(_key(code, column), _column(column))


def check_codes(codes: Iterable[object], column: str) -> list[CodeCheck]:
    """Check many codes at once, in order; each distinct code is checked once.

    Same rules and errors as :func:`check_code`.
    """
    kind = _column(column)
    seen: dict[str, CodeCheck] = {}
    results = []
    for code in codes:
        key = _key(code, kind)
        check = seen.get(key)
        if check is None:
            check = seen[key] = _check(key, kind)
        results.append(check)
    return results


def _column(column: str) -> str:
    name = str(column).strip().lower()
    if name not in COLUMNS:
        raise ValueError(f'column must be "procedure" or "diagnosis", not {column!r}')
    return name


def _key(code: object, column: str) -> str:
    """What the verdict depends on: the normalised code, plus whether codes were run together."""
    text = _text(code).strip()
    several = len([p for p in _SEPARATORS.split(text) if len(p) >= 3]) > 1
    if column == "diagnosis" and several and "-" not in text:
        return "\0" + normalize_code(text)  # marks "E11.9; I10" style cells
    return normalize_code(text)


@functools.lru_cache(maxsize=65536)
def _check(key: str, column: str) -> CodeCheck:
    if column == "procedure":
        return _check_procedure(key)
    return _check_diagnosis(key)


# --- procedures ----------------------------------------------------------------------------------


def _check_procedure(code: str) -> CodeCheck:
    for kind, pattern in _PROCEDURE_SHAPES:
        if pattern.fullmatch(code):
            return CodeCheck(code, kind, True, None, "")
    return CodeCheck(code, CodeKind.UNKNOWN, False, None, _procedure_problem(code))


def _procedure_problem(code: str) -> str:
    if not code:
        return "The procedure code is blank; enter the CPT or HCPCS code."
    if code.isdigit() and len(code) < 5:
        return (
            f"{code} has {len(code)} digits; CPT codes have 5. If Excel dropped leading zeros "
            f"(00100 became 100), format the column as Text and type the code again."
        )
    modified = _WITH_MODIFIER.fullmatch(code)
    if modified:
        base, modifier = modified.groups()
        return (
            f"{code} looks like code {base} with modifier {modifier}; put {modifier} in Modifier."
        )
    if _ICD_SHAPE.fullmatch(code) and ("." in code or len(code) == 3):
        return (
            f"{code} looks like an ICD-10-CM diagnosis code; put it in Diagnoses and the "
            f"procedure's CPT or HCPCS code here."
        )
    return f"{code} is not a CPT or HCPCS code: {_PROCEDURE_RULE}."


# --- diagnoses -----------------------------------------------------------------------------------


@functools.cache
def _icd10cm() -> ModuleType:
    """The ICD-10-CM code set, imported on first use (the import parses it: ~2 s)."""
    with warnings.catch_warnings():
        # the package reads its data with a deprecated importlib.resources call
        warnings.simplefilter("ignore")
        import simple_icd_10_cm

    return simple_icd_10_cm


def _dotted(bare: str) -> str:
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


def _is_code(icd: ModuleType, dotted: str) -> bool:
    """A category or subcategory of ICD-10-CM (chapters and blocks are headings, not codes)."""
    return bool(icd.is_valid_item(dotted)) and bool(
        icd.is_category(dotted) or icd.is_subcategory(dotted)
    )


def _check_diagnosis(key: str) -> CodeCheck:
    if key.startswith("\0"):
        code = key[1:]
        return CodeCheck(
            code,
            CodeKind.UNKNOWN,
            False,
            None,
            f"{code} holds more than one code; separate diagnosis codes with commas.",
        )
    code = key
    if not code:
        return _invalid(code, "The diagnosis code is blank; enter an ICD-10-CM code or remove it.")
    if "-" in code:
        return _invalid(
            code,
            f"{code} is a range of codes (a chapter or block heading), not a diagnosis; "
            f"enter the specific ICD-10-CM code.",
        )
    bare = code.replace(".", "")
    if not _ICD_BARE.fullmatch(bare):
        if _any_procedure_shape(code):
            return _invalid(
                code,
                f"{code} looks like a CPT or HCPCS procedure code; put it in Code and the "
                f"ICD-10-CM diagnosis here.",
            )
        return _invalid(
            code,
            f"{code} is not an ICD-10-CM code: codes are 3 letters or digits starting with a "
            f"letter, then up to 4 more after a dot (E11.9, S72.001A).",
        )
    dotted = _dotted(bare)
    icd = _icd10cm()
    if not _is_code(icd, dotted):
        return _invalid(dotted, _not_found(icd, code, bare))
    if icd.is_leaf(dotted):
        return CodeCheck(dotted, CodeKind.ICD10CM, True, True, "")
    children = icd.get_children(dotted)
    return CodeCheck(
        dotted,
        CodeKind.ICD10CM,
        True,
        False,
        f"{dotted} is a heading, not billable: enter one of the more specific codes under it "
        f"({children[0]} to {children[-1]}).",
    )


def _not_found(icd: ModuleType, code: str, bare: str) -> str:
    dotted = _dotted(bare)
    message = f"{dotted} is not in the ICD-10-CM code set"
    if "." not in code and _any_procedure_shape(bare):
        return (
            f"{message}; it looks like a HCPCS procedure code: put it in Code and the "
            f"ICD-10-CM diagnosis here."
        )
    for end in range(len(bare) - 1, 2, -1):
        nearest = _dotted(bare[:end])
        if _is_code(icd, nearest):
            return f"{message}; check the chart (the nearest code that exists is {nearest})."
    return f"{message}; check the code against the chart."


def _any_procedure_shape(code: str) -> bool:
    return any(p.fullmatch(code) for _, p in _PROCEDURE_SHAPES)


def _invalid(code: str, message: str) -> CodeCheck:
    return CodeCheck(code, CodeKind.UNKNOWN, False, None, message)
