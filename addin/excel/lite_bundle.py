"""The ``main.py`` and ``requirements.txt`` of the xlwings Lite variant.

xlwings Lite runs Python in the browser (Pyodide) from one ``main.py`` stored in the workbook and
installs what ``requirements.txt`` lists (pure-Python wheels from PyPI, compiled ones from
Pyodide). paxl is not on PyPI, and its wheel would pull in dependencies Lite cannot install, so
``main.py`` carries paxl itself: the source of every module that ``udfs`` and ``macros.scripts``
import (found by reading their imports, including imports inside functions), served to
``import`` from memory by a small finder, then::

    from udfs import *            # the PA_ functions
    from macros.scripts import *  # the buttons, as scripts

so Lite registers exactly the functions and scripts that desktop Excel and xlwings Server get.
``requirements.txt`` lists the third-party packages those modules import: pure-Python ones pinned
to the versions tested here, Pyodide's own (compiled) ones unpinned, as the xlwings Lite docs
advise; xlwings is pinned to paxl's pin.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from addin.errors import PaxlError

#: the modules whose functions and scripts Lite registers
ROOTS = ("udfs", "macros.scripts")
OUR_PACKAGES = ("addin", "udfs", "macros")
#: standard-library modules that need a package on Pyodide
STDLIB_NEEDS = {"zoneinfo": "tzdata"}
#: distributions Lite provides itself or that are pinned by paxl
XLWINGS = "xlwings"


@dataclass(frozen=True)
class Module:
    """One module of the bundle: its dotted name, whether it is a package, and its source."""

    name: str
    is_package: bool
    source: str


def _package_root(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PaxlError(f"cannot find the {package} package to bundle")
    return Path(next(iter(spec.submodule_search_locations))).parent


def _module_file(name: str) -> tuple[Path, bool] | None:
    top = name.split(".")[0]
    if top not in OUR_PACKAGES:
        return None
    base = _package_root(top).joinpath(*name.split("."))
    if (base / "__init__.py").is_file():
        return base / "__init__.py", True
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py"), False
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_optional_import(node: ast.Try) -> bool:
    """``try: import x ... except ImportError:``: the module works without ``x``."""
    caught = []
    for handler in node.handlers:
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        caught += [t.id for t in types if isinstance(t, ast.Name)]
    return bool({"ImportError", "ModuleNotFoundError"} & set(caught))


def _imports(tree: ast.AST, name: str, is_package: bool) -> set[str]:
    """Every module a module imports (absolute names), outside ``if TYPE_CHECKING:`` blocks
    and optional imports (``try: import x`` with ``except ImportError:``)."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Try) and _is_optional_import(node):
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def bundle(roots: Iterable[str] = ROOTS) -> tuple[tuple[Module, ...], tuple[str, ...]]:
    """The modules ``main.py`` must carry and the top-level third-party modules they import.

    Returns:
        Our modules sorted by name (every parent package included), and the sorted top-level
        names of the other non-standard-library modules imported anywhere in them.
    """
    pending = list(roots)
    modules: dict[str, Module] = {}
    external: set[str] = set()
    while pending:
        name = pending.pop()
        if name in modules:
            continue
        located = _module_file(name)
        if located is None:
            if name.split(".")[0] in OUR_PACKAGES:
                continue  # `from package import name` where name is not a module
            raise PaxlError(f"cannot find module {name} to bundle")
        path, is_package = located
        source = path.read_text(encoding="utf-8")
        modules[name] = Module(name, is_package, source)
        parent = name.rpartition(".")[0]
        if parent:
            pending.append(parent)
        for imported in _imports(ast.parse(source, str(path)), name, is_package):
            top = imported.split(".")[0]
            if top in OUR_PACKAGES:
                pending.append(imported)
            elif (top and top not in sys.stdlib_module_names) or top in STDLIB_NEEDS:
                external.add(top)
    return tuple(modules[n] for n in sorted(modules)), tuple(sorted(external))


def _is_pure(distribution: importlib.metadata.Distribution) -> bool:
    """Installed from a pure-Python wheel (``Root-Is-Purelib: true``, tags ``*-none-any``)."""
    lines = (distribution.read_text("WHEEL") or "").splitlines()
    tags = [line.removeprefix("Tag:").strip() for line in lines if line.startswith("Tag:")]
    return (
        "Root-Is-Purelib: true" in lines
        and bool(tags)
        and all(tag.endswith("-none-any") for tag in tags)
    )


def requirements(imported: Iterable[str]) -> tuple[str, ...]:
    """The ``requirements.txt`` lines for third-party top-level imports (sorted, no comments).

    Raises:
        PaxlError: an imported module that no installed distribution provides.
    """
    providers = importlib.metadata.packages_distributions()
    lines: dict[str, str] = {}
    for module in imported:
        if module in STDLIB_NEEDS:
            names = [STDLIB_NEEDS[module]]
        elif module in providers:
            names = providers[module]
        else:
            raise PaxlError(f"no installed package provides {module}, which paxl imports")
        for name in names:
            dist = importlib.metadata.distribution(name)
            key = dist.metadata["Name"].lower()
            if key == XLWINGS or _is_pure(dist):
                lines[key] = f"{key}=={dist.version}"
            else:
                lines[key] = key
    xlwings = importlib.metadata.distribution(XLWINGS)
    lines[XLWINGS] = f"{XLWINGS}=={xlwings.version}"
    return tuple(lines[k] for k in sorted(lines))


def requirements_txt(imported: Iterable[str]) -> str:
    """The whole ``requirements.txt`` of the Lite variant."""
    header = (
        "# paxl for xlwings Lite (generated by `paxl build-addin`). Pure-Python packages are\n"
        "# pinned to the versions paxl was tested with; Pyodide's own packages are not pinned.\n"
    )
    return header + "".join(line + "\n" for line in requirements(imported))


_MAIN_HEAD = '''"""paxl for xlwings Lite: the PA_ functions and the Patient Accounts scripts.

Generated by `paxl build-addin` from paxl {version}; do not edit: rebuild instead. The source of
paxl's modules is carried below and imported from memory, so nothing but requirements.txt has to
be installed. The last two lines register the functions and the scripts.
"""

import importlib.abc
import importlib.util
import linecache
import sys

_PAXL_MODULES = {{
'''

_MAIN_TAIL = '''}}


class _PaxlSource(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports paxl's modules from _PAXL_MODULES (name -> (is_package, source))."""

    def find_spec(self, name, path=None, target=None):
        if name not in _PAXL_MODULES:
            return None
        is_package = _PAXL_MODULES[name][0]
        return importlib.util.spec_from_loader(name, self, is_package=is_package)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        is_package, source = _PAXL_MODULES[module.__name__]
        filename = "<paxl>/" + module.__name__.replace(".", "/")
        filename += "/__init__.py" if is_package else ".py"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), module.__dict__)


if not any(isinstance(finder, _PaxlSource) for finder in sys.meta_path):
    sys.meta_path.insert(0, _PaxlSource())

from udfs import *  # noqa: E402, F403
from macros.scripts import *  # noqa: E402, F403
'''


def main_py(modules: Iterable[Module], version: str) -> str:
    """The ``main.py`` of the Lite variant: the modules' sources and the two star imports."""
    entries = "".join(f"    {m.name!r}: ({m.is_package!r}, {m.source!r}),\n" for m in modules)
    return _MAIN_HEAD.format(version=version) + entries + _MAIN_TAIL.format()
