"""The xlwings adapter on a real ``xw.Book`` from xlwings' remote engine (no Excel needed).

The remote engine is how xlwings Server and Lite see a workbook: JSON in, actions out. These
tests are marked ``xlwings_pro`` (the engine is xlwings PRO code; CI runs them with
``XLWINGS_LICENSE_KEY=noncommercial``; deselect with ``-m 'not xlwings_pro'``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import pytest

from addin.workbook import cells
from addin.workbook.port import Block, Chart, SheetContent
from addin.workbook.remote_book import (
    apply_actions,
    book_json,
    book_json_from_memory,
    book_json_from_xlsx,
    json_value,
    number_format,
    remote_book,
)
from addin.workbook.write_plan import PlanRejected, WorkbookChanged, WritePlan, apply
from addin.workbook.xlwings_adapter import XlwingsWorkbook
from tests.workbook.contract import (
    NEW_PAYMENTS,
    READ,
    Harness,
    PortContract,
    posting,
    sample_workbook,
)

pytestmark = pytest.mark.xlwings_pro


class RemoteHarness(Harness):
    """The workbook as client JSON; each port is a fresh ``xw.Book`` on it, and the actions a
    port emitted are run (by :func:`apply_actions`) before the next port is handed out."""

    def __init__(self, workbook) -> None:
        self.payload = book_json_from_memory(workbook)
        self.book = None
        self.actions: list[dict] = []

    def commit(self) -> None:
        if self.book is not None:
            emitted = self.book.json()["actions"]
            self.payload = apply_actions(self.payload, emitted)
            self.actions.extend(emitted)
            self.book = None

    def port(self) -> XlwingsWorkbook:
        self.commit()
        self.book = remote_book(self.payload)
        return XlwingsWorkbook(self.book)

    def state(self) -> dict[str, object]:
        self.commit()
        return {
            "sheets": [(s["name"], s["values"], s["tables"]) for s in self.payload["sheets"]],
            "names": self.payload["names"],
        }

    def values(self, sheet: str) -> list[list[object]]:
        self.commit()
        book = remote_book(self.payload)
        used = book.sheets[sheet].used_range
        values = used.options(ndim=2).value
        while values and all(v is None for v in values[-1]):
            values.pop()
        width = max(
            (i + 1 for row in values for i, v in enumerate(row) if v is not None), default=0
        )
        return [row[:width] for row in values]

    def number_format(self, sheet: str, row: int, column: int) -> str | None:
        self.commit()
        return number_format(self.payload, sheet, row, column)

    def alerts(self) -> list[str]:
        self.commit()
        return [a["args"][0] for a in self.actions if a["func"] == "alert"]

    def type_row(self, table: str, values: Mapping[str, object]) -> None:
        """The rep types under the table: Excel writes the cells and grows the table."""
        self.commit()
        index, position, entry = next(
            (i, p, t)
            for i, sheet in enumerate(self.payload["sheets"])
            for p, t in enumerate(sheet["tables"])
            if t["name"] == table
        )
        grid = self.payload["sheets"][index]["values"]
        r1, c1, r2, c2 = cells.parse_address(entry["range_address"])
        row = r2 + 1
        for r in range(r2, r1, -1):  # the table's last blank rows are filled first
            line = grid[r - 1][c1 - 1 : c2] if r - 1 < len(grid) else []
            if any(v != "" for v in line):
                break
            row = r
        typed = [_typed_text(json_value(values.get(h))) for h in entry["columns"]]
        actions = [
            {
                "func": "setValues",
                "values": [typed],
                "sheet_position": index,
                "start_row": row - 1,
                "start_column": c1 - 1,
                "row_count": 1,
                "column_count": c2 - c1 + 1,
                "args": [None],
            }
        ]
        if row > r2:
            address = cells.range_address(r1, c1, row, c2)
            actions.insert(
                0, {"func": "resizeTable", "args": [position, address], "sheet_position": index}
            )
        self.payload = apply_actions(self.payload, actions)


def _typed_text(value: object) -> object:
    """A date typed by a rep arrives as a date, not as the client's ISO text."""
    if isinstance(value, str) and value.endswith("T00:00:00.000Z"):
        return value[:10]
    return value


