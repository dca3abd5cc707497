"""Fixture files for the 835 tests: the hand-written files under ``files/``, each read once.

Reading runs pyx12, which takes a moment per file; records are immutable, so one cached read
per file serves every test.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from addin.era import EraFile, read_era

FILES = Path(__file__).parent / "files"


@cache
def era(name: str) -> EraFile:
    """The fixture file ``files/<name>.835`` read with :func:`read_era`."""
    return read_era(FILES / f"{name}.835")


def text(name: str) -> str:
    """The fixture file's text (BOM included, if it has one)."""
    return (FILES / f"{name}.835").read_text(encoding="utf-8")
