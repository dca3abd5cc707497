"""Running macros on a real ``xw.Book`` from xlwings' remote engine (xlwings Server/Lite's view).

A sample workbook (:func:`addin.workbook.sample.generate_sample` written by
:func:`addin.workbook.template.write_workbook`) becomes the client JSON; a macro runs on an
``xw.Book`` built from it, and the actions it queued are what Excel would run. The tests then
apply them (:func:`addin.workbook.remote_book.apply_actions`) and read the result back through
the xlwings adapter.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from addin.workbook import cells
from addin.workbook.remote_book import apply_actions, json_value, remote_book, table_json
from addin.workbook.xlwings_adapter import XlwingsWorkbook
from macros.payments import NEW_PAYMENTS
from macros.runner import Body, Result, run_on_book
from tests.macros.practice import NOW, USER

#: actions that change cell values or tables (an alert, a format or a chart does not)
WRITES = frozenset(
    {"setValues", "rangeClearContents", "resizeTable", "addTable", "addSheet", "sheetDelete"}
)


@dataclass(frozen=True)
class Run:
    """One click: what the macro returned, the actions it queued, the workbook afterwards."""

    result: Result
    actions: list[dict]
    before: dict
    after: dict

    def writes(self) -> list[tuple[str, str]]:
        """(action, sheet name) for every action that writes, following the sheets the
        actions add and delete (``sheet_position`` is the position when the action runs)."""
        names = [s["name"] for s in self.before["sheets"]]
        writes = []
        for action in self.actions:
            func = action["func"]
            if func == "addSheet":
                index, name = action["args"]
                names.insert(index, name)
                writes.append((func, name))
                continue
            position = action.get("sheet_position")
            sheet = names[position] if isinstance(position, int) else ""
            if func == "sheetDelete":
                del names[position]
            if func in WRITES:
                writes.append((func, sheet))
        return writes

    def alerts(self) -> list[str]:
        return [a["args"][0] for a in self.actions if a["func"] == "alert"]


def click(body: Body, payload: Mapping, *, now: dt.datetime = NOW) -> Run:
    """Run ``body`` on a remote book of ``payload`` as the rep ``USER`` at ``now``."""
    book = remote_book(payload)
    result = run_on_book(body, book, now=now, user=USER)
    actions = book.json()["actions"]
    return Run(result, actions, dict(payload), apply_actions(payload, actions))


def port(payload: Mapping) -> XlwingsWorkbook:
    """A port on the workbook as the payload describes it (to read it back)."""
    return XlwingsWorkbook(remote_book(payload))


def with_staging(payload: Mapping, rows: Sequence[Mapping[str, object]]) -> dict:
    """The payload with ``rows`` typed into the ``NewPayments`` staging table: the template's
    own sheet when the workbook has one (header in row 1), else a sheet added at the end."""
    state = copy.deepcopy(dict(payload))
    header = list(NEW_PAYMENTS.column_names)
    body = [[json_value(row.get(h)) for h in header] for row in rows] or [[""] * len(header)]
    values = [header, *body]
    address = cells.range_address(1, 1, len(values), len(header))
    table = table_json(NEW_PAYMENTS.name, address, header)
    sheet = next((s for s in state["sheets"] if s["name"] == NEW_PAYMENTS.name), None)
    if sheet is None:
        template = next(s for s in state["sheets"] if s["name"] == "Payments")
        sheet = {**copy.deepcopy(template), "name": NEW_PAYMENTS.name}
        state["sheets"].append(sheet)
    sheet["values"] = values
    sheet["tables"] = [table]
    return state


def select(payload: Mapping, sheet: str, row: int, column: int = 1) -> dict:
    """The payload with ``sheet`` active and the cursor at (row, column)."""
    state = copy.deepcopy(dict(payload))
    names = [s["name"] for s in state["sheets"]]
    state["book"]["active_sheet_index"] = names.index(sheet)
    state["book"]["selection"] = cells.range_address(row, column, row, column)
    return state


def row_of(payload: Mapping, sheet: str, first_cell: object) -> int:
    """The Excel row whose first cell is ``first_cell`` on ``sheet``."""
    values = next(s for s in payload["sheets"] if s["name"] == sheet)["values"]
    for number, row in enumerate(values, start=1):
        if row and row[0] == first_cell:
            return number
    raise KeyError(first_cell)


__all__ = ["USER", "Run", "click", "port", "row_of", "select", "with_staging"]
