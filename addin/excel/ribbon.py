"""The ribbon: read ``customUI.xml``, check it, and keep the buttons whose macro exists.

Every button of the tab names its macro in its ``tag`` and calls the one VBA callback
:data:`CALLBACK`. The source XML may list planned buttons whose macro is not written yet;
:func:`built_ribbon` leaves those (and groups left empty) out of the add-in and says which.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Collection
from dataclasses import dataclass

from addin.errors import PaxlError

NS = "http://schemas.microsoft.com/office/2006/01/customui"
#: the VBA procedure every button calls (module PaxlRibbon.bas)
CALLBACK = "PaxlRibbon.OnAction"
#: a tag is the name of a function in ``macros``
TAG_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")


@dataclass(frozen=True)
class RibbonButton:
    """One button: its XML id, its label, the group's label and the macro it runs (``tag``)."""

    id: str
    label: str
    group: str
    tag: str


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _parse(xml: bytes) -> ET.Element:
    try:
        return ET.fromstring(xml)
    except ET.ParseError as exc:
        raise PaxlError(f"customUI.xml is not valid XML: {exc}") from None


def ribbon_buttons(xml: bytes) -> tuple[RibbonButton, ...]:
    """The buttons of a ribbon, in order, checked.

    Raises:
        PaxlError: a button without a tag or with another callback, a tag that cannot name a
            Python function, or two buttons with the same id or tag.
    """
    root = _parse(xml)
    buttons: list[RibbonButton] = []
    for group in root.iter(_q("group")):
        for button in group.iter(_q("button")):
            ident = button.get("id", "")
            tag = button.get("tag", "")
            if button.get("onAction") != CALLBACK:
                raise PaxlError(f"ribbon button {ident}: onAction must be {CALLBACK}")
            if not TAG_PATTERN.match(tag):
                raise PaxlError(f"ribbon button {ident}: tag {tag!r} must name a macro function")
            buttons.append(
                RibbonButton(ident, button.get("label", ""), group.get("label", ""), tag)
            )
    for field in ("id", "tag"):
        values = [getattr(b, field) for b in buttons]
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise PaxlError(f"ribbon: more than one button with {field} {', '.join(repeated)}")
    return tuple(buttons)


def built_ribbon(xml: bytes, macros: Collection[str]) -> tuple[bytes, tuple[str, ...]]:
    """The ribbon as the add-in carries it: only buttons whose macro exists.

    Args:
        xml: the source ``customUI.xml``.
        macros: the names of the macro functions that exist.

    Returns:
        The XML to ship (comments dropped, groups without buttons dropped) and the tags of the
        buttons left out, in source order.
    """
    ribbon_buttons(xml)  # check first
    ET.register_namespace("", NS)
    root = _parse(xml)
    left_out: list[str] = []
    for tab in root.iter(_q("tab")):
        for group in list(tab.findall(_q("group"))):
            for button in list(group.findall(_q("button"))):
                if button.get("tag") not in macros:
                    left_out.append(button.get("tag", ""))
                    group.remove(button)
            if not group.findall(_q("button")):
                tab.remove(group)
    ET.indent(root, space="  ")
    built = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return built.replace(b"<?xml version='1.0' encoding='utf-8'?>", _DECLARATION), tuple(left_out)


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
