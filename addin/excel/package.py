"""Office packages (the zip files behind .xlsx/.xlsm/.xlam) as plain ``{part name: bytes}`` maps.

The desktop files are built by editing parts: read a package with :func:`read_parts`, replace or
add parts, write it back with :func:`write_package`. Writing is deterministic: entries sorted by
name (so ``[Content_Types].xml`` comes first), every timestamp 1980-01-01 00:00, the same
attributes and compression for every entry; the same parts give the same bytes on one machine.
Helpers add content types and relationships without disturbing what is there.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import quoteattr

#: the zip timestamp of every entry (the earliest a zip can hold)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"

Parts = dict[str, bytes]


def read_parts(source: str | os.PathLike[str] | bytes) -> Parts:
    """Every part of a package, by name, in the package's order.

    Args:
        source: the file, or its bytes.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def package_bytes(parts: Mapping[str, bytes]) -> bytes:
    """The package as bytes: entries sorted by name, fixed timestamps, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, parts[name], compresslevel=6)
    return buffer.getvalue()


def write_package(path: str | os.PathLike[str], parts: Mapping[str, bytes]) -> Path:
    """Write a package atomically (a temporary file in the same folder, then moved into place)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, package_bytes(parts))
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader never sees a half-written file."""
    tmp = path.parent / f".tmp-{os.getpid()}-{secrets.token_hex(4)}-{path.name}"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def with_override(content_types: bytes, part_name: str, content_type: str) -> bytes:
    """``[Content_Types].xml`` with an Override for ``part_name`` (replaced if it had one).

    Args:
        content_types: the current ``[Content_Types].xml``.
        part_name: the part, with or without the leading ``/``.
        content_type: its MIME type.
    """
    part = "/" + part_name.lstrip("/")
    text = content_types.decode("utf-8")
    text = re.sub(rf'<Override PartName="{re.escape(part)}"[^>]*/>', "", text)
    override = f"<Override PartName={quoteattr(part)} ContentType={quoteattr(content_type)}/>"
    return text.replace("</Types>", override + "</Types>").encode("utf-8")


def with_relationship(rels: bytes, rel_type: str, target: str) -> tuple[bytes, str]:
    """A ``.rels`` part with one more relationship, and the new relationship's Id.

    The Id is ``rIdPaxlN`` with the smallest N not taken, so adding the same relationships in the
    same order always gives the same Ids.
    """
    text = rels.decode("utf-8")
    taken = set(re.findall(r'Id="([^"]+)"', text))
    number = 1
    while f"rIdPaxl{number}" in taken:
        number += 1
    rel_id = f"rIdPaxl{number}"
    rel = (
        f"<Relationship Id={quoteattr(rel_id)} Type={quoteattr(rel_type)} "
        f"Target={quoteattr(target)}/>"
    )
    return text.replace("</Relationships>", rel + "</Relationships>").encode("utf-8"), rel_id


def relationship_targets(rels: bytes) -> dict[str, str]:
    """Relationship type → target of a ``.rels`` part (the last one of a type wins)."""
    text = rels.decode("utf-8")
    found: dict[str, str] = {}
    for attrs in re.findall(r"<Relationship\b([^>]*)/?>", text):
        kind = re.search(r'Type="([^"]+)"', attrs)
        target = re.search(r'Target="([^"]+)"', attrs)
        if kind and target:
            found[kind.group(1)] = target.group(1)
    return found


def content_type_of(content_types: bytes, part_name: str) -> str | None:
    """The content type a package gives a part: its Override, else the Default of its extension."""
    text = content_types.decode("utf-8")
    part = "/" + part_name.lstrip("/")
    override = re.search(
        rf'<Override\b[^>]*PartName="{re.escape(part)}"[^>]*ContentType="([^"]+)"', text
    ) or re.search(rf'<Override\b[^>]*ContentType="([^"]+)"[^>]*PartName="{re.escape(part)}"', text)
    if override:
        return override.group(1)
    extension = part.rsplit(".", 1)[-1]
    default = re.search(
        rf'<Default\b[^>]*Extension="{re.escape(extension)}"[^>]*ContentType="([^"]+)"', text
    )
    return default.group(1) if default else None
