"""A real ``xw.Book`` without Excel: the JSON a remote client sends, and what its actions do.

xlwings Server and xlwings Lite receive the workbook as JSON (book name, active sheet and
selection, defined names, and per sheet its values and tables) and build an ``xw.Book(json=...)``
on its remote engine; every write becomes an action in ``book.json()["actions"]`` that the Excel
client runs after the script returns. Tests of the xlwings adapter and of macros use the same
machinery:

* :func:`book_json_from_xlsx` — the JSON for an ``.xlsx`` file (e.g. one written by the template
  writer), as the Office.js client would send it;
* :func:`book_json_from_memory` — the JSON for a :class:`MemoryWorkbook` (same fixtures for the
  memory and the remote adapter);
* :func:`remote_book` — the ``xw.Book`` for such JSON;
* :func:`apply_actions` — a small stand-in for the client: the JSON after the actions ran, so a
  test can open the book again and read what a macro wrote. It knows the actions paxl emits and
  refuses any other, and mimics Excel where it matters (a string typed into a cell not formatted
  as text becomes a number; ``yyyy-mm-dd`` strings become dates).

The remote engine is xlwings PRO code: it needs ``XLWINGS_LICENSE_KEY`` (``noncommercial`` for
open-source development; a commercial deployer needs its own licence). Tests using it are marked
``xlwings_pro``.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from addin.workbook import cells
from addin.workbook.memory_adapter import MemoryWorkbook

CLIENT = "Office.js"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")
_COSMETIC = frozenset(
    {
        "alert",
        "setNumberFormat",
        "setFontProperty",
        "setRangeColor",
        "setColumnWidth",
        "addChart",
        "setChartTitle",
        "activateSheet",
    }
)


def _version() -> str:
    import xlwings as xw

    return xw.__version__


def json_value(value: object) -> object:
    """A cell value as the client sends it: dates as ISO text with ``Z``, blanks as ``""``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dt.date):
        return (
            dt.datetime(value.year, value.month, value.day).isoformat(timespec="milliseconds") + "Z"
        )
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def _sheet(name: str, values: list[list[object]], tables: list[dict]) -> dict:
    return {
        "name": name,
        "values": values or [[]],
        "pictures": [],
        "shapes": [],
        "charts": [],
        "notes": [],
        "tables": tables,
        "print_area": None,
        "visibility": "Visible",
        "show_gridlines": True,
        "pivot_tables": [],
    }


def table_json(name: str, address: str, header: Sequence[object]) -> dict:
    """One table as the client describes it (``address`` = header and body, e.g. ``A1:L4``)."""
    r1, c1, r2, c2 = cells.parse_address(address)
    r2 = max(r2, r1 + 1)  # an Excel table keeps at least one body row
    return {
        "name": name,
        "range_address": cells.range_address(r1, c1, r2, c2),
        "header_row_range_address": cells.range_address(r1, c1, r1, c2),
        "data_body_range_address": cells.range_address(r1 + 1, c1, r2, c2),
        "total_row_range_address": None,
        "show_headers": True,
        "show_totals": False,
        "table_style": "TableStyleMedium2",
        "show_autofilter": True,
        "show_table_style_first_column": False,
        "show_table_style_last_column": False,
        "show_table_style_row_stripes": True,
        "show_table_style_column_stripes": False,
        "columns": [str(h) for h in header],
        "row_count": r2 - r1 + 1,
        "column_count": c2 - c1 + 1,
    }


def name_json(name: str, sheets: Sequence[str], sheet: str, address: str) -> dict:
    """A workbook-level defined name pointing at ``sheet!address``."""
    r1, c1, r2, c2 = cells.parse_address(address)
    quoted = "'" + sheet.replace("'", "''") + "'"
    first = f"${cells.column_letters(c1)}${r1}"
    absolute = first if (r1, c1) == (r2, c2) else f"{first}:${cells.column_letters(c2)}${r2}"
    return {
        "name": name,
        "sheet_index": list(sheets).index(sheet),
        "address": cells.range_address(r1, c1, r2, c2),
        "book_scope": True,
        "scope_sheet_name": None,
        "scope_sheet_index": None,
        "refers_to": f"={quoted}!{absolute}",
    }