class TestXlwingsRemotePort(PortContract):
    @pytest.fixture
    def make(self):
        return RemoteHarness


# --- what the adapter emits -----------------------------------------------------------------


def _port(workbook=None) -> XlwingsWorkbook:
    return XlwingsWorkbook(remote_book(book_json_from_memory(workbook or sample_workbook())))


def _actions(port: XlwingsWorkbook) -> list[dict]:
    return port.book.json()["actions"]


def _summary(actions: list[dict]) -> list[tuple]:
    return [
        (a["func"], a["sheet_position"], a["start_row"], a["start_column"], a["row_count"])
        for a in actions
    ]


def test_appending_resizes_the_table_then_formats_then_writes_the_new_rows():
    port = _port()
    plan = WritePlan().append("Payments", [posting("PAY3"), posting("PAY4")])
    apply(plan, port, port.snapshot(READ))
    actions = _actions(port)
    sheet = port.sheet_names().index("Payments")
    assert actions[0]["func"] == "resizeTable"
    assert actions[0]["args"] == [0, "$A$1:$K$5"]
    assert {a["func"] for a in actions[1:-1]} == {"setNumberFormat"}
    write = actions[-1]
    assert _summary([write]) == [("setValues", sheet, 3, 0, 2)]  # rows 4-5, from column A
    assert write["values"][0][:3] == ["PAY3", "2026-02-05", "P1001"]
    assert write["values"][0][8] == 10.0  # dollars, not cents
    assert write["values"][0][10] == "2026-02-05 09:30:00"


def test_log_rows_are_written_after_the_data_rows_and_alerts_last():
    port = _port()
    plan = (
        WritePlan()
        .alert("Posted 1 payment.")
        .audit(at=dt.datetime(2026, 2, 5), who="rep1", action="post_payments", rows=1)
        .append("Payments", [posting("PAY3")])
        .clear("NewPayments")
    )
    apply(plan, port, port.snapshot(READ))
    sheets = port.sheet_names()
    writes = [
        (sheets[a["sheet_position"]] if a["sheet_position"] is not None else None, a["func"])
        for a in _actions(port)
        if a["func"] in ("setValues", "rangeClearContents", "alert")
    ]
    assert writes == [
        ("Payments", "setValues"),
        ("NewPayments", "rangeClearContents"),
        ("Audit", "setValues"),
        (None, "alert"),
    ]


def test_clearing_a_staging_table_clears_its_body_and_shrinks_it_to_one_row():
    port = _port()
    apply(WritePlan().clear("NewPayments"), port, port.snapshot(READ))
    clear, resize = _actions(port)
    assert (clear["func"], clear["start_row"], clear["start_column"], clear["row_count"]) == (
        "rangeClearContents",
        3,
        1,
        2,
    )
    assert (resize["func"], resize["args"]) == ("resizeTable", [0, "$B$3:$H$4"])


def test_a_plan_that_fails_validation_emits_no_actions():
    port = _port()
    plan = (
        WritePlan()
        .append("Payments", [posting("PAY1")])  # PAY1 exists
        .clear("NewPayments")
        .write_sheet(SheetContent("Voucher"))
        .alert("done")
    )
    with pytest.raises(PlanRejected):
        apply(plan, port, port.snapshot(READ))
    assert _actions(port) == []


def test_a_changed_workbook_emits_no_actions():
    before = sample_workbook()
    snapshot = _port(before).snapshot(READ)
    before.type_row("Payments", {"PaymentID": "PAY9", "Amount": 3})
    port = _port(before)
    with pytest.raises(WorkbookChanged):
        apply(WritePlan().append("Payments", [posting("PAY3")]), port, snapshot)
    assert _actions(port) == []


