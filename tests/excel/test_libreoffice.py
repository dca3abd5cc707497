"""LibreOffice opens the macro-enabled template and binds every Home button to our Sub.

The .xlsm is converted to OpenDocument by LibreOffice headless (private profile in the test's
temporary folder); in the result, each button's "execute action" event must call our VBA Sub in
the imported module, and that module must still define the Sub. A missing LibreOffice fails this
test (CI must have it): ``make test`` installs it.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from addin.excel import sheet_buttons
from addin.excel.build import home_buttons

pytestmark = pytest.mark.libreoffice

CONVERT_TIMEOUT_SECONDS = 600
BUTTON = re.compile(r"<form:button\b(.*?)</form:button>", re.DOTALL)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed; `make test` installs it "
            "(Debian/Ubuntu package libreoffice-calc-nogui)."
        )
    return found


@pytest.fixture(scope="module")
def ods(xlsm_file: Path, tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    folder = tmp_path_factory.mktemp("lo")
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(folder),
            str(xlsm_file),
        ],
        check=True,
        capture_output=True,
        timeout=CONVERT_TIMEOUT_SECONDS,
    )
    return zipfile.ZipFile(folder / (xlsm_file.stem + ".ods"))


def test_libreoffice_binds_every_home_button_to_its_sub(ods: zipfile.ZipFile) -> None:
    content = ods.read("content.xml").decode()
    bound = {}
    for button in BUTTON.findall(content):
        label = re.search(r'form:label="([^"]*)"', button)
        target = re.search(r'script:event-name="form:performaction" xlink:href="([^"]+)"', button)
        assert label and target, button[:300]
        bound[html.unescape(label.group(1))] = target.group(1)
    expected = {
        b.caption: f"vnd.sun.star.script:VBAProject.{sheet_buttons.MODULE}.{b.sub}"
        "?language=Basic&amp;location=document"
        for b in home_buttons()
    }
    assert bound == expected


def test_libreoffice_keeps_every_generated_sub(ods: zipfile.ZipFile) -> None:
    module = ods.read(f"Basic/VBAProject/{sheet_buttons.MODULE}.xml").decode()
    assert "removed unmatched" not in module
    for button in home_buttons():
        assert f"Sub {button.sub}()" in module
        assert f"macros.{button.tag}()" in module
