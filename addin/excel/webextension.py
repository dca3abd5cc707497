"""The parts that make a workbook open xlwings Lite with our code (Office web-extension parts).

An Office add-in that belongs to a document is recorded in the package ([MS-OWEXML]): a
``xl/webextensions/webextension1.xml`` naming the add-in in the Office store and holding its
document settings as ``<we:property name=... value=.../>`` (each value a JSON text), a
``taskpanes.xml`` that opens its task pane with the document, their relationships and content
types. xlwings Lite (store id ``WA200008175``) keeps the workbook's code in two of those
settings, ``main.py`` and ``requirements.txt``; ``xlwingsSettingsWorkbook`` holds the workbook
settings (``startupBehavior``). openpyxl drops these parts on save, so they are added to the
finished package, as the last step of the build.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from xml.sax.saxutils import quoteattr

from addin.excel.package import (
    CONTENT_TYPES,
    PACKAGE_RELS,
    Parts,
    with_override,
    with_relationship,
)

LITE_STORE_ID = "wa200008175"
WEBEXTENSION = "xl/webextensions/webextension1.xml"
TASKPANES = "xl/webextensions/taskpanes.xml"
TASKPANES_RELS = "xl/webextensions/_rels/taskpanes.xml.rels"
WEBEXTENSION_TYPE = "application/vnd.ms-office.webextension+xml"
TASKPANES_TYPE = "application/vnd.ms-office.webextensiontaskpanes+xml"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
WE_NS = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
WETP_NS = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: a fixed id, so building twice gives the same file
EXTENSION_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "paxl:xlwings-lite")).upper() + "}"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def lite_settings(main_py: str, requirements_txt: str) -> dict[str, object]:
    """The document settings xlwings Lite reads: its code, its packages, start with the book."""
    return {
        "Office.AutoShowTaskpaneWithDocument": True,
        "main.py": main_py,
        "requirements.txt": requirements_txt,
        "xlwingsSettingsWorkbook": {"startupBehavior": "taskpane"},
    }


def webextension_xml(settings: Mapping[str, object]) -> bytes:
    """``webextension1.xml`` for xlwings Lite with these document settings (JSON values)."""
    properties = "".join(
        f"<we:property name={quoteattr(name)} "
        f"value={quoteattr(json.dumps(value, ensure_ascii=False, separators=(',', ':')))}/>"
        for name, value in settings.items()
    )
    xml = (
        f"{DECLARATION}<we:webextension xmlns:we={quoteattr(WE_NS)} id={quoteattr(EXTENSION_ID)}>"
        f'<we:reference id="{LITE_STORE_ID}" version="1.0.0.0" store="en-US" storeType="OMEX"/>'
        f"<we:alternateReferences/><we:properties>{properties}</we:properties><we:bindings/>"
        f"<we:snapshot xmlns:r={quoteattr(R_NS)}/></we:webextension>"
    )
    return xml.encode("utf-8")


def taskpanes_xml() -> bytes:
    """``taskpanes.xml``: the xlwings Lite pane, docked right, open with the workbook."""
    return (
        f"{DECLARATION}<wetp:taskpanes xmlns:wetp={quoteattr(WETP_NS)}>"
        '<wetp:taskpane dockstate="right" visibility="1" width="400" row="0">'
        f'<wetp:webextensionref xmlns:r={quoteattr(R_NS)} r:id="rId1"/>'
        "</wetp:taskpane></wetp:taskpanes>"
    ).encode()


def taskpanes_rels() -> bytes:
    return (
        f"{DECLARATION}<Relationships "
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_WEBEXTENSION}" Target="webextension1.xml"/>'
        "</Relationships>"
    ).encode()


def with_lite(parts: Mapping[str, bytes], main_py: str, requirements_txt: str) -> Parts:
    """A copy of a workbook's parts with xlwings Lite, its ``main.py`` and requirements added."""
    out = dict(parts)
    out[WEBEXTENSION] = webextension_xml(lite_settings(main_py, requirements_txt))
    out[TASKPANES] = taskpanes_xml()
    out[TASKPANES_RELS] = taskpanes_rels()
    types = with_override(out[CONTENT_TYPES], WEBEXTENSION, WEBEXTENSION_TYPE)
    out[CONTENT_TYPES] = with_override(types, TASKPANES, TASKPANES_TYPE)
    out[PACKAGE_RELS], _ = with_relationship(out[PACKAGE_RELS], REL_TASKPANES, TASKPANES)
    return out


def lite_code(parts: Mapping[str, bytes]) -> dict[str, object]:
    """The document settings stored in a package's ``webextension1.xml`` (decoded JSON)."""
    root = ET.fromstring(parts[WEBEXTENSION])
    return {
        prop.get("name", ""): json.loads(prop.get("value", "null"))
        for prop in root.iter(f"{{{WE_NS}}}property")
    }
