"""Shared fixtures for the desktop and Lite files: one fresh build per test session (per worker).

``built`` writes the .xlam, .xlsm and Lite variant with :func:`addin.excel.build.build_all` into a
temporary folder; the tests check those files and compare them with the committed ones.
``olevba_modules`` reads a file's VBA the way a security scanner does (oletools), independently
of the library that wrote it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from addin.excel.build import ADDIN_NAME, LITE_NAME, XLSM_NAME, Built, build_all
from addin.workbook.template import TEMPLATE_NAME

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "workbooks" / "templates"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_all(tmp_path_factory.mktemp("built"))


@pytest.fixture(scope="session")
def addin_file(built: Built) -> Path:
    return built.paths[0].parent / ADDIN_NAME


@pytest.fixture(scope="session")
def xlsm_file(built: Built) -> Path:
    return built.paths[0].parent / XLSM_NAME


@pytest.fixture(scope="session")
def lite_file(built: Built) -> Path:
    return built.paths[0].parent / LITE_NAME


@pytest.fixture(scope="session")
def template_file() -> Path:
    return COMMITTED / TEMPLATE_NAME


def olevba_modules(path: Path) -> dict[str, str]:
    """Module name → source, as oletools' olevba extracts them (LF line ends).

    oletools uses pyparsing APIs that newer pyparsing deprecates; those warnings are not ours.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

        parser = VBA_Parser(str(path))
        try:
            return {
                stream.rsplit("/", 1)[-1]: code.replace("\r\n", "\n")
                for _, stream, _, code in parser.extract_macros()
            }
        finally:
            parser.close()