def test_replacing_an_output_sheet_deletes_it_and_adds_it_back_in_its_place():
    workbook = sample_workbook()
    workbook.write_sheet(SheetContent("Voucher"))
    workbook.write_sheet(SheetContent("Notes"))
    port = _port(workbook)
    position = port.sheet_names().index("Voucher")
    port.write_sheet(SheetContent("Voucher", blocks=(Block(1, 1, (("new",),)),)))
    delete, add, write, activate = _actions(port)
    assert (delete["func"], delete["sheet_position"]) == ("sheetDelete", position)
    assert (add["func"], add["args"]) == ("addSheet", [position, "Voucher"])
    assert (write["func"], write["sheet_position"], write["values"]) == (
        "setValues",
        position,
        [["new"]],
    )
    assert activate["func"] == "activateSheet"


def test_a_block_gets_its_formats_bold_and_fill():
    port = _port()
    block = Block(
        2, 1, (("Due", Decimal("35.10")),), bold=True, fill="#DDEBF7", column_formats=(None, "0.00")
    )
    port.write_sheet(SheetContent("Voucher", blocks=(block,), activate=False))
    funcs = [(a["func"], a["args"]) for a in _actions(port)][1:]
    assert funcs == [
        ("setNumberFormat", ["0.00"]),
        ("setValues", [None]),
        ("setFontProperty", ["bold", True]),
        ("setRangeColor", ["#DDEBF7"]),
    ]


def test_column_widths_are_desktop_only_and_charts_are_added_where_supported():
    port = _port()
    content = SheetContent(
        "Aging",
        blocks=(Block(1, 1, (("Bucket", "Amount"), ("0-30", 10))),),
        column_widths=((1, 14),),
        charts=(Chart(source=(1, 1, 2, 2), anchor=(1, 4), title="A/R aging"),),
        activate=False,
    )
    port.write_sheet(content)
    funcs = [a["func"] for a in _actions(port)]
    assert "setColumnWidth" not in funcs
    assert funcs[-2:] == ["addChart", "setChartTitle"]


def test_a_name_is_added_as_an_absolute_reference():
    port = _port()
    port.set_name("bill_amount_due", "Accounts", "B4")
    (action,) = _actions(port)
    assert (action["func"], action["args"]) == ("namesAdd", ["bill_amount_due", "='Accounts'!$B$4"])


def test_an_alert_goes_to_the_client():
    port = _port()
    port.alert("Posted 2 payments.", "Post payments")
    (action,) = _actions(port)
    assert (action["func"], action["args"][:2]) == (
        "alert",
        ["Posted 2 payments.", "Post payments"],
    )


# --- building the remote book --------------------------------------------------------------


def test_the_remote_book_needs_a_licence_key(monkeypatch):
    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    with pytest.raises(RuntimeError, match="XLWINGS_LICENSE_KEY"):
        remote_book(book_json({"Sheet1": [["a"]]}))


def test_a_hand_described_book_reads_its_tables_names_and_selection():
    payload = book_json(
        {
            "Patients": [
                ["PatientID", "LastName", "FirstName", "DOB", "AccountStatus"],
                ["P1", "Rivera", "Sam", dt.date(1980, 4, 2), "Active"],
            ],
            "Policy": [["Due days", 10]],
        },
        tables=[("Patients", "Patients", "A1:E2")],
        names={"due_days": ("Policy", "B1")},
        active_sheet="Patients",
        selection="C2",
    )
    port = XlwingsWorkbook(remote_book(payload))
    frame = port.read_table("Patients").frame
    assert frame["DOB"].tolist() == [dt.datetime(1980, 4, 2)]
    assert port.name_values(["due_days", "nope"]) == {"due_days": 10}
    assert port.selection().record["PatientID"] == "P1"


