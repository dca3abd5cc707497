"""`paxl build-addin` writes the three files and says which planned buttons wait for a macro."""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.cli import main
from addin.excel.build import ADDIN_NAME, LITE_NAME, XLSM_NAME, Built


def test_build_addin_writes_the_addin_the_xlsm_and_the_lite_variant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], built: Built
) -> None:
    assert main(["build-addin", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for name in (ADDIN_NAME, XLSM_NAME, LITE_NAME):
        assert (tmp_path / name).is_file()
        assert f"Wrote {tmp_path / name}" in out
        assert (tmp_path / name).read_bytes() == (built.paths[0].parent / name).read_bytes()
    if built.planned:
        assert "waiting for their macro" in out and built.planned[0] in out
