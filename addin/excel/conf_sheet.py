"""The ``xlwings.conf`` sheet of the macro-enabled template.

xlwings (its VBA and its Python) reads the settings of this sheet from A1:B1 down to the first
blank row in column A (:func:`active_settings` does the same). Only ``UDF Modules`` is active:
"Import Functions" on the xlwings ribbon tab then imports paxl's Excel functions (``udfs``).
The Python interpreter is left to the user config that ``xlwings addin install`` writes
(``%USERPROFILE%\\.xlwings\\xlwings.conf``); an interpreter row is offered below the blank row as
an inactive example, because an active row with a placeholder path would break every button.
"""

from __future__ import annotations

from collections.abc import Sequence

SHEET = "xlwings.conf"

#: column A, column B; an empty row ends the active settings
ROWS: tuple[tuple[str, str], ...] = (
    ("UDF Modules", "udfs"),
    ("", ""),
    ("How this sheet works", ""),
    (
        "xlwings reads the settings in columns A and B from row 1 down to the first empty row. "
        "Rows below the empty row 2 are notes and examples; they are not read.",
        "",
    ),
    (
        "UDF Modules = udfs lets the xlwings tab's Import Functions add the PA_ functions to this "
        "workbook (Windows). Press Import Functions once after opening the template, then save.",
        "",
    ),
    (
        "Python: by default the one set up by IT with `xlwings addin install` is used "
        "(%USERPROFILE%\\.xlwings\\xlwings.conf). To use another Python for this workbook only, "
        "insert a row above row 2 and copy the matching example below into it, with your path.",
        "",
    ),
    ("", ""),
    ("Examples (inactive)", ""),
    ("Interpreter_Win", "C:\\Program Files\\Python311\\python.exe"),
    ("Interpreter_Mac", "/Library/Frameworks/Python.framework/Versions/3.11/bin/python3"),
)


def active_settings(rows: Sequence[Sequence[object]]) -> dict[str, object]:
    """The settings xlwings reads from a conf sheet's rows: A→B from row 1 to the first blank A."""
    settings: dict[str, object] = {}
    for row in rows:
        key = row[0] if row else None
        if key in (None, ""):
            break
        settings[str(key)] = row[1] if len(row) > 1 else None
    return settings
