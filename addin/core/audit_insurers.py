"""Audit rule on insurer payments: under- and overpayments against the contract.

Reuses :mod:`addin.core.expected` (expected insurer payment per adjudicated line and payer)
and its findings ``underpaid`` (warning) and ``overpaid`` (error). Those messages show the
insurer's payment and the contract amount — the discrepancy the rep must take up with the payer,
not a patient's balance.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from addin.core.expected import expected_payments, payment_variance_findings
from addin.core.findings import Finding, Severity
from addin.errors import PaxlError


def insurer_payment_findings(tables: Mapping[str, pd.DataFrame]) -> list[Finding]:
    """Insurer under- and overpayments; a warning instead when plans cannot be read."""
    try:
        return payment_variance_findings(expected_payments(tables))
    except PaxlError as exc:
        return [
            Finding(
                code="insurer_payments_not_checked",
                message=f"Insurer payments were not checked against the contracts: {exc}",
                severity=Severity.WARNING,
                fix="Fix that problem, then run the audit again.",
            )
        ]
