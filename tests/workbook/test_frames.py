"""Typed frames assembled from converted columns: the same frame whichever way rows are placed."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from addin.workbook.frames import frame_from_columns, frame_from_sheet_rows
from addin.workbook.schema import table


def test_rows_from_several_sheets_keep_their_own_sheet_and_row():
    schema = table("Payments")
    data = {
        "PaymentID": ["PAY1", "PAY2", "PAY3"],
        "Date": [dt.datetime(2026, 3, 2), None, dt.datetime(2026, 3, 4)],
        "Amount": [1250, None, 7],
    }
    placed = frame_from_sheet_rows(
        schema, data, sheets=["Payments", "Payments", "Payments_2"], rows=[2, 5, 2]
    )
    expected = frame_from_columns(schema, data, sheet="Payments", first_row=2, count=3)
    expected["_sheet"] = pd.Series(["Payments", "Payments", "Payments_2"], dtype=object)
    expected["_row"] = pd.Series([2, 5, 2], dtype="int64")
    pd.testing.assert_frame_equal(placed, expected)
    assert list(placed.columns) == [*schema.column_names, "_sheet", "_row"]
