"""A real spreadsheet application opens our files: LibreOffice converts them, and nothing is lost.

Each workbook is opened by LibreOffice headless and saved again as .xlsx; the re-saved file must
load through ``read_book`` into exactly the same typed tables and Policy. LibreOffice runs with a
private profile in the test's temporary folder, so parallel runs do not clash. A missing LibreOffice
fails these tests (CI must have it): ``make test`` installs it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from addin.workbook.book import Book
from addin.workbook.loader import read_book
from addin.workbook.sample import generate_sample
from addin.workbook.template import TEMPLATE_NAME, write_workbook
from tests.conftest import good_records, write_test_workbook

pytestmark = pytest.mark.libreoffice

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "workbooks" / "templates" / TEMPLATE_NAME
SAMPLE_PATIENTS = 20
SAMPLE_SEED = 2026
CONVERT_TIMEOUT_SECONDS = 600


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed; `make test` installs it "
            "(Debian/Ubuntu package libreoffice-calc-nogui)."
        )
    return found


def convert_with_libreoffice(sources: list[Path], outdir: Path, profile: Path) -> None:
    """Open each workbook in LibreOffice headless and save it as .xlsx into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=CONVERT_TIMEOUT_SECONDS,
        check=False,
    )
    assert done.returncode == 0, f"LibreOffice failed: {done.stderr}"


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """name → (our workbook, LibreOffice's re-saved copy); one LibreOffice run for all."""
    base = tmp_path_factory.mktemp("libreoffice")
    ours = base / "ours"
    ours.mkdir()
    hand_made = write_test_workbook(ours / "hand_made.xlsx", good_records())
    sample = ours / "sample.xlsx"
    write_workbook(sample, generate_sample(SAMPLE_PATIENTS, SAMPLE_SEED).records)
    sources = [hand_made, sample]
    if TEMPLATE.is_file():  # its absence fails the template test, not the others
        sources.append(ours / "template.xlsx")
        shutil.copyfile(TEMPLATE, sources[-1])
    convert_with_libreoffice(sources, base / "resaved", base / "profile")
    return {p.stem: (p, base / "resaved" / p.name) for p in sources}


def assert_same_book(ours: Book, resaved: Book) -> None:
    assert set(resaved.tables) == set(ours.tables)
    for name, frame in ours.tables.items():
        pd.testing.assert_frame_equal(resaved.tables[name], frame, obj=name)
    assert dict(resaved.policy) == dict(ours.policy)
    for name, frame in ours.policy_tables.items():
        pd.testing.assert_frame_equal(resaved.policy_tables[name], frame, obj=name)


def test_the_template_converts_and_keeps_its_tables_and_policy(converted):
    assert TEMPLATE.is_file(), f"{TEMPLATE} is missing; `paxl build-templates` writes it"
    ours, resaved = converted["template"]
    assert resaved.is_file() and resaved.stat().st_size > 0
    book, findings = read_book(resaved)
    assert findings == []
    assert all(len(frame) == 0 for frame in book.tables.values())
    assert_same_book(read_book(ours)[0], book)


def test_a_hand_made_workbook_keeps_every_value(converted):
    ours, resaved = converted["hand_made"]
    book, findings = read_book(resaved)
    assert findings == []
    assert book["Payments"]["Amount"].tolist() == [9600, 2000]
    assert book["Patients"]["ZIP"].iloc[0] == "02134"
    assert_same_book(read_book(ours)[0], book)


def test_a_sample_workbook_round_trips_with_no_errors(converted):
    ours, resaved = converted["sample"]
    original, original_findings = read_book(ours)
    book, findings = read_book(resaved)
    assert original_findings == []
    assert findings == []
    assert len(book["Patients"]) == SAMPLE_PATIENTS
    assert len(book["Charges"]) > SAMPLE_PATIENTS
    assert_same_book(original, book)
