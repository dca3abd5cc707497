"""The macro-enabled template (PatientAccounts.xlsm): the template plus an xlwings.conf sheet and
Home buttons, each bound to a generated Sub that runs one existing macro."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from python_calamine import CalamineWorkbook

import macros
from addin.excel import conf_sheet, sheet_buttons
from addin.excel.build import home_buttons, macro_names, ribbon_labels, xlwings_file
from addin.excel.package import CONTENT_TYPES, content_type_of, read_parts, relationship_targets
from addin.excel.vba import VBA_PART
from addin.workbook.template import HOME_SHEET
from tests.excel.conftest import olevba_modules

XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
SHAPE = re.compile(r"<v:shape\b.*?</v:shape>", re.DOTALL)


def sheet_part(parts: dict[str, bytes], name: str) -> str:
    """The part name of a worksheet, found through workbook.xml and its relationships."""
    workbook = parts["xl/workbook.xml"].decode()
    rel_id = re.search(rf'<sheet name="{re.escape(name)}" sheetId="\d+" r:id="(\w+)"', workbook)
    assert rel_id, name
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'<Relationship Id="{rel_id.group(1)}" [^>]*Target="([^"]+)"', rels)
    assert target
    return posixpath.join("xl", target.group(1))


def home_buttons_in_file(path: Path) -> list[tuple[str, str]]:
    """(caption, macro) of every form-control button on Home, from its VML drawing."""
    parts = read_parts(path)
    home = sheet_part(parts, HOME_SHEET)
    folder, name = posixpath.split(home)
    rels = relationship_targets(parts[f"{folder}/_rels/{name}.rels"])
    vml = parts[posixpath.normpath(posixpath.join(folder, rels[REL_VML]))].decode()
    assert '<legacyDrawing r:id="' in parts[home].decode()
    found = []
    for shape in SHAPE.findall(vml):
        assert 'ObjectType="Button"' in shape
        caption = re.search(r"<font[^>]*>([^<]*)</font>", shape)
        macro = re.search(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", shape)
        assert caption and macro, shape
        found.append((caption.group(1), macro.group(1)))
    return found


def test_xlsm_is_a_macro_enabled_workbook_with_a_vba_project(xlsm_file: Path) -> None:
    parts = read_parts(xlsm_file)
    assert content_type_of(parts[CONTENT_TYPES], "xl/workbook.xml") == XLSM_MAIN
    assert content_type_of(parts[CONTENT_TYPES], VBA_PART) == "application/vnd.ms-office.vbaProject"
    assert relationship_targets(parts["xl/_rels/workbook.xml.rels"])[REL_VBA] == "vbaProject.bin"
    assert 'codeName="ThisWorkbook"' in parts["xl/workbook.xml"].decode()


def test_olevba_extracts_the_button_module_exactly_as_generated(xlsm_file: Path) -> None:
    modules = olevba_modules(xlsm_file)
    expected = sheet_buttons.buttons_module([b.tag for b in home_buttons()])
    assert modules[sheet_buttons.MODULE] == expected
    theirs = olevba_modules(xlwings_file("quickstart.xlsm"))
    assert set(modules) == set(theirs) - {"Module1"} | {sheet_buttons.MODULE}
    for name in set(theirs) - {"Module1"}:
        assert modules[name] == theirs[name]


def test_every_home_button_calls_a_sub_that_runs_an_existing_macro(xlsm_file: Path) -> None:
    source = olevba_modules(xlsm_file)[sheet_buttons.MODULE]
    buttons = home_buttons_in_file(xlsm_file)
    assert buttons
    labels = ribbon_labels()
    for caption, sub in buttons:
        body = re.search(rf"Public Sub {sub}\(\)\n    (.*)\nEnd Sub", source)
        assert body, sub
        tag = re.fullmatch(r'RunPython "import macros; macros\.(\w+)\(\)"', body.group(1))
        assert tag, body.group(1)
        assert callable(getattr(macros, tag.group(1), None))
        assert caption == labels[tag.group(1)]


def test_home_has_a_button_for_each_daily_action_that_exists(xlsm_file: Path) -> None:
    subs = [sub for _, sub in home_buttons_in_file(xlsm_file)]
    expected = [sheet_buttons.sub_name(t) for t in sheet_buttons.HOME_BUTTONS if t in macro_names()]
    assert subs == expected
    assert "PostPayments" in subs and "RefreshAccounts" in subs


def test_daily_actions_are_ribbon_buttons_too() -> None:
    assert set(sheet_buttons.HOME_BUTTONS) <= set(ribbon_labels())


def test_conf_sheet_sets_only_the_udf_modules(xlsm_file: Path) -> None:
    book = CalamineWorkbook.from_path(str(xlsm_file))
    rows = book.get_sheet_by_name(conf_sheet.SHEET).to_python()
    assert conf_sheet.active_settings(rows) == {"UDF Modules": "udfs"}
    text = " ".join(str(v) for row in rows for v in row)
    assert "Interpreter_Win" in text and "xlwings addin install" in text


def test_xlsm_holds_the_same_sheets_and_cells_as_the_template(
    xlsm_file: Path, template_file: Path
) -> None:
    ours = CalamineWorkbook.from_path(str(xlsm_file))
    template = CalamineWorkbook.from_path(str(template_file))
    assert ours.sheet_names == [*template.sheet_names, conf_sheet.SHEET]
    for name in template.sheet_names:
        assert ours.get_sheet_by_name(name).to_python() == (
            template.get_sheet_by_name(name).to_python()
        ), name
    assert read_parts(xlsm_file)["xl/workbook.xml"].count(b"<definedName ") == (
        read_parts(template_file)["xl/workbook.xml"].count(b"<definedName ")
    )


def test_sub_names_are_the_macro_names_in_camel_case() -> None:
    assert sheet_buttons.sub_name("post_payments") == "PostPayments"
    assert sheet_buttons.sub_name("import_era") == "ImportEra"


def test_generated_subs_are_three_lines_so_libreoffice_keeps_them() -> None:
    source = sheet_buttons.buttons_module(["post_payments", "audit_accounts"])
    assert "Public Sub PostPayments()\n" in source
    assert ": End Sub" not in source
    assert source.count("End Sub") == 2
