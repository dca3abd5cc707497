"""The template is the schema made into a workbook: tables, formats, drop-downs, names, layout."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from addin.cli import main
from addin.core.money import to_decimal
from addin.errors import PaxlError
from addin.workbook import bill_layout
from addin.workbook.loader import read_book
from addin.workbook.schema import (
    BILL_FIELDS,
    POLICY_TABLES,
    SETTINGS,
    TABLES,
    ColumnType,
)
from addin.workbook.staging import STAGING_TABLES
from addin.workbook.template import (
    MIN_VALIDATION_ROWS,
    NUMBER_FORMATS,
    TEMPLATE_NAME,
    write_workbook,
)
from tests.conftest import good_records
from udfs.balances import pa_balance

COMMITTED = Path(__file__).resolve().parents[2] / "workbooks" / "templates" / TEMPLATE_NAME


@pytest.fixture(scope="module")
def template_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / TEMPLATE_NAME
    write_workbook(path)
    return path


@pytest.fixture(scope="module")
def book(template_path):
    return openpyxl.load_workbook(template_path)


def _cell(book, reference: str):
    sheet, address = reference.split("!")
    return book[sheet.strip("'")][address.replace("$", "")]


def test_home_and_balances_come_first_then_one_sheet_per_table_then_policy_and_bill(book):
    staging = [t.name for t in STAGING_TABLES]
    tables = [t.name for t in TABLES]
    expected = ["Home", "Balances", *tables, *staging, "Policy", "BillTemplate"]
    assert book.sheetnames == expected
    assert book.active.title == "Home"


def test_every_schema_table_is_an_excel_table_with_exactly_its_columns_in_order(book):
    for schema in TABLES:
        sheet = book[schema.name]
        assert list(sheet.tables) == [schema.name]
        table = sheet.tables[schema.name]
        min_col, min_row, max_col, _ = range_boundaries(table.ref)
        assert (min_col, min_row) == (1, 1), schema.name
        assert [c.name for c in table.tableColumns] == list(schema.column_names)
        header = [sheet.cell(1, col).value for col in range(min_col, max_col + 1)]
        assert header == list(schema.column_names)


def test_staging_tables_are_empty_excel_tables_on_their_own_sheets(book):
    for schema in STAGING_TABLES:
        sheet = book[schema.name]
        assert list(sheet.tables) == [schema.name]
        assert (
            sheet.tables[schema.name].ref
            == f"A1:{sheet.cell(1, len(schema.columns)).column_letter}2"
        )
        assert [sheet.cell(1, c).value for c in range(1, len(schema.columns) + 1)] == list(
            schema.column_names
        )
        assert all(sheet.cell(2, c).value is None for c in range(1, len(schema.columns) + 1))


def test_an_empty_table_keeps_one_completely_blank_data_row(book):
    for schema in TABLES:
        sheet = book[schema.name]
        _, _, max_col, max_row = range_boundaries(sheet.tables[schema.name].ref)
        assert max_row == 2, schema.name
        assert all(sheet.cell(2, col).value is None for col in range(1, max_col + 1))


def test_the_header_row_is_frozen_on_every_table_sheet(book):
    for schema in TABLES:
        assert book[schema.name].freeze_panes == "A2", schema.name


def test_every_enum_column_has_a_drop_down_with_its_choices(book):
    for schema in TABLES:
        validations = {}
        for dv in book[schema.name].data_validations.dataValidation:
            min_col, min_row, _, max_row = range_boundaries(str(dv.sqref))
            validations[min_col] = (dv.type, dv.formula1, min_row, max_row)
        for index, column in enumerate(schema.columns, 1):
            if not column.is_enum:
                assert index not in validations, (schema.name, column.name)
                continue
            kind, formula, first, last = validations[index]
            assert kind == "list"
            assert formula == '"' + ",".join(column.choices) + '"', (schema.name, column.name)
            assert first == 2
            assert last >= MIN_VALIDATION_ROWS


def _column_dimension(sheet, index: int):
    """The <col> entry covering a column (the writer groups equal neighbours into one)."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min <= index <= dimension.max:
            return dimension
    raise AssertionError(f"no width set for column {index} of {sheet.title}")


def test_column_widths_and_number_formats_come_from_the_schema(book):
    for schema in TABLES:
        sheet = book[schema.name]
        for index, column in enumerate(schema.columns, 1):
            dimension = _column_dimension(sheet, index)
            where = (schema.name, column.name)
            assert dimension.width >= column.width, where
            assert dimension.number_format == NUMBER_FORMATS[column.type], where


