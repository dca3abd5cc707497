"""import_data on the memory adapter: an export's rows appended all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from addin.errors import PaxlError
from addin.workbook.column_mapping import MAPPING_VERSION
from macros.imports import import_data_named_on, import_data_on, import_table
from macros.runner import run_macro
from tests.macros.practice import NOW, USER, practice

HEADER = "MRN,Pmt Date,Payer,Method,Check #,Amount,Kind"
GOOD = [
    "P004,06/14/2026,Patient,Check,7001,$25.00,Payment",
    'P005,6/14/26,Patient,Card,8002,"$1,000.00",Payment',
]


def _export(folder: Path, lines: list[str], header: str = HEADER, name: str = "pay.csv") -> Path:
    path = folder / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _payments(workbook) -> list[dict[str, object]]:
    values = workbook.values("Payments")
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _run(workbook, path: Path, table: str = "Payments", **more):
    def body(port, *, now, user):
        return import_data_on(port, now=now, user=user, path=path, table=table, **more)

    return run_macro(body, workbook, now=NOW, user=USER)


def test_an_export_is_mapped_typed_and_appended_with_new_ids(tmp_path):
    workbook = practice()

    result = _run(workbook, _export(tmp_path, GOOD))

    assert result.applied.appended == {"Payments": 2, "Audit": 1}
    new = _payments(workbook)[-2:]
    assert [(p["PaymentID"], p["PatientID"], p["Amount"]) for p in new] == [
        ("PAY004", "P004", 25.0),
        ("PAY005", "P005", 1000.0),
    ]
    assert {(p["Date"], p["Reference"] is not None) for p in new} == {
        (dt.datetime(2026, 6, 14), True)
    }
    assert {(p["PostedBy"], p["PostedAt"]) for p in new} == {(USER, NOW)}
    assert result.message == "Imported 2 row(s) from pay.csv into Payments."
    assert workbook.values("Audit")[-1][1:6] == [
        USER,
        "import_data",
        "Payments",
        2,
        "import from pay.csv: 2 new row(s), 0 already present, 0 ignored",
    ]


def test_importing_the_same_file_again_adds_nothing(tmp_path):
    workbook = practice()
    path = _export(tmp_path, GOOD)
    _run(workbook, path)
    before = workbook.values("Payments"), workbook.values("Audit")

    again = _run(workbook, path)

    assert not again.wrote
    assert (workbook.values("Payments"), workbook.values("Audit")) == before
    assert again.message == (
        "Nothing new to import from pay.csv: 2 row(s) are already in Payments. Nothing was written."
    )


def test_one_bad_row_and_nothing_is_written_each_problem_named_by_export_row_and_column(
    tmp_path,
):
    workbook = practice()
    before = workbook.values("Payments")
    bad = [GOOD[0], "P999,6/14/26,Patient,Card,8003,(10.00),Payment"]

    result = _run(workbook, _export(tmp_path, bad, name="bad.csv"))

    assert not result.wrote
    assert workbook.values("Payments") == before
    assert result.message.startswith("Nothing was written: 2 problem(s) to fix first.")
    assert "- sheet bad.csv, row 3, column Amount: Amount is negative" in result.message
    assert "- sheet bad.csv, row 3, column MRN: PatientID P999 is not a PatientID" in (
        result.message
    )
    assert "Imported" not in result.message


def test_the_file_and_table_can_come_from_named_cells(tmp_path):
    workbook = practice()
    path = _export(tmp_path, GOOD)
    workbook.set_cell("Policy", 90, 1, str(path))
    workbook.set_cell("Policy", 91, 1, "payments")
    workbook.set_name("import_file", "Policy", "A90")
    workbook.set_name("import_into", "Policy", "A91")

    result = import_data_named_on(workbook, now=NOW, user=USER)

    assert result.applied.appended["Payments"] == 2


def test_without_import_into_the_table_is_the_one_the_rep_is_on(tmp_path):
    workbook = practice()
    workbook.select("Payments", 3, 2)

    assert import_table(workbook) == "Payments"
    workbook.select("Policy", 1, 1)
    with pytest.raises(PaxlError, match="Which table should the rows go into"):
        import_table(workbook)


def test_no_file_chosen_says_how_to_choose_one():
    workbook = practice()
    workbook.select("Payments", 2, 1)

    result = run_macro(import_data_named_on, workbook, now=NOW, user=USER)

    assert not result.wrote
    assert "cell named import_file" in result.message


def test_an_unknown_table_lists_the_tables_paxl_imports_into(tmp_path):
    result = _run(practice(), _export(tmp_path, GOOD), table="Payouts")

    assert not result.wrote
    assert "paxl cannot import into 'Payouts'" in result.message
    assert "Charges" in result.message


def test_a_saved_mapping_file_feeds_columns_the_names_do_not_reveal(tmp_path):
    header = "Acct,When,Who,How,Ref,Paid,Type"
    mapping = {
        "paxl_mapping": MAPPING_VERSION,
        "into": "Payments",
        "columns": {
            "Acct": "PatientID",
            "When": "Date",
            "Who": "Payer",
            "How": "Method",
            "Ref": "Reference",
            "Paid": "Amount",
            "Type": "Kind",
        },
        "defaults": {},
        "values": {},
    }
    path = tmp_path / "map.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    workbook = practice()

    result = _run(workbook, _export(tmp_path, GOOD, header=header), mapping=path)

    assert result.applied.appended["Payments"] == 2
    assert _payments(workbook)[-1]["Amount"] == 1000.0
