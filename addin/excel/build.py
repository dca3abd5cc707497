"""Build the desktop and Lite files from the sources in this folder (``paxl build-addin``).

* :func:`build_addin` → ``PatientAccounts.xlam``: the ribbon add-in. Starts from the Excel-made
  ribbon add-in that ships with xlwings (``quickstart_addin_ribbon.xlam``): its ``customUI.xml``
  is replaced by ours (buttons of existing macros only), its sample module by
  ``PaxlRibbon.bas``, and its xlwings module reads the standard xlwings settings
  (``PROJECT_NAME = "xlwings"``: the ``xlwings.conf`` sheet, ``xlwings.conf`` beside the
  workbook, ``%USERPROFILE%\\.xlwings\\xlwings.conf``), so IT configures Python once for both
  add-ins. Its own settings sheet is renamed ``_xlwings.conf`` (inactive).
* :func:`build_xlsm` → ``PatientAccounts.xlsm``: the template plus an ``xlwings.conf`` sheet,
  buttons on ``Home`` and the VBA project of xlwings' ``quickstart.xlsm`` (which references the
  xlwings add-in, for ``RunPython`` and "Import Functions") with the generated button module.
* :func:`build_lite` → ``PatientAccounts-Lite.xlsx``: the template plus xlwings Lite with our
  ``main.py`` and ``requirements.txt`` (:mod:`addin.excel.lite_bundle`), added last.

Every output is deterministic: building twice gives the same bytes.
"""

from __future__ import annotations

import importlib.metadata
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.workbook import Workbook

import macros
from addin.errors import PaxlError
from addin.excel import conf_sheet, lite_bundle, sheet_buttons
from addin.excel.package import read_parts, write_atomically, write_package
from addin.excel.ribbon import built_ribbon, ribbon_buttons
from addin.excel.vba import VBA_PART, edited_vba_project
from addin.excel.webextension import with_lite
from addin.workbook import template

EXCEL_DIR = Path(__file__).resolve().parent
RIBBON_SOURCE = EXCEL_DIR / "customUI.xml"
RIBBON_MODULE = EXCEL_DIR / "PaxlRibbon.bas"
ADDIN_NAME = "PatientAccounts.xlam"
XLSM_NAME = "PatientAccounts.xlsm"
LITE_NAME = "PatientAccounts-Lite.xlsx"
CUSTOM_UI = "customUI/customUI.xml"
#: the ribbon add-in's settings sheet, renamed from the quickstart's ``_myaddin.conf``
ADDIN_CONF_SHEET = "_xlwings.conf"
XLWINGS_PROJECT_LINE = 'Public Const PROJECT_NAME As String = "{}"'
HOME_BUTTON_COLUMN = 3  # column D, right of the Home text
HOME_BUTTON_ROW = 1
HOME_BUTTON_SIZE = (170, 30)  # pixels
HOME_BUTTON_STEP = 38  # pixels from one button's top to the next


def xlwings_file(name: str) -> Path:
    """A file that ships inside the installed xlwings package."""
    import xlwings

    path = Path(xlwings.__file__).resolve().parent / name
    if not path.is_file():
        raise PaxlError(f"xlwings {xlwings.__version__} has no {name}; reinstall xlwings")
    return path


def macro_names() -> tuple[str, ...]:
    """The button macros that exist: the desktop entry points of :mod:`macros`."""
    names = tuple(macros.BODIES)
    for name in names:
        if not callable(getattr(macros, name, None)):
            raise PaxlError(f"macros.{name} is listed in macros.BODIES but is not a function")
    return names


def ribbon_labels() -> dict[str, str]:
    """Macro → its button's label on the ribbon (the source ribbon, planned buttons included)."""
    return {b.tag: b.label for b in ribbon_buttons(RIBBON_SOURCE.read_bytes())}


# --- the ribbon add-in -----------------------------------------------------------------------


def addin_xlwings_module(source: str) -> str:
    """The quickstart add-in's xlwings module, reading the standard xlwings settings."""
    old = XLWINGS_PROJECT_LINE.format("myaddin")
    if old not in source:
        raise PaxlError("the xlwings ribbon quickstart add-in changed: no PROJECT_NAME line")
    return source.replace(old, XLWINGS_PROJECT_LINE.format("xlwings"))


def build_addin(out_dir: Path) -> tuple[Path, tuple[str, ...]]:
    """Write the ribbon add-in; return its path and the planned buttons left out."""
    base = xlwings_file("quickstart_addin_ribbon.xlam")
    ribbon, left_out = built_ribbon(RIBBON_SOURCE.read_bytes(), macro_names())
    vba = edited_vba_project(
        base,
        remove=["RibbonMyAddin"],
        add={"PaxlRibbon": RIBBON_MODULE.read_text(encoding="utf-8")},
        change={"xlwings": addin_xlwings_module},
    )
    parts = read_parts(base)
    parts[VBA_PART] = vba
    parts[CUSTOM_UI] = ribbon
    parts["xl/workbook.xml"] = _renamed_sheet(parts["xl/workbook.xml"], "_myaddin.conf")
    parts["docProps/core.xml"] = _core_properties("Patient Accounts ribbon add-in")
    return write_package(out_dir / ADDIN_NAME, parts), left_out


