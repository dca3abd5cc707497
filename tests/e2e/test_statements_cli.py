"""`paxl statements`: the statement run from the command line, its summary and exit codes."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from addin.cli import main
from addin.commands.statements import StderrProgress
from tests.bills.test_run import JUNE, write_book
from tests.core.test_statement_builder import charge, patient, pay


def statements(capsys, *args):
    code = main(["statements", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def small_book(tmp_path):
    return write_book(
        tmp_path / "book.xlsx",
        [patient("P1"), patient("P2"), patient("P3", AccountStatus="Closed")],
        [
            charge("C1", "P1", JUNE, "80.00"),
            charge("C2", "P2", dt.date(2026, 6, 2), "45.50"),
            charge("C3", "P3", JUNE, "80.00"),
        ],
        [pay("P2", dt.date(2026, 6, 20), "20.00", "C2")],
    )


def test_the_run_prints_counts_and_totals_and_writes_bills_and_pdfs(tmp_path, capsys):
    book = small_book(tmp_path)
    out = tmp_path / "out" / "bills.xlsx"
    code, text, err = statements(
        capsys,
        book,
        "--as-of",
        "2026-06-30",
        "-o",
        out,
        "--pdf",
        tmp_path / "pdf",
        "--combined-pdf",
    )
    assert code == 0, err
    assert "Statements as of 2026-06-30: 2 accounts billed, total due $105.50" in text
    assert "level 1: 2" in text
    assert "skipped 1: closed 1" in text
    assert "Rivera" not in text + err  # no patient names in the summary
    assert openpyxl.load_workbook(out).sheetnames == ["Statements", "Bill P1", "Bill P2"]
    pdfs = sorted(p.name for p in (tmp_path / "pdf").iterdir())
    assert pdfs == ["ST-20260630-P1.pdf", "ST-20260630-P2.pdf", "statements-20260630.pdf"]


def test_writing_over_the_input_is_refused_with_exit_2(tmp_path, capsys):
    book = small_book(tmp_path)
    before = book.read_bytes()
    code, _, err = statements(capsys, book, "--as-of", "2026-06-30", "-o", book)
    assert code == 2
    assert "never changes its input" in err
    assert book.read_bytes() == before


def test_a_workbook_with_problems_exits_2_naming_them(tmp_path, capsys):
    book = write_book(tmp_path / "book.xlsx", [patient("P1")], [charge("C1", "P9", JUNE, "80.00")])
    code, _, err = statements(capsys, book, "-o", tmp_path / "bills.xlsx")
    assert code == 2
    assert "Charges" in err and "paxl validate" in err
    assert not (tmp_path / "bills.xlsx").exists()


def test_a_bad_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["statements", "book.xlsx", "--as-of", "30/06/2026", "-o", "x.xlsx"])
    assert exit.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_progress_on_a_pipe_is_a_line_per_quarter_of_a_long_run():
    stream = io.StringIO()
    progress = StderrProgress(stream)
    for done in range(1, 401):
        progress("building bills", done, 400)
    progress("writing sheets", 1, 10)  # short runs show nothing
    assert stream.getvalue().splitlines() == [
        "building bills 100/400",
        "building bills 200/400",
        "building bills 300/400",
        "building bills 400/400",
    ]
