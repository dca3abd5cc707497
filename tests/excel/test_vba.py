"""Writing VBA: MS-OVBA compression round trips through an independent decompressor, and module
edits land in the project as given (modules longer than one 4096-byte chunk included)."""

from __future__ import annotations

import shutil
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyopenvba.vba import compress, decompress

from addin.errors import PaxlError
from addin.excel.build import xlwings_file
from addin.excel.vba import VBA_PART, crlf, edited_vba_project
from tests.excel.conftest import olevba_modules


def olevba_decompress(data: bytes) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import decompress_stream

    return decompress_stream(bytearray(data))


#: VBA-like text (repetitive, so the LZ tokens get used) and arbitrary bytes
vba_text = st.lists(
    st.sampled_from(['RunPython "import macros; macros.x()"', "End Sub", "    ", "Dim i As Long"])
    | st.text(alphabet="abcdefghij _\"'():=\r\n", max_size=40),
    max_size=400,
).map(lambda chunks: "\r\n".join(chunks).encode("ascii"))


@settings(max_examples=60, deadline=None)
@given(st.one_of(vba_text, st.binary(max_size=9000)))
def test_compressed_source_decompresses_to_itself_with_both_implementations(data: bytes) -> None:
    packed = compress(data)
    assert decompress(packed) == data
    assert olevba_decompress(packed) == data


def test_a_module_longer_than_one_chunk_round_trips_through_olevba(tmp_path: Path) -> None:
    body = "".join(f"' line {i:04d}: a comment that repeats with a counter\n" for i in range(300))
    source = 'Attribute VB_Name = "LongOne"\nOption Explicit\n' + body + "Sub A()\nEnd Sub\n"
    assert len(source) > 3 * 4096
    vba = edited_vba_project(xlwings_file("quickstart.xlsm"), add={"LongOne": source})
    copy = tmp_path / "long.xlsm"
    shutil.copyfile(xlwings_file("quickstart.xlsm"), copy)
    with zipfile.ZipFile(copy, "a") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate name: the later entry wins
        archive.writestr(VBA_PART, vba)
    assert olevba_modules(copy)["LongOne"] == source


def test_editing_leaves_the_original_file_alone() -> None:
    original = xlwings_file("quickstart.xlsm").read_bytes()
    edited_vba_project(xlwings_file("quickstart.xlsm"), remove=["Module1"])
    assert xlwings_file("quickstart.xlsm").read_bytes() == original


def test_unknown_or_clashing_modules_are_refused() -> None:
    book = xlwings_file("quickstart.xlsm")
    with pytest.raises(PaxlError, match="no VBA module Nope"):
        edited_vba_project(book, remove=["Nope"])
    with pytest.raises(PaxlError, match="already has a VBA module Module1"):
        edited_vba_project(book, add={"Module1": 'Attribute VB_Name = "Module1"\n'})
    with pytest.raises(PaxlError, match="ASCII"):
        edited_vba_project(book, add={"M2": 'Attribute VB_Name = "M2"\n\' café\n'})
    with pytest.raises(PaxlError, match="found nothing to change"):
        edited_vba_project(book, change={"Module1": lambda source: source})


def test_sources_get_crlf_line_ends_and_one_final_line_end() -> None:
    assert crlf("a\nb\n\n") == "a\r\nb\r\n"
    assert crlf("a\r\nb") == "a\r\nb\r\n"