def test_an_xlsx_file_becomes_the_json_the_client_would_send(tmp_path):
    import xlsxwriter

    path = tmp_path / "accounts.xlsx"
    with xlsxwriter.Workbook(path) as workbook:
        dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet = workbook.add_worksheet("Payments")
        sheet.add_table(
            "A1:C3",
            {
                "name": "Payments",
                "columns": [{"header": "PaymentID"}, {"header": "Date"}, {"header": "Amount"}],
            },
        )
        sheet.write_row(1, 0, ["PAY1"])
        sheet.write_datetime(1, 1, dt.datetime(2026, 1, 20), dates)
        sheet.write_number(1, 2, 40.0)
        sheet.write_row(2, 0, ["PAY2"])
        sheet.write_datetime(2, 1, dt.datetime(2026, 1, 22), dates)
        sheet.write_number(2, 2, 25.5)
        policy = workbook.add_worksheet("Policy")
        policy.write_row(0, 0, ["Due days", 14])
        workbook.define_name("due_days", "=Policy!$B$1")
        policy.activate()
        policy.set_selection("B1")
    payload = book_json_from_xlsx(path)
    assert payload["book"] == {"name": "accounts.xlsx", "active_sheet_index": 1, "selection": "B1"}
    (table,) = payload["sheets"][0]["tables"]
    assert (table["name"], table["range_address"], table["data_body_range_address"]) == (
        "Payments",
        "A1:C3",
        "A2:C3",
    )
    assert payload["sheets"][0]["values"][1] == ["PAY1", "2026-01-20T00:00:00.000Z", 40]
    port = XlwingsWorkbook(remote_book(path))
    amounts = port.read_table("Payments").frame["Amount"].tolist()
    assert amounts == [4000, 2550]
    assert port.name_values(["due_days"]) == {"due_days": 14}


def test_the_stand_in_client_refuses_actions_it_does_not_know():
    with pytest.raises(ValueError, match="does not know the action 'deleteTableRow'"):
        apply_actions(book_json({"S": [["a"]]}), [{"func": "deleteTableRow", "args": [0, 0]}])


def test_the_stand_in_client_turns_numeric_text_into_numbers_unless_formatted_as_text():
    payload = book_json({"S": [["", ""]]})
    base = {"sheet_position": 0, "start_row": 0, "row_count": 1, "column_count": 1}
    actions = [
        {**base, "func": "setNumberFormat", "args": ["@"], "start_column": 0},
        {**base, "func": "setValues", "values": [["01002"]], "start_column": 0},
        {**base, "func": "setValues", "values": [["01002"]], "start_column": 1},
    ]
    assert apply_actions(payload, actions)["sheets"][0]["values"] == [["01002", 1002]]


def test_staging_rows_read_from_the_remote_book_can_be_posted():
    port = _port()
    snapshot = port.snapshot(READ)
    staged = snapshot[NEW_PAYMENTS.name]
    assert staged["Amount"].tolist() == [6000, 11240]


def test_a_template_workbook_reads_through_the_remote_book_as_the_file_loader_reads_it(
    tmp_path, records
):
    from addin.workbook.loader import read_book
    from addin.workbook.schema import TABLES
    from addin.workbook.template import write_workbook

    path = tmp_path / "accounts.xlsx"
    write_workbook(path, records, policy={"due_days": 14})
    port = XlwingsWorkbook(remote_book(path))
    snapshot = port.snapshot([t.name for t in TABLES])
    loaded, _ = read_book(path)
    assert [f for f in snapshot.findings if f.severity == "error"] == []
    assert snapshot.book.policy == loaded.policy
    for schema in TABLES:
        ours, theirs = snapshot[schema.name], loaded[schema.name]
        assert ours.to_dict("records") == theirs.to_dict("records"), schema.name
    plan = WritePlan().append("Payments", [posting("PAY003", "P001")])
    apply(plan, port, snapshot)
    write = _actions(port)[-1]
    assert (write["func"], write["start_row"], write["values"][0][0]) == ("setValues", 3, "PAY003")


def test_a_shape_selected_instead_of_a_cell_is_no_selection():
    payload = book_json({"Patients": [["PatientID"], ["P1"]]})
    payload["book"]["selection"] = None  # what Office.js sends when a shape is selected
    selection = XlwingsWorkbook(remote_book(payload)).selection()
    assert (selection.sheet, selection.row, selection.record) == ("Patients", None, {})
