"""The committed Excel files are exactly what the builders make, and the builders are
deterministic. When a test here fails after a change to the schema, the ribbon, the macros, the
functions or a module they use, run ``paxl build-templates`` and ``paxl build-addin`` and commit
the files they write."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from addin.excel.build import ADDIN_NAME, LITE_NAME, XLSM_NAME, Built, build_all
from addin.excel.package import FIXED_TIME
from tests.excel.conftest import COMMITTED

REBUILD = "stale: run `paxl build-templates` and `paxl build-addin`, then commit the files"


def _entries(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


@pytest.mark.parametrize("name", [ADDIN_NAME, XLSM_NAME, LITE_NAME])
def test_committed_file_holds_exactly_what_the_builder_makes(built: Built, name: str) -> None:
    fresh = _entries(built.paths[0].parent / name)
    committed = _entries(COMMITTED / name)
    assert [n for n, _ in committed] == [n for n, _ in fresh], f"{name} {REBUILD}"
    for (part, ours), (_, theirs) in zip(committed, fresh, strict=True):
        assert ours == theirs, f"{name}: part {part} {REBUILD}"


@pytest.mark.parametrize("name", [ADDIN_NAME, XLSM_NAME, LITE_NAME])
def test_built_files_have_fixed_timestamps(built: Built, name: str) -> None:
    with zipfile.ZipFile(built.paths[0].parent / name) as archive:
        assert {info.date_time for info in archive.infolist()} == {FIXED_TIME}


@pytest.mark.parametrize("name", [ADDIN_NAME, LITE_NAME])
def test_packages_we_zip_have_sorted_entries(built: Built, name: str) -> None:
    names = [n for n, _ in _entries(built.paths[0].parent / name)]
    assert names == sorted(names)
    assert names[0] == "[Content_Types].xml"


def test_building_twice_gives_the_same_bytes(built: Built, tmp_path: Path) -> None:
    again = build_all(tmp_path)
    for first, second in zip(built.paths, again.paths, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert again.planned == built.planned
