"""Where the functions run: tell Python once that Pyodide is absent when it is.

xlwings 0.37.8 checks for Pyodide's ``JsNull`` by trying ``from pyodide.ffi import JsNull`` every
time, catching ``ImportError``: for every cell it reads (``xlwings.utils.is_jsnull``) and for every
argument of every call (``xlwings.pro.udfs_officejs.js_to_none``). In Pyodide (xlwings Lite) the
import succeeds and is cached; in CPython (xlwings Server, and desktop Excel's Python) it fails,
and a failed import is not cached, so each one searches ``sys.path`` again (~0.1 ms): about 1 s
of a ``PA_SPLIT`` call over 10,000 lines through xlwings, and over 1 ms of every single call
(``benchmarks/README.md``).

Python's documented way to say "this module does not exist" is ``None`` in ``sys.modules``:
importing it then raises ``ModuleNotFoundError`` at once
(https://docs.python.org/3/reference/import.html#the-module-cache). :func:`mark_pyodide_absent`
does that for ``pyodide`` and ``pyodide.ffi`` (the name xlwings imports, so not even the parent
lookup runs), once, and only where no ``pyodide`` module can be found and the platform is not
Pyodide's (``emscripten``). Nothing changes in xlwings Lite.

A caveat for code in the same process: ``"pyodide" in sys.modules`` is then true. Test
``sys.platform == "emscripten"`` (or ``sys.modules.get("pyodide") is not None``) instead; no
package installed with paxl tests it that way.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, MutableMapping

__all__ = ["PYODIDE_MODULES", "mark_pyodide_absent"]

#: the modules xlwings tries to import on every cell and argument
PYODIDE_MODULES = ("pyodide", "pyodide.ffi")


def mark_pyodide_absent(
    modules: MutableMapping[str, object] | None = None,
    platform: str = sys.platform,
    find_spec: Callable[[str], object] = importlib.util.find_spec,
) -> bool:
    """Record Pyodide's modules as absent (``None``) unless Pyodide is here.

    Args:
        modules: the module cache to mark (``sys.modules``).
        platform: ``sys.platform``; ``"emscripten"`` is Pyodide's.
        find_spec: how to look for the ``pyodide`` package.

    Returns:
        Whether the modules were marked absent (names already in the cache are left alone).
    """
    modules = sys.modules if modules is None else modules
    if platform == "emscripten" or modules.get("pyodide") is not None:
        return False
    if "pyodide" not in modules and find_spec("pyodide") is not None:
        return False
    for name in PYODIDE_MODULES:
        modules.setdefault(name, None)
    return True
