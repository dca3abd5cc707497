"""VBA projects: the ``vbaProject.bin`` of our files, made by editing an Excel-made one.

Writing a VBA project means compressing each module's source (MS-OVBA 2.4.1), rewriting the
``dir`` and ``PROJECT`` streams when modules are added or removed, and invalidating the compiled
p-code cache so Excel recompiles from the source. :mod:`pyopenvba` (MIT, pure Python, tested by
its authors against live Office) does all of that; this module only says which modules to
remove, add or change, starting from a project that Excel itself wrote (one that ships with
xlwings), and returns the new ``vbaProject.bin``.

Module sources are kept in the repository with LF line ends and written with CRLF, as the VBA
editor stores them; they must be ASCII (the projects use code page 1252, and our modules need
nothing else).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pyopenvba import ExcelFile

from addin.errors import PaxlError
from addin.excel.package import read_parts

VBA_PART = "xl/vbaProject.bin"


def crlf(source: str) -> str:
    """A module source with CRLF line ends and a final line end, as VBA stores it."""
    text = source.replace("\r\n", "\n").rstrip("\n") + "\n"
    return text.replace("\n", "\r\n")


def edited_vba_project(
    workbook: Path,
    *,
    remove: Sequence[str] = (),
    add: Mapping[str, str] | None = None,
    change: Mapping[str, Callable[[str], str]] | None = None,
) -> bytes:
    """The ``vbaProject.bin`` of ``workbook`` after removing, adding and changing modules.

    ``workbook`` itself is not touched (the edit happens on a copy).

    Args:
        workbook: a macro-enabled Excel file (.xlsm/.xlam) made by Excel.
        remove: standard modules to delete.
        add: new standard modules, name → source (its ``Attribute VB_Name`` line included).
        change: existing modules, name → function from the old source to the new one (the
            source as stored, CRLF line ends; returned as it should be stored).

    Raises:
        PaxlError: a module to remove or change is missing, one to add exists already, a source
            is not ASCII, or a change left its module as it was.
    """
    add = dict(add or {})
    change = dict(change or {})
    for name, source in add.items():
        if not source.isascii():
            raise PaxlError(f"VBA module {name}: use ASCII characters only")
    with tempfile.TemporaryDirectory(prefix="paxl-vba-") as folder:
        copy = Path(folder) / f"project{workbook.suffix}"
        shutil.copyfile(workbook, copy)
        with ExcelFile(copy) as book:
            project = book.vba_project()
            names = set(project.module_names())
            missing = sorted((set(remove) | set(change)) - names)
            if missing:
                raise PaxlError(f"{workbook.name} has no VBA module {', '.join(missing)}")
            clashing = sorted(set(add) & names)
            if clashing:
                raise PaxlError(f"{workbook.name} already has a VBA module {', '.join(clashing)}")
            for name in remove:
                project.delete_module(name)
            for name, edit in change.items():
                old = book.get_module(name)
                new = edit(old)
                if new == old:
                    raise PaxlError(f"the change to VBA module {name} found nothing to change")
                book.set_module(name, new)
            for name, source in add.items():
                project.add_module(name, crlf(source))
            book.save()
        return read_parts(copy)[VBA_PART]


def module_sources(workbook: Path) -> dict[str, str]:
    """Every VBA module of a file, name → source (CRLF as stored), read with pyopenvba."""
    with ExcelFile(workbook) as book:
        return {name: book.get_module(name) for name in book.module_names()}
