"""Shared helpers of the timing scripts: one measurement per child process, medians, the machine.

Every measurement runs in a fresh interpreter (``python SCRIPT --child KIND ...``), so its peak
memory is that process's own: ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` counts C allocations
too (calamine, numpy, XlsxWriter buffers), which ``tracemalloc`` does not see. The child times its
work with :class:`Timer` after its imports and prints one JSON line; the parent collects them with
:func:`run_child`. Wall time counts other programs' work on a shared machine, CPU time (user +
system of the child) does not, so both are reported.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / ".cache"
GIB = 1024**3


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_bytes() -> int:
    """This process's peak resident memory so far, bytes (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class Timer:
    """Wall and CPU seconds of a block, and the CPU seconds Python's cyclic garbage collector
    spent in it: ``with Timer() as t: ...; t.result()``."""

    def __enter__(self) -> Timer:
        self.collector = 0.0
        self._collecting = 0.0
        gc.callbacks.append(self._on_collection)
        self.wall, self.cpu = time.perf_counter(), _cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = _cpu_seconds() - self.cpu
        gc.callbacks.remove(self._on_collection)

    def _on_collection(self, phase: str, info: Mapping[str, object]) -> None:
        if phase == "start":
            self._collecting = time.process_time()
        else:
            self.collector += time.process_time() - self._collecting

    def result(self, **extra: object) -> dict[str, object]:
        """The JSON a child prints: wall, cpu, collector (CPU seconds in the cyclic garbage
        collector), peak_rss (bytes, whole process) and extras."""
        return {
            "wall": self.wall,
            "cpu": self.cpu,
            "collector": self.collector,
            "peak_rss": peak_rss_bytes(),
            **extra,
        }


def emit(result: Mapping[str, object]) -> None:
    """Print a child's result as the last line of its output."""
    sys.stdout.write("\n" + json.dumps(result, default=str) + "\n")
    sys.stdout.flush()


def run_child(script: Path, args: Sequence[str], env: Mapping[str, str] | None = None) -> dict:
    """Run ``python script args`` from the repository root and return the JSON it printed last.

    Raises:
        RuntimeError: the child failed; the message ends with its stderr.
    """
    done = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{script.name} {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class Summary:
    """Medians over repeated measurements of one thing (seconds; bytes)."""

    wall: float
    cpu: float
    peak_rss: int
    runs: int

    @classmethod
    def of(cls, results: Iterable[Mapping[str, object]]) -> Summary:
        results = list(results)
        return cls(
            wall=statistics.median(float(r["wall"]) for r in results),
            cpu=statistics.median(float(r["cpu"]) for r in results),
            peak_rss=int(statistics.median(int(r["peak_rss"]) for r in results)),
            runs=len(results),
        )


def gib(size: int) -> str:
    return f"{size / GIB:.2f} GiB" if size >= GIB / 4 else f"{size / 1024**2:.0f} MiB"


def verdict(holds: bool) -> str:
    return "holds" if holds else "MISSED"


def machine() -> dict[str, str]:
    """What the numbers were measured on: CPUs, memory, CPU model, Python, load average."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cpus": str(os.cpu_count()),
        "memory": memory,
        "cpu_model": model,
        "python": platform.python_version(),
        "load": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def machine_line() -> str:
    m = machine()
    return (
        f"machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory']} RAM, Python {m['python']}, "
        f"load average {m['load']}"
    )
