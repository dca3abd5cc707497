import importlib.util
import sys

import pytest
import xlwings.utils

import udfs
from udfs._host import PYODIDE_MODULES, mark_pyodide_absent


def nothing_found(name):
    return None


def test_outside_pyodide_its_modules_are_marked_absent():
    modules = {}
    assert mark_pyodide_absent(modules, "linux", nothing_found)
    assert modules == {"pyodide": None, "pyodide.ffi": None}


def test_in_pyodide_nothing_changes():
    modules = {}
    assert not mark_pyodide_absent(modules, "emscripten", nothing_found)
    assert modules == {}


def test_an_installed_pyodide_package_is_left_alone():
    modules = {}
    assert not mark_pyodide_absent(modules, "linux", lambda name: object())
    assert modules == {}


def test_a_loaded_pyodide_module_is_left_alone():
    loaded = object()
    modules = {"pyodide": loaded}
    assert not mark_pyodide_absent(modules, "linux", nothing_found)
    assert modules == {"pyodide": loaded}


class Lookups:
    """A meta-path finder that records which modules an import searched for."""

    def __init__(self):
        self.names = []

    def find_spec(self, name, path=None, target=None):
        self.names.append(name)
        return None


@pytest.mark.skipif(
    sys.platform == "emscripten" or sys.modules.get("pyodide") is not None,
    reason="Pyodide is here",
)
def test_after_importing_udfs_xlwings_pyodide_checks_answer_without_searching():
    assert udfs.pa_split  # the package is imported
    assert all(sys.modules[name] is None for name in PYODIDE_MODULES)
    assert importlib.util.find_spec("pyodide") is None
    lookups = Lookups()
    sys.meta_path.insert(0, lookups)
    try:
        with pytest.raises(ModuleNotFoundError):
            import pyodide.ffi  # noqa: F401
        assert xlwings.utils.is_jsnull(None) is False
    finally:
        sys.meta_path.remove(lookups)
    assert lookups.names == []