def book_json(
    sheets: Mapping[str, Sequence[Sequence[object]]],
    *,
    tables: Sequence[tuple[str, str, str]] = (),
    names: Mapping[str, tuple[str, str]] | None = None,
    active_sheet: str | None = None,
    selection: str = "A1",
    book_name: str = "paxl.xlsx",
) -> dict:
    """The client JSON for a hand-described workbook.

    Args:
        sheets: sheet name → rows of cell values from A1 (dates as ``date``/``datetime``).
        tables: (sheet, table name, address incl. header) for each Excel table.
        names: defined name → (sheet, address).
        active_sheet: the active sheet (default: the first).
        selection: the selected cell or range on the active sheet, e.g. ``"B3"``.
    """
    order = list(sheets)
    width = {n: max((len(r) for r in rows), default=0) for n, rows in sheets.items()}
    by_sheet: dict[str, list[dict]] = {n: [] for n in order}
    for sheet, name, address in tables:
        r1, c1, _, c2 = cells.parse_address(address)
        rows = sheets[sheet]
        header = [
            rows[r1 - 1][c - 1] if c - 1 < len(rows[r1 - 1]) else "" for c in range(c1, c2 + 1)
        ]
        by_sheet[sheet].append(table_json(name, address, header))
    payload_sheets = [
        _sheet(
            n,
            [[json_value(v) for v in row] + [""] * (width[n] - len(row)) for row in sheets[n]],
            by_sheet[n],
        )
        for n in order
    ]
    return {
        "client": CLIENT,
        "version": _version(),
        "book": {
            "name": book_name,
            "active_sheet_index": order.index(active_sheet) if active_sheet else 0,
            "selection": selection,
        },
        "names": [name_json(n, order, s, a) for n, (s, a) in (names or {}).items()],
        "sheets": payload_sheets,
    }


def book_json_from_memory(workbook: MemoryWorkbook) -> dict:
    """The client JSON for a memory workbook: same sheets, tables, names and selection."""
    sheets = {name: workbook.values(name) for name in workbook.sheet_names()}
    tables = [
        (workbook.table_sheet(t), t, workbook.table_address(t)) for t in workbook.table_names()
    ]
    selection = workbook.selection()
    cell = (
        cells.range_address(selection.row, selection.column, selection.row, selection.column)
        if selection.row and selection.column
        else "A1"
    )
    return book_json(
        sheets,
        tables=tables,
        names=workbook.names(),
        active_sheet=selection.sheet or None,
        selection=cell,
        book_name=workbook.name,
    )


