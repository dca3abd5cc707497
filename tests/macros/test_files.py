"""Files next to the workbook: only for a saved workbook in desktop Excel; failures named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from addin.errors import PaxlError
from macros.files import output_folder, workbook_folder, write_files
from tests.macros.practice import practice


def _port(engine: str, fullname: str) -> SimpleNamespace:
    app = SimpleNamespace(engine=SimpleNamespace(type=engine))
    return SimpleNamespace(book=SimpleNamespace(app=app, fullname=fullname))


def test_a_saved_workbook_in_desktop_excel_has_its_folder(tmp_path):
    book = tmp_path / "accounts.xlsm"
    book.write_bytes(b"")

    assert workbook_folder(_port("desktop", str(book))) == tmp_path


@pytest.mark.parametrize(
    ("engine", "fullname"),
    [
        ("remote", "/srv/accounts.xlsx"),  # xlwings Server / Lite
        ("desktop", "Book1"),  # never saved
        ("desktop", "https://contoso.sharepoint.com/accounts.xlsx"),  # opened from the web
    ],
)
def test_no_folder_elsewhere(engine, fullname):
    assert workbook_folder(_port(engine, fullname)) is None


def test_the_memory_workbook_has_no_folder():
    assert workbook_folder(practice()) is None


def test_one_folder_per_button_and_day(tmp_path):
    assert output_folder(tmp_path, "notices", dt.date(2026, 6, 15)) == (
        tmp_path / "paxl-notices" / "2026-06-15"
    )


def test_a_file_that_cannot_be_written_is_named_and_nothing_else_is_claimed(tmp_path):
    blocked = tmp_path / "letter.pdf"
    blocked.mkdir()  # a folder where the file should go

    def write(path: Path) -> Path:
        path.write_bytes(b"%PDF")
        return path

    with pytest.raises(PaxlError, match=r"could not write .*letter\.pdf") as error:
        write_files([(blocked, write)])
    assert "Nothing was written to the workbook" in str(error.value)
