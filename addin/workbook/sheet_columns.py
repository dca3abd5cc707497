"""A table sheet read column by column: fastexcel (calamine into Arrow) → numpy.

python-calamine hands the loader every cell as a Python object, row by row. fastexcel runs the
same calamine parser but keeps each column typed (Arrow), so a 10,000-patient workbook's tables
are read in about half the time and a column of amounts or dates never becomes Python objects.

It is used only where the result is the same, cell for cell, as python-calamine's
(:meth:`addin.workbook.xlsx_file.XlsxFile.rows`):

* the sheet's first row holds a value, so calamine's cell range starts at row 1 and the row
  numbers the loader reports are right; every cell of that row is one of the table's column
  names, so it is the header the loader would find, and fastexcel made no name up;
* every column holds one kind of cell besides blanks — text, numbers, dates or TRUE/FALSE
  (fastexcel's ``dtype_coercion="strict"`` refuses a mix);
* the workbook counts dates from 1900 and no date cell lies before 1900-03-01 (python-calamine
  reads serial numbers below 1 as times of day, and calamine's early-1900 dates follow Excel's
  leap-year bug).

Anything else gives ``None``, and the loader reads that sheet with python-calamine as before.
Without fastexcel and pyarrow (xlwings Lite, in the browser), every sheet gives ``None``.

Columns come back in python-calamine's conventions (``""`` for blank cells, ``float`` numbers,
``date`` for a date at midnight and ``datetime`` otherwise), except two kinds that stay numpy
arrays: numbers as ``float64`` (NaN for blank) and dates as ``datetime64[ms]`` (NaT for blank);
:func:`as_cells` turns those into cells when a column needs them.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: the first date fastexcel's dates are trusted from (below it python-calamine reads times)
FIRST_DATE = np.datetime64("1900-03-01", "ms")
#: how much of a sheet's XML is searched for its first row
_HEAD_BYTES = 1 << 16
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
_ROW_NUMBER = re.compile(rb"\br=\"(\d+)\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_DAY_MS = 86_400_000
_EPOCH = dt.datetime(1970, 1, 1)
#: NaT as the int64 numpy stores it
_NAT = int(np.datetime64("NaT", "ms").astype(np.int64))


@dataclass(frozen=True)
class SheetColumns:
    """A sheet read column-wise: its header (row 1) and one column of data rows per name."""

    header: tuple[str, ...]
    #: per header name, the cells of rows 2, 3, ...: a list, or a float64/datetime64 array
    columns: tuple[Sequence[object], ...]
    height: int


class ColumnReader:
    """Reads table sheets of one workbook column-wise (see the module notes)."""

    def __init__(
        self, reader: object, package: zipfile.ZipFile, parts: dict[str, str], arrow: object
    ) -> None:
        self._reader = reader
        self._package = package
        self._parts = parts
        self._arrow = arrow

    def read(self, sheet: str, names: Sequence[str]) -> SheetColumns | None:
        """The sheet's columns, or ``None`` when only python-calamine reads it exactly.

        Args:
            sheet: the sheet's name as the workbook spells it.
            names: the table's column names; the header must consist of them (any case,
                spaces around).
        """
        part = self._parts.get(sheet)
        if part is None or not _first_row_is_row_one(self._package, part):
            return None
        wanted = {name.casefold() for name in names}
        try:
            loaded = self._reader.load_sheet(  # type: ignore[attr-defined]
                sheet, header_row=0, dtype_coercion="strict", schema_sample_rows=None
            )
            header = tuple(column.name for column in loaded.available_columns())
            if not header or any(name.strip().casefold() not in wanted for name in header):
                return None
            batch = loaded.to_arrow()
        except Exception:  # fastexcel's own errors: mixed kinds in a column, a damaged sheet
            return None
        columns = []
        for array in batch.columns:
            column = _column(array, self._arrow)
            if column is None:
                return None
            columns.append(column)
        return SheetColumns(header, tuple(columns), batch.num_rows)

    def close(self) -> None:
        self._package.close()


def open_column_reader(source: Path | io.BytesIO) -> ColumnReader | None:
    """A column reader for a workbook (a path, or the bytes of a decrypted one); ``None`` when
    fastexcel or pyarrow is not installed, the workbook counts dates from 1904, or its sheets
    cannot be located."""
    try:
        import fastexcel
        import pyarrow
        import pyarrow.compute  # pyarrow.compute.fill_null
    except ImportError:
        return None
    # fastexcel logs a warning for a column with no cells ("falling back to string"): that is
    # a blank column here, read as blanks, not something a rep should see
    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    try:
        if isinstance(source, io.BytesIO):
            data = source.getvalue()
            package = zipfile.ZipFile(io.BytesIO(data))
        else:
            data = None
            package = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile):
        return None
    try:
        parts = _sheet_parts(package)
        if parts is None:
            package.close()
            return None
        reader = fastexcel.read_excel(data if data is not None else str(source))
    except Exception:  # a workbook fastexcel cannot open is left to python-calamine
        package.close()
        return None
    return ColumnReader(reader, package, parts, pyarrow)


def as_cells(values: Sequence[object]) -> list[object]:
    """Cells in python-calamine's conventions, from a column :class:`SheetColumns` holds."""
    if not isinstance(values, np.ndarray):
        return list(values)
    if values.dtype.kind == "f":
        return ["" if v != v else v for v in values.tolist()]
    cells: list[object] = []
    for ms in values.astype("datetime64[ms]").astype(np.int64).tolist():
        if ms == _NAT:
            cells.append("")
            continue
        moment = _EPOCH + dt.timedelta(milliseconds=ms)
        cells.append(moment.date() if ms % _DAY_MS == 0 else moment)
    return cells