def test_money_is_in_accounting_format_and_rates_are_percent():
    assert "#,##0.00" in NUMBER_FORMATS[ColumnType.MONEY]
    assert NUMBER_FORMATS[ColumnType.MONEY].startswith("_(")
    assert NUMBER_FORMATS[ColumnType.RATE] == "0.00%"
    assert NUMBER_FORMATS[ColumnType.DATE] == "yyyy-mm-dd"


def test_every_setting_is_a_defined_name_on_the_policy_sheet_holding_its_default(book):
    for setting in SETTINGS:
        name = book.defined_names[setting.name]
        assert re.fullmatch(r"Policy!\$B\$\d+", name.attr_text), setting.name
        value = _cell(book, name.attr_text).value
        if setting.type in (ColumnType.MONEY, ColumnType.RATE):
            assert to_decimal(value) == setting.default, setting.name
        else:
            assert value == setting.default, setting.name
            assert type(value) is type(setting.default), setting.name


def test_policy_tables_are_excel_tables_with_their_default_rows(book):
    sheet = book["Policy"]
    for pt in POLICY_TABLES:
        table = sheet.tables[pt.name]
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        assert [c.name for c in table.tableColumns] == [c.name for c in pt.columns]
        rows = [
            tuple(sheet.cell(r, c).value for c in range(min_col, max_col + 1))
            for r in range(min_row + 1, max_row + 1)
        ]
        expected = [tuple(int(v) if isinstance(v, int) else v for v in row) for row in pt.rows]
        assert [tuple(to_decimal(v) for v in row) for row in rows] == [
            tuple(to_decimal(v) for v in row) for row in expected
        ]


def test_policy_overrides_replace_the_defaults(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(path, policy={"due_days": 14, "practice_name": "Lakeside Clinic"})
    book = openpyxl.load_workbook(path)
    assert _cell(book, book.defined_names["due_days"].attr_text).value == 14
    assert _cell(book, book.defined_names["practice_name"].attr_text).value == "Lakeside Clinic"


def test_every_bill_field_is_a_defined_name_at_its_layout_cell(book):
    assert set(bill_layout.BILL_LAYOUT) == set(BILL_FIELDS)
    placeholders = bill_layout.placeholders()
    for field in BILL_FIELDS:
        row, col = bill_layout.BILL_LAYOUT[field]
        address = openpyxl.utils.get_column_letter(col + 1) + str(row + 1)
        reference = book.defined_names[field].attr_text
        assert reference.replace("$", "") == f"BillTemplate!{address}", field
        assert _cell(book, reference).value == placeholders[field], field


def test_bill_lines_header_has_the_statement_columns(book):
    row, col = bill_layout.BILL_LAYOUT["bill_lines"]
    sheet = book["BillTemplate"]
    headers = [sheet.cell(row + 1, col + 1 + i).value for i in range(len(bill_layout.LINE_COLUMNS))]
    assert headers == [
        "Service date",
        "Code",
        "Description",
        "Charge",
        "Insurance paid",
        "Adjustments",
        "Paid by you",
        "You owe",
    ]
    totals_row, totals_col = bill_layout.BILL_LAYOUT["bill_totals"]
    assert totals_row > row + bill_layout.LINES_CAPACITY
    assert bill_layout.LINE_COLUMNS[totals_col].header == "Charge"


def test_bill_template_prints_on_one_page_width_in_portrait(book):
    sheet = book["BillTemplate"]
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the file format's default
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_area == f"'BillTemplate'!$A$1:$H${bill_layout.LAST_ROW + 1}"


def test_fields_below_the_lines_move_down_on_a_long_bill():
    assert bill_layout.field_cell("bill_account", 40) == bill_layout.BILL_LAYOUT["bill_account"]
    row, col = bill_layout.BILL_LAYOUT["bill_slip_enclosed"]
    extra = 40 - bill_layout.LINES_CAPACITY
    assert bill_layout.field_cell("bill_slip_enclosed", 40) == (row + extra, col)


def test_a_bill_with_more_lines_than_the_template_holds_pushes_the_slip_down(tmp_path):
    path = tmp_path / "bill.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Bill")
    count = bill_layout.LINES_CAPACITY + 3
    money = Decimal("10.00")
    lines = [
        (dt.date(2026, 3, 1 + i), "99213", f"Visit {i + 1}", money, money, money, money, money)
        for i in range(count)
    ]
    values = {"bill_account": "P000001", "bill_amount_due": Decimal("123.45")}
    bill_layout.write_bill(sheet, bill_layout.bill_formats(workbook), values, lines, [money] * 5)
    workbook.close()
    ws = openpyxl.load_workbook(path)["Bill"]
    header_row, _ = bill_layout.BILL_LAYOUT["bill_lines"]
    assert ws.cell(header_row + 1 + count, 3).value == f"Visit {count}"
    assert ws.cell(header_row + 1 + count, 1).value == dt.datetime(2026, 3, count)
    totals_row, totals_col = bill_layout.field_cell("bill_totals", count)
    assert ws.cell(totals_row + 1, totals_col + 1).value == 10
    account_row, account_col = bill_layout.field_cell("bill_account")
    assert ws.cell(account_row + 1, account_col + 1).value == "P000001"
    due_row, due_col = bill_layout.field_cell("bill_amount_due")
    assert ws.cell(due_row + 1, due_col + 1).value == 123.45
    slip_row, _ = bill_layout.field_cell("bill_slip_enclosed", count)
    assert ws.print_area == f"'Bill'!$A$1:$H${bill_layout.LAST_ROW + 3 + 1}"
    assert slip_row == bill_layout.BILL_LAYOUT["bill_slip_enclosed"][0] + 3


