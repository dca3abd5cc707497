"""The benchmark's synthetic 835 generator makes files paxl accepts (so the timing is honest)."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

from addin.era import all_problems, is_postable, parse_era

BENCHMARK = Path(__file__).parents[2] / "benchmarks" / "era_parse.py"


def _generator():
    spec = importlib.util.spec_from_file_location("era_parse_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_835


def test_a_generated_file_passes_pyx12_balances_and_is_postable():
    era = parse_era(_generator()(30, seed=3), source="synthetic.835")
    (remittance,) = era.remittances
    assert len(remittance.claims) == 30
    assert all_problems(era) == ()
    assert is_postable(era)
    assert remittance.payment.total_paid == remittance.claims_paid - Decimal("0.01")
