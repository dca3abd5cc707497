"""`paxl demo`: the whole main job on a small synthetic practice."""

from __future__ import annotations

import openpyxl
from pypdf import PdfReader

from addin.cli import main
from addin.commands.demo import STEPS


def test_the_demo_builds_checks_audits_and_bills_a_sample_practice(tmp_path, capsys):
    out = tmp_path / "demo"
    code = main(["demo", "--out", str(out), "--patients", "30", "--seed", "7"])
    text = capsys.readouterr().out
    assert code == 0
    assert [line.split(". ", 1)[1] for line in text.splitlines() if line[:1].isdigit()] == [
        title for title, _ in STEPS
    ]
    assert "no problems in the workbook" in text
    assert "found by the audit" in text
    assert " billed, total due $" in text
    assert (out / "practice.xlsx").is_file()
    sheets = openpyxl.load_workbook(out / "statements.xlsx").sheetnames
    assert sheets[0] == "Statements"
    bills = sorted((out / "bills").glob("ST-*.pdf"))
    assert len(bills) == len(sheets) - 1 >= 1
    first_bill = PdfReader(bills[0]).pages[0].extract_text()
    assert "Amount due" in first_bill
    assert "Riverside Family Clinic (sample)" in first_bill
    assert "Overdue notices as of" in text
    assert (out / "notices" / "calls.csv").is_file()
    assert "Collections review as of" in text
    assert (out / "collections-placement.csv").is_file()


def test_running_the_demo_again_replaces_its_bills(tmp_path, capsys):
    out = tmp_path / "demo"
    main(["demo", "--out", str(out), "--patients", "30", "--seed", "7"])
    stale = out / "bills" / "ST-20200101-OLD.pdf"
    stale.write_bytes(b"old")
    assert main(["demo", "--out", str(out), "--patients", "30", "--seed", "7"]) == 0
    capsys.readouterr()
    assert not stale.exists()