def test_home_sheet_explains_every_sheet_and_warns_about_patient_data(book):
    text = " ".join(
        str(cell.value) for row in book["Home"].iter_rows() for cell in row if cell.value
    )
    for schema in (*TABLES, *STAGING_TABLES):
        assert schema.name in text
        assert schema.help in text
    assert "patient health information" in text
    assert "amounts positive" in text.lower()


def _formula(cell) -> str:
    value = cell.value
    return getattr(value, "text", value)


def _arguments(call: str) -> list[str]:
    """The top-level arguments of ``NAME(a,b(c,d),,e)``."""
    inner = call[call.index("(") + 1 : call.rindex(")")]
    parts, depth, current = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        current += ch
    return [*parts, current]


def test_balances_has_one_spilling_formula_per_column(book):
    sheet = book["Balances"]
    assert [sheet.cell(4, c).value for c in range(1, 5)] == [
        "PatientID",
        "Name",
        "Guarantor",
        "Balance",
    ]
    for col in range(1, 5):
        cell = sheet.cell(5, col)
        assert isinstance(cell.value, ArrayFormula), cell.coordinate
        assert cell.value.ref == cell.coordinate  # one cell: Excel spills it (dynamic array)
        assert sheet.cell(6, col).value is None
    assert _formula(sheet["A5"]) == (
        '=_xlfn._xlws.FILTER(Patients[PatientID],Patients[PatientID]<>"","")'
    )
    assert sheet["D5"].number_format == NUMBER_FORMATS[ColumnType.MONEY]


def test_the_balance_formula_passes_pa_balance_its_arguments_in_order(book):
    formula = _formula(book["Balances"]["D5"])
    call = formula[formula.index("PA_BALANCE(") : -1]
    arguments = dict(zip(inspect.signature(pa_balance).parameters, _arguments(call), strict=True))
    assert arguments == {
        "patient_ids": "_xlfn.ANCHORARRAY(A5)",  # the spilled PatientIDs, A5#
        "charges": "Charges[#All]",
        "payments": "Payments[#All]",
        "adjustments": "Adjustments[#All]",
        "as_of": "",
        "patients": "Patients[#All]",
    }


def test_the_loader_ignores_the_balances_sheet(template_path, tmp_path):
    book, findings = read_book(template_path)
    assert findings == []
    assert "Balances" not in book.tables
    filled = tmp_path / "filled.xlsx"
    write_workbook(filled, good_records())
    book, findings = read_book(filled)
    assert findings == []
    assert len(book["Patients"]) == len(good_records()["Patients"])


def test_home_describes_the_balances_sheet_and_what_its_formulas_need(book):
    text = " ".join(
        str(cell.value) for row in book["Home"].iter_rows() for cell in row if cell.value
    )
    assert "Balances" in text and "PA_BALANCE" in text and "Import Functions" in text
    assert "Import Functions" in book["Balances"]["A2"].value