def _renamed_sheet(workbook_xml: bytes, old: str) -> bytes:
    text = workbook_xml.decode("utf-8")
    if f'name="{old}"' not in text:
        raise PaxlError(f"the xlwings ribbon quickstart add-in has no sheet {old}")
    return text.replace(f'name="{old}"', f'name="{ADDIN_CONF_SHEET}"').encode("utf-8")


def _core_properties(title: str) -> bytes:
    created = template.CREATED.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>paxl</dc:creator>"
        "<cp:lastModifiedBy>paxl</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


# --- the macro-enabled template --------------------------------------------------------------


@dataclass(frozen=True)
class SheetButton:
    """A button on Home: its macro, its caption and the VBA Sub it calls."""

    tag: str
    caption: str
    sub: str


def home_buttons() -> tuple[SheetButton, ...]:
    """The Home buttons whose macro exists, captioned like the ribbon."""
    labels = ribbon_labels()
    existing = set(macro_names())
    return tuple(
        SheetButton(
            tag, labels.get(tag, tag.replace("_", " ").capitalize()), sheet_buttons.sub_name(tag)
        )
        for tag in sheet_buttons.HOME_BUTTONS
        if tag in existing
    )


def build_xlsm(out_dir: Path) -> Path:
    """Write the macro-enabled template."""
    buttons = home_buttons()
    module = sheet_buttons.buttons_module([b.tag for b in buttons])
    vba = edited_vba_project(
        xlwings_file("quickstart.xlsm"), remove=["Module1"], add={sheet_buttons.MODULE: module}
    )
    path = out_dir / XLSM_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="paxl-xlsm-") as folder:
        tmp = Path(folder) / XLSM_NAME  # XlsxWriter picks the content types by the extension
        workbook = Workbook(str(tmp), {"in_memory": True})
        _template_into(workbook)
        workbook.add_vba_project(io.BytesIO(vba), is_stream=True)
        _add_buttons(workbook, buttons)
        _add_conf_sheet(workbook)
        workbook.close()
        write_atomically(path, tmp.read_bytes())
    return path


def _template_into(workbook: Workbook) -> None:
    """The template's sheets, exactly as ``paxl build-templates`` writes them, into ``workbook``."""
    template.build_into(workbook)


def _add_buttons(workbook: Workbook, buttons: Sequence[SheetButton]) -> None:
    home = workbook.get_worksheet_by_name(template.HOME_SHEET)
    width, height = HOME_BUTTON_SIZE
    for i, button in enumerate(buttons):
        home.insert_button(
            HOME_BUTTON_ROW,
            HOME_BUTTON_COLUMN,
            {
                "macro": button.sub,
                "caption": button.caption,
                "width": width,
                "height": height,
                "y_offset": i * HOME_BUTTON_STEP,
                "description": f"Runs the {button.caption} macro (macros.{button.tag})",
            },
        )


def _add_conf_sheet(workbook: Workbook) -> None:
    sheet = workbook.add_worksheet(conf_sheet.SHEET)
    sheet.set_tab_color("#9E9E9E")
    sheet.set_column(0, 0, 60, workbook.add_format({"text_wrap": True, "valign": "top"}))
    sheet.set_column(1, 1, 62, workbook.add_format({"num_format": "@", "valign": "top"}))
    for row, (key, value) in enumerate(conf_sheet.ROWS):
        if key:
            sheet.write_string(row, 0, key)
        if value:
            sheet.write_string(row, 1, value)


# --- the xlwings Lite variant ----------------------------------------------------------------


def lite_files() -> tuple[str, str]:
    """The Lite variant's ``main.py`` and ``requirements.txt``."""
    modules, external = lite_bundle.bundle()
    version = importlib.metadata.version("paxl")
    return lite_bundle.main_py(modules, version), lite_bundle.requirements_txt(external)


def build_lite(out_dir: Path) -> Path:
    """Write the xlwings Lite variant: the template with Lite and our code added last."""
    with tempfile.TemporaryDirectory(prefix="paxl-lite-") as folder:
        xlsx = Path(folder) / template.TEMPLATE_NAME
        template.write_workbook(xlsx)
        parts = read_parts(xlsx)
    main_py, requirements_txt = lite_files()
    return write_package(out_dir / LITE_NAME, with_lite(parts, main_py, requirements_txt))


# --- all of them -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """What :func:`build_all` wrote, and the planned ribbon buttons still waiting for a macro."""

    paths: tuple[Path, ...]
    planned: tuple[str, ...]


def build_all(out_dir: Path) -> Built:
    """Write the .xlam, the .xlsm and the Lite variant into ``out_dir``."""
    addin, planned = build_addin(out_dir)
    return Built((addin, build_xlsm(out_dir), build_lite(out_dir)), planned)
