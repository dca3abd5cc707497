"""The Lite main.py carries every paxl module the functions and scripts import (and nothing of
the command line), imports them from memory, and its requirements name what they import."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from addin.errors import PaxlError
from addin.excel.lite_bundle import (
    STDLIB_NEEDS,
    _imports,
    bundle,
    main_py,
    requirements,
    requirements_txt,
)

REPO = Path(__file__).resolve().parents[2]


def test_bundle_holds_the_functions_the_scripts_and_what_they_import() -> None:
    modules, external = bundle()
    names = {m.name for m in modules}
    assert {"udfs", "macros", "macros.scripts", "macros.runner", "addin.core.money"} <= names
    assert {"addin", "addin.core", "addin.workbook"} <= names  # parent packages
    assert not any(n.startswith("addin.commands") or n == "addin.cli" for n in names)
    assert [m.name for m in modules] == sorted(names)
    assert {"pandas", "xlwings"} <= set(external)
    assert not (set(external) - set(STDLIB_NEEDS)) & set(sys.stdlib_module_names)


def test_imports_inside_functions_count_and_type_checking_ones_do_not() -> None:
    source = textwrap.dedent(
        """
        from typing import TYPE_CHECKING
        from . import money
        from .. import errors
        if TYPE_CHECKING:
            import openpyxl
        def f():
            import simple_icd_10_cm
            from addin.workbook import schema
        """
    )
    found = _imports(ast.parse(source), "addin.core.codes", is_package=False)
    assert {"addin.core.money", "addin.errors", "simple_icd_10_cm"} <= found
    assert {"addin.workbook", "addin.workbook.schema"} <= found
    assert "openpyxl" not in found
    _, external = bundle()
    assert "simple_icd_10_cm" in external  # imported only inside a function in addin.core.codes


def test_pure_packages_are_pinned_and_xlwings_follows_paxls_pin() -> None:
    lines = requirements(["xlsxwriter", "pandas", "xlwings"])
    xlsxwriter = importlib.metadata.version("xlsxwriter")
    assert lines == (
        "pandas",
        f"xlsxwriter=={xlsxwriter}",
        f"xlwings=={importlib.metadata.version('xlwings')}",
    )
    assert requirements(["zoneinfo"])[0] == f"tzdata=={importlib.metadata.version('tzdata')}"
    assert requirements_txt(["pandas"]).startswith("# paxl for xlwings Lite")


def test_an_import_no_package_provides_is_refused() -> None:
    with pytest.raises(PaxlError, match="no installed package provides surely_not_installed"):
        requirements(["surely_not_installed"])


def test_main_py_imports_paxl_from_memory_without_the_repository(tmp_path: Path) -> None:
    modules, _ = bundle()
    main = tmp_path / "main.py"
    main.write_text(main_py(modules, "test"), encoding="utf-8")
    check = textwrap.dedent(
        """
        import runpy, sys
        from pathlib import Path
        repo = Path(sys.argv[2]).resolve()
        sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != repo]
        names = runpy.run_path(sys.argv[1], run_name="main")
        import udfs, macros.scripts
        assert type(udfs.__spec__.loader).__name__ == "_PaxlSource"
        assert names["pa_fpg"] is udfs.pa_fpg
        assert names["post_payments"] is macros.scripts.post_payments
        print(udfs.pa_fpg(4, 2025))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", check, str(main), str(REPO)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert float(done.stdout) == 32150