def _column(array: object, pa: object) -> Sequence[object] | None:
    """One Arrow column → cells (see the module notes); ``None`` for a kind python-calamine
    would read otherwise (times, durations) or that fastexcel is not expected to give.
    ``pa`` is the pyarrow module (imported only where it is installed)."""
    kind = array.type  # type: ignore[attr-defined]
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pa.compute.fill_null(array, "").to_numpy(zero_copy_only=False).tolist()
    if pa.types.is_floating(kind):
        return array.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)  # type: ignore[attr-defined]
    if pa.types.is_timestamp(kind) and kind.tz is None:
        moments = array.cast(pa.timestamp("ms")).to_numpy(zero_copy_only=False)  # type: ignore[attr-defined]
        present = moments[~np.isnat(moments)]
        if present.size and present.min() < FIRST_DATE:
            return None
        return moments.astype("datetime64[ms]", copy=False)
    if pa.types.is_boolean(kind):
        return ["" if v is None else v for v in array.to_pylist()]  # type: ignore[attr-defined]
    if pa.types.is_null(kind):
        return [""] * len(array)  # type: ignore[arg-type]
    return None


def _first_row_is_row_one(package: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet's first row in the file is row 1 and holds a cell with a value."""
    try:
        with package.open(part) as stream:
            head = stream.read(_HEAD_BYTES)
    except (KeyError, OSError, zipfile.BadZipFile):
        return False
    start = _SHEET_DATA.search(head)
    row = _ROW_TAG.search(head, start.end()) if start else None
    if row is None or row[1].endswith(b"/"):  # no rows, or an empty <row r="1" .../>
        return False
    number = _ROW_NUMBER.search(row[1])
    end = _ROW_END.search(head, row.end())
    if number is None or number[1] != b"1" or end is None:
        return False
    return _VALUE.search(head, row.end(), end.start()) is not None


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str] | None:
    """Sheet name → its XML part (``xl/worksheets/sheet3.xml``); ``None`` for a 1904 workbook
    or one whose parts cannot be read."""
    from xml.etree import ElementTree

    try:
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    properties = workbook.find(f"{_MAIN}workbookPr")
    if properties is not None and properties.get("date1904", "0").lower() in ("1", "true"):
        return None
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations.iter(_PACKAGE_REL)}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_OFFICE_REL))
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[sheet.get("name", "")] = path
    return parts