def test_records_round_trip_through_the_file(tmp_path):
    path = tmp_path / "book.xlsx"
    records = {
        "Patients": [
            {
                "PatientID": "P000001",
                "LastName": "O'Brien",
                "FirstName": "Ann",
                "DOB": dt.date(1980, 2, 29),
                "ZIP": "02118",
                "HouseholdSize": 3,
                "MonthlyIncome": Decimal("4321.09"),
                "AccountStatus": "Active",
            }
        ],
        "Plans": [
            {
                "PlanID": "PPO",
                "Payer": "Summit",
                "PlanType": "Commercial",
                "Coinsurance": "20%",
            }
        ],
        "Fees": [{"Code": "99213", "Charge": "150.00", "DeductibleApplies": False}],
        "Payments": [
            {
                "PaymentID": "PAY1",
                "Date": dt.date(2026, 3, 31),
                "PatientID": "P000001",
                "Payer": "Patient",
                "Kind": "Payment",
                "Method": "Check",
                "Reference": "=1+1",
                "Amount": 0.1,
                "PostedAt": dt.datetime(2026, 3, 31, 14, 5),
            }
        ],
    }
    write_workbook(path, records)
    book = openpyxl.load_workbook(path)

    def row(sheet: str) -> dict[str, object]:
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        return dict(zip(header, [c.value for c in ws[2]], strict=True))

    patient = row("Patients")
    assert patient["PatientID"] == "P000001"
    assert patient["DOB"] == dt.datetime(1980, 2, 29)
    assert patient["ZIP"] == "02118"
    assert patient["HouseholdSize"] == 3
    assert to_decimal(patient["MonthlyIncome"]) == Decimal("4321.09")
    assert patient["Address1"] is None
    assert to_decimal(row("Plans")["Coinsurance"]) == Decimal("0.2")
    fee = row("Fees")
    assert to_decimal(fee["Charge"]) == Decimal("150")
    assert fee["DeductibleApplies"] is False
    payment = row("Payments")
    assert payment["Reference"] == "=1+1"  # text, never a formula
    assert to_decimal(payment["Amount"]) == Decimal("0.1")
    assert payment["PostedAt"] == dt.datetime(2026, 3, 31, 14, 5)
    assert payment["ChargeID"] is None
    assert range_boundaries(book["Payments"].tables["Payments"].ref)[3] == 2


def test_a_value_that_does_not_fit_its_column_is_kept_as_text(tmp_path):
    path = tmp_path / "book.xlsx"
    records = {
        "Fees": [{"Code": 99213, "Charge": "twelve"}],
        "Patients": [{"PatientID": "P1", "DOB": dt.date(1899, 1, 2)}],
        "Payments": [{"PaymentID": "PAY1", "Date": "31/03/2026"}],
    }
    write_workbook(path, records)
    book = openpyxl.load_workbook(path)
    assert book["Fees"]["A2"].value == "99213"  # an ID typed as a number stays text
    assert book["Fees"]["C2"].value == "twelve"
    assert book["Patients"]["D2"].value == "1899-01-02"  # before Excel's reliable dates
    assert book["Payments"]["B2"].value == "31/03/2026"


def test_unknown_tables_columns_and_settings_are_refused(tmp_path):
    path = tmp_path / "book.xlsx"
    with pytest.raises(PaxlError, match="Invoices"):
        write_workbook(path, {"Invoices": []})
    with pytest.raises(PaxlError, match=r"Patients row 2: no column named Colour"):
        write_workbook(path, {"Patients": [{"PatientID": "P1", "Colour": "blue"}]})
    with pytest.raises(PaxlError, match="due_dayz"):
        write_workbook(path, policy={"due_dayz": 3})
    assert not path.exists()


def test_writing_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old")
    write_workbook(path)
    assert path.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_building_twice_gives_the_same_bytes(tmp_path, template_path):
    again = tmp_path / TEMPLATE_NAME
    write_workbook(again)
    assert again.read_bytes() == template_path.read_bytes()


def test_the_committed_template_is_what_the_builder_makes(template_path):
    assert COMMITTED.read_bytes() == template_path.read_bytes(), (
        "workbooks/templates is stale: run `paxl build-templates` and commit the result"
    )


def test_build_templates_command_writes_the_template(tmp_path, template_path, capsys):
    assert main(["build-templates", "--out", str(tmp_path / "out")]) == 0
    written = tmp_path / "out" / TEMPLATE_NAME
    assert written.read_bytes() == template_path.read_bytes()
    assert TEMPLATE_NAME in capsys.readouterr().out
