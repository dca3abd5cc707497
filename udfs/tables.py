"""Whole Excel tables passed to a function (``Charges[#All]``) → the typed frames of the core.

The first row of the range is the header. Headers are matched to the schema's column names
ignoring case and spaces (``service date`` is ``ServiceDate``); columns the schema does not know
are ignored. Each needed column is converted column-wise exactly as the workbook loader converts
it (:func:`addin.workbook.convert.convert_column`, the same cell rules as
:func:`addin.workbook.frames.coerce`), and the frame is assembled with
:func:`addin.workbook.frames.frame_from_columns`, so the core sees the same typed values as from a
file. Blank rows are skipped; ``_sheet`` is the table's name and ``_row`` the row's position in
the range (the header being row 1), which is its sheet row when the table starts in row 1.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np
import pandas as pd

from addin.workbook.convert import convert_column
from addin.workbook.frames import frame_from_columns
from addin.workbook.schema import table as schema_table
from udfs.convert import ExcelArgumentError

__all__ = ["typed_table"]


def _key(header: object) -> str:
    return "".join(str(header).split()).casefold()


def _rows(value: object, name: str) -> Sequence[Sequence[object]]:
    if not isinstance(value, list | tuple) or not value or not isinstance(value[0], list | tuple):
        raise ExcelArgumentError(
            f"{name} is not a table; pass the whole table with its header row, e.g. "
            f"{name.capitalize()}[#All]"
        )
    return value  # type: ignore[return-value]


def _columns(
    body: Sequence[Sequence[object]], indexes: Sequence[int], name: str
) -> list[tuple[object, ...]]:
    """The cells of the given columns, column by column (one pass over the rows)."""
    if not body or not indexes:
        return [() for _ in indexes]
    pick = operator.itemgetter(*indexes)
    try:
        picked = map(pick, body) if len(indexes) > 1 else ((pick(r),) for r in body)
        return list(zip(*picked, strict=True))
    except (IndexError, TypeError):
        raise ExcelArgumentError(
            f"{name}: every row must have as many cells as the header"
        ) from None


def _objects(values: Sequence[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _blank_mask(column: np.ndarray) -> np.ndarray:
    return np.asarray((column == None) | (column == ""), dtype=bool)  # noqa: E711


def typed_table(
    value: object,
    name: str,
    schema_name: str,
    *,
    needed: Sequence[str],
    required: Sequence[str],
) -> pd.DataFrame:
    """The typed frame of a table passed with its header row.

    Args:
        value: the range's values, header first (a list of rows).
        name: the argument's name, for messages.
        schema_name: the schema table it holds (``"Charges"``).
        needed: the columns to read (others are left blank in the frame).
        required: the columns the header must have.

    Raises:
        ExcelArgumentError: not a table, a required column missing from the header, a column
            twice, or a cell that does not fit its column (names the table, row and column; the
            cell's value is not repeated).
    """
    schema = schema_table(schema_name)
    rows = _rows(value, name)
    header = {}
    for index, cell in enumerate(rows[0]):
        if cell is None or cell == "":
            continue
        key = _key(cell)
        if key in header:
            raise ExcelArgumentError(f"{name}: the header has {cell!r} twice; keep one")
        header[key] = index
    positions = {}
    for column_name in needed:
        index = header.get(_key(column_name))
        if index is None and column_name in required:
            raise ExcelArgumentError(
                f"{name} has no {column_name} column; pass the whole {schema_name} table with "
                f"its header row, e.g. {schema_name}[#All]"
            )
        if index is not None:
            positions[column_name] = index
    body = rows[1:]
    picked = _columns(body, list(positions.values()), name)
    columns = {c: _objects(cells) for c, cells in zip(positions, picked, strict=True)}
    filled = np.zeros(len(body), dtype=bool)
    for column_name in required:  # a row with no required value is a blank row
        filled |= ~_blank_mask(columns[column_name])
    keep = np.flatnonzero(filled)
    sheet_rows = keep + 2  # the header is row 1 of the range
    data: dict[str, object] = {}
    for column_name, cells in columns.items():
        column = schema.column(column_name)
        typed, problems = convert_column(column, cells[keep].tolist())
        if problems:
            first = problems[0]
            more = f" ({len(problems) - 1} more in this column)" if len(problems) > 1 else ""
            raise ExcelArgumentError(
                f"{schema_name} row {sheet_rows[first.index]}, {column_name}: {first.message} "
                f"{first.fix}{more}"
            )
        data[column_name] = typed
    frame = frame_from_columns(schema, data, sheet=schema_name, first_row=2, count=len(keep))
    frame["_row"] = sheet_rows.astype(np.int64)
    return frame