def book_json_from_xlsx(path: str | Path) -> dict:
    """The client JSON for an ``.xlsx`` file (cached values of formulas; names and tables).

    The file is only read (openpyxl, ``read_only=False`` because tables need it).
    """
    import openpyxl

    workbook = openpyxl.load_workbook(path, data_only=True)
    sheets: dict[str, list[list[object]]] = {}
    tables: list[tuple[str, str, str]] = []
    for ws in workbook.worksheets:
        rows = [list(r) for r in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
        sheets[ws.title] = rows
        for name, ref in ws.tables.items():  # openpyxl gives (name, "A1:C3") pairs
            tables.append((ws.title, name, ref))
    names = {}
    for name, defined in workbook.defined_names.items():
        destinations = list(defined.destinations)
        if len(destinations) == 1:
            sheet, address = destinations[0]
            names[name] = (sheet, address.replace("$", ""))
    active = workbook.active
    selection = "A1"
    views = active.sheet_view.selection if active is not None else []
    if views and views[0].activeCell:
        selection = views[0].activeCell
    return book_json(
        sheets,
        tables=tables,
        names=names,
        active_sheet=active.title if active is not None else None,
        selection=selection,
        book_name=Path(path).name,
    )


def remote_book(payload: Mapping | str | Path):
    """An ``xw.Book`` on xlwings' remote engine for client JSON (or an ``.xlsx`` path).

    Raises:
        RuntimeError: ``XLWINGS_LICENSE_KEY`` is not set (the remote engine is xlwings PRO).
    """
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise RuntimeError(
            "xlwings' remote engine needs XLWINGS_LICENSE_KEY (noncommercial for open-source "
            "development); deselect these tests with -m 'not xlwings_pro'"
        )
    import xlwings as xw

    if isinstance(payload, str | Path):
        payload = book_json_from_xlsx(payload)
    return xw.Book(json=copy.deepcopy(dict(payload)))


# --- a stand-in for the client: apply actions to the JSON ---------------------------------


def apply_actions(payload: Mapping, actions: Sequence[Mapping]) -> dict:
    """The client JSON after Excel ran ``actions`` (from ``book.json()["actions"]``).

    Number formats are kept per sheet under ``"_number_formats"`` (``"R,C"`` → format) — the
    real client does not send them; the key only lets tests check them and lets text-formatted
    cells keep text.

    Raises:
        ValueError: an action this stand-in does not know (add it here when paxl emits it).
    """
    state = copy.deepcopy(dict(payload))
    for action in actions:
        func = action["func"]
        handler = _HANDLERS.get(func)
        if handler is not None:
            handler(state, action)
        elif func in _COSMETIC:
            if func == "setNumberFormat":
                _record_format(state, action)
            elif func == "activateSheet":
                state["book"]["active_sheet_index"] = action["args"][0]
        else:
            raise ValueError(f"apply_actions does not know the action {func!r}")
    return state


def number_format(payload: Mapping, sheet: str, row: int, column: int) -> str | None:
    """The number format a test's actions gave a cell (see :func:`apply_actions`)."""
    target = _by_name(payload, sheet)
    return target.get("_number_formats", {}).get(f"{row},{column}")


def _by_name(payload: Mapping, name: str) -> dict:
    for sheet in payload["sheets"]:
        if sheet["name"].casefold() == name.casefold():
            return sheet
    raise KeyError(name)


def _grid(sheet: dict, rows: int, columns: int) -> list[list[object]]:
    values = sheet["values"]
    if values == [[]]:
        values = []
    width = max(columns, max((len(r) for r in values), default=0))
    for row in values:
        row.extend([""] * (width - len(row)))
    while len(values) < rows:
        values.append([""] * width)
    sheet["values"] = values
    return values


def _cells(action: Mapping):
    r0, c0 = action["start_row"], action["start_column"]
    for i in range(action["row_count"]):
        for j in range(action["column_count"]):
            yield i, j, r0 + i, c0 + j


def _set_values(state: dict, action: Mapping) -> None:
    sheet = state["sheets"][action["sheet_position"]]
    r0, c0 = action["start_row"], action["start_column"]
    grid = _grid(sheet, r0 + action["row_count"], c0 + action["column_count"])
    formats = sheet.get("_number_formats", {})
    for i, j, r, c in _cells(action):
        value = action["values"][i][j]
        grid[r][c] = _as_excel(value, formats.get(f"{r + 1},{c + 1}"))


def _as_excel(value: object, fmt: str | None) -> object:
    if value is None:
        return ""
    if not isinstance(value, str) or fmt == "@" or value == "":
        return value
    if _ISO_DATE.match(value):
        return dt.datetime.fromisoformat(value).isoformat(timespec="milliseconds") + "Z"
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _clear_contents(state: dict, action: Mapping) -> None:
    sheet = state["sheets"][action["sheet_position"]]
    grid = _grid(sheet, 0, 0)
    for _, _, r, c in _cells(action):
        if r < len(grid) and c < len(grid[r]):
            grid[r][c] = ""


def _record_format(state: dict, action: Mapping) -> None:
    sheet = state["sheets"][action["sheet_position"]]
    formats = sheet.setdefault("_number_formats", {})
    for _, _, r, c in _cells(action):
        formats[f"{r + 1},{c + 1}"] = action["args"][0]


def _resize_table(state: dict, action: Mapping) -> None:
    sheet = state["sheets"][action["sheet_position"]]
    index, address = action["args"]
    table = sheet["tables"][index]
    header = table["columns"]
    sheet["tables"][index] = {
        **table,
        **table_json(table["name"], address.replace("$", ""), header),
    }


def _add_table(state: dict, action: Mapping) -> None:
    sheet = state["sheets"][action["sheet_position"]]
    address, _has_headers, _style, name = action["args"]
    r1, c1, _, c2 = cells.parse_address(address)
    grid = _grid(sheet, r1, c2)
    header = [grid[r1 - 1][c - 1] for c in range(c1, c2 + 1)]
    sheet["tables"].append(table_json(name, address.replace("$", ""), header))


def _add_sheet(state: dict, action: Mapping) -> None:
    index, name = action["args"]
    state["sheets"].insert(index, _sheet(name, [[]], []))
    for entry in state.get("names", []):
        if entry.get("sheet_index") is not None and entry["sheet_index"] >= index:
            entry["sheet_index"] += 1
    if state["book"]["active_sheet_index"] >= index:
        state["book"]["active_sheet_index"] += 1


def _delete_sheet(state: dict, action: Mapping) -> None:
    index = action["sheet_position"]
    del state["sheets"][index]
    names = []
    for entry in state.get("names", []):
        if entry.get("sheet_index") == index:
            continue  # Excel turns these into #REF!; the client no longer sends them
        if entry.get("sheet_index") is not None and entry["sheet_index"] > index:
            entry["sheet_index"] -= 1
        names.append(entry)
    state["names"] = names
    active = state["book"]["active_sheet_index"]
    if active > index or active >= len(state["sheets"]):
        state["book"]["active_sheet_index"] = max(0, active - 1)


def _refers(state: dict, name: str, refers_to: str) -> dict:
    sheet, address = refers_to.lstrip("=").rsplit("!", 1)
    sheet = sheet.strip("'").replace("''", "'")
    order = [s["name"] for s in state["sheets"]]
    return name_json(name, order, sheet, address.replace("$", ""))


def _names_add(state: dict, action: Mapping) -> None:
    name, refers_to = action["args"]
    state.setdefault("names", []).append(_refers(state, name, refers_to))


def _set_refers_to(state: dict, action: Mapping) -> None:
    name, _book_scope, _scope, refers_to = action["args"]
    state["names"] = [
        _refers(state, name, refers_to) if entry["name"] == name else entry
        for entry in state["names"]
    ]


_HANDLERS = {
    "setValues": _set_values,
    "rangeClearContents": _clear_contents,
    "resizeTable": _resize_table,
    "addTable": _add_table,
    "addSheet": _add_sheet,
    "sheetDelete": _delete_sheet,
    "namesAdd": _names_add,
    "setNameRefersTo": _set_refers_to,
}
