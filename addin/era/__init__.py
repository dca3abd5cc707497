"""Insurer remittances: X12 835 (005010X221A1) files read into immutable records and checked.

Typical use::

    era = read_era("remit.835")          # PaxlError if it is not an 835 at all
    problems = all_problems(era)         # parser, reading and balance problems
    if is_postable(era, problems): ...   # no problem blocks posting

Modules: :mod:`~addin.era.model` (records), :mod:`~addin.era.parse` (normalise, pyx12 validation,
extraction), :mod:`~addin.era.balance` (balance checks).
"""

from addin.era.balance import all_problems, check_era, is_postable
from addin.era.model import (
    Adjustment,
    Claim,
    EraFile,
    EraProblem,
    Payment,
    ProblemKind,
    ProviderAdjustment,
    Remittance,
    ServiceLine,
)
from addin.era.parse import parse_era, read_era

__all__ = [
    "Adjustment",
    "Claim",
    "EraFile",
    "EraProblem",
    "Payment",
    "ProblemKind",
    "ProviderAdjustment",
    "Remittance",
    "ServiceLine",
    "all_problems",
    "check_era",
    "is_postable",
    "parse_era",
    "read_era",
]
