"""The ribbon add-in (PatientAccounts.xlam): a valid add-in package whose VBA is exactly our
sources and whose buttons and macros match one to one."""

from __future__ import annotations

from pathlib import Path

import macros
from addin.excel.build import (
    ADDIN_CONF_SHEET,
    CUSTOM_UI,
    RIBBON_MODULE,
    RIBBON_SOURCE,
    XLWINGS_PROJECT_LINE,
    macro_names,
    xlwings_file,
)
from addin.excel.package import (
    CONTENT_TYPES,
    PACKAGE_RELS,
    content_type_of,
    read_parts,
    relationship_targets,
)
from addin.excel.ribbon import CALLBACK, ribbon_buttons
from addin.excel.vba import VBA_PART
from tests.excel.conftest import olevba_modules

REL_UI = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
ADDIN_MAIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"


def test_addin_is_a_macro_enabled_addin_with_a_vba_project(addin_file: Path) -> None:
    parts = read_parts(addin_file)
    types = parts[CONTENT_TYPES]
    assert content_type_of(types, "xl/workbook.xml") == ADDIN_MAIN
    assert content_type_of(types, VBA_PART) == "application/vnd.ms-office.vbaProject"
    workbook_rels = relationship_targets(parts["xl/_rels/workbook.xml.rels"])
    assert workbook_rels[REL_VBA] == "vbaProject.bin"
    assert parts[VBA_PART].startswith(bytes.fromhex("D0CF11E0A1B11AE1"))  # a compound file


def test_addin_carries_the_ribbon_through_the_customui_relationship(addin_file: Path) -> None:
    parts = read_parts(addin_file)
    target = relationship_targets(parts[PACKAGE_RELS])[REL_UI]
    assert target == CUSTOM_UI
    assert ribbon_buttons(parts[target])  # parses, with buttons


def test_every_ribbon_button_names_an_existing_macro(addin_file: Path) -> None:
    buttons = ribbon_buttons(read_parts(addin_file)[CUSTOM_UI])
    for button in buttons:
        assert callable(getattr(macros, button.tag, None)), button
        assert button.label


def test_every_macro_has_a_ribbon_button(addin_file: Path) -> None:
    tags = {b.tag for b in ribbon_buttons(read_parts(addin_file)[CUSTOM_UI])}
    assert set(macro_names()) <= tags
    assert set(macro_names()) == tags  # and no button runs anything else


def test_every_button_uses_the_one_callback(addin_file: Path) -> None:
    xml = read_parts(addin_file)[CUSTOM_UI].decode()
    assert xml.count("onAction=") == xml.count("<button ")
    assert xml.count(f'onAction="{CALLBACK}"') == xml.count("<button ")


def test_olevba_extracts_the_ribbon_module_exactly_as_our_source(addin_file: Path) -> None:
    modules = olevba_modules(addin_file)
    assert modules["PaxlRibbon"] == RIBBON_MODULE.read_text(encoding="utf-8")
    assert len(modules["PaxlRibbon"]) > 600  # longer than what ms-ovba-compression 1.0.1 gets right
    assert "RibbonMyAddin" not in modules  # the quickstart's sample callback is gone


def test_xlwings_module_differs_from_xlwings_own_only_in_the_settings_name(
    addin_file: Path,
) -> None:
    ours = olevba_modules(addin_file)
    theirs = olevba_modules(xlwings_file("quickstart_addin_ribbon.xlam"))
    expected = theirs["xlwings"].replace(
        XLWINGS_PROJECT_LINE.format("myaddin"), XLWINGS_PROJECT_LINE.format("xlwings")
    )
    assert expected != theirs["xlwings"]
    assert ours["xlwings"] == expected
    assert len(ours["xlwings"]) > 40_000
    for name in ("ThisWorkbook", "Dictionary", "Sheet2"):
        assert ours[name] == theirs[name]
    assert set(ours) == {"ThisWorkbook", "Dictionary", "Sheet2", "xlwings", "PaxlRibbon"}


def test_the_callback_runs_the_tag_as_a_macro_of_the_macros_package() -> None:
    source = RIBBON_MODULE.read_text(encoding="utf-8")
    assert f"Sub {CALLBACK.split('.')[1]}(control As IRibbonControl)" in source
    assert 'RunPython "import macros; macros." & control.Tag & "()"' in source


def test_source_ribbon_plans_the_tab_of_the_issue() -> None:
    groups: dict[str, list[str]] = {}
    for button in ribbon_buttons(RIBBON_SOURCE.read_bytes()):
        groups.setdefault(button.group, []).append(button.label)
    assert groups["Payments"] == ["Post payments", "Refund"]
    assert groups["Plans"] == ["Plan options", "Create plan"]
    assert groups["Bills"] == ["Bill for patient", "Statement run"]
    assert groups["Insurance"] == ["Verify coverage", "Import ERA"]
    assert groups["Follow-up"] == ["Overdue notices", "Collections"]
    assert groups["Check"] == ["Audit", "Refresh accounts"]


def test_addin_settings_sheet_is_inactive_and_named_for_xlwings(addin_file: Path) -> None:
    workbook = read_parts(addin_file)["xl/workbook.xml"].decode()
    assert f'name="{ADDIN_CONF_SHEET}"' in workbook
    assert "myaddin" not in workbook
