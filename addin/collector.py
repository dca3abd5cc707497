"""Python's cyclic garbage collector during bulk work: paused, and run where garbage is known.

A statement run creates millions of small objects that live until the run ends: the book's cell
values while it loads, then every cell of every bill sheet, which XlsxWriter keeps until the
workbook is closed. Python's automatic cyclic collector starts a pass each time enough new
objects have survived, and every full pass walks all live objects again, including the ~100,000
the imported libraries (pandas, numpy, XlsxWriter) hold for the life of the process. None of
those passes frees anything the run still needs, yet at 10,000 patients they cost about 1 s of
CPU, a tenth of the run (measured with ``gc.callbacks``; benchmarks/README.md).

So a bulk job runs inside :func:`paused_collection`, and collects explicitly with
:func:`collect_now` at the points where it has dropped garbage held in reference cycles: an
XlsxWriter workbook and its cells form one, so before each bill workbook after the first the
previous one is collected, and memory stays bounded by one workbook as before. The last one is
left to Python's collector once the run has ended (a command-line run simply exits). Objects
without cycles are freed by reference counting as always; pausing changes when cycles are found,
never what is kept.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collect_now", "paused_collection"]


@contextmanager
def paused_collection() -> Iterator[None]:
    """Pause automatic cyclic collection for the block; restore the caller's setting after it.

    Nests: an inner block leaves collection paused for the outer one.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collect_now() -> int:
    """Find and free garbage held in reference cycles now (one full pass); the number freed."""
    return gc.collect()
