"""Office packages as part maps: deterministic writing, content types and relationships."""

from __future__ import annotations

import zipfile
from pathlib import Path

from addin.excel.package import (
    FIXED_TIME,
    content_type_of,
    package_bytes,
    read_parts,
    relationship_targets,
    with_override,
    with_relationship,
    write_package,
)

TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/a.xml" ContentType="old/type"/></Types>'
)
RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="t/one" Target="one.xml"/></Relationships>'
)


def test_written_package_reads_back_sorted_with_fixed_timestamps(tmp_path: Path) -> None:
    parts = {"xl/b.xml": b"<b/>", "[Content_Types].xml": TYPES, "_rels/.rels": RELS}
    path = write_package(tmp_path / "p.zip", parts)
    assert read_parts(path) == parts
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["[Content_Types].xml", "_rels/.rels", "xl/b.xml"]
    assert {i.date_time for i in infos} == {FIXED_TIME}
    assert package_bytes(parts) == package_bytes(dict(reversed(parts.items())))


def test_override_replaces_an_existing_one_and_defaults_still_apply() -> None:
    types = with_override(TYPES, "xl/a.xml", "new/type")
    types = with_override(types, "/xl/b.bin", "bin/type")
    assert content_type_of(types, "xl/a.xml") == "new/type"
    assert types.count(b'PartName="/xl/a.xml"') == 1
    assert content_type_of(types, "xl/b.bin") == "bin/type"
    assert content_type_of(types, "xl/other.xml") == "application/xml"
    assert content_type_of(types, "xl/c.vml") is None


def test_new_relationship_gets_a_free_id_and_the_old_ones_stay() -> None:
    rels, first = with_relationship(RELS, "t/two", "two.xml")
    rels, second = with_relationship(rels, "t/three", "three.xml")
    assert (first, second) == ("rIdPaxl1", "rIdPaxl2")
    assert relationship_targets(rels) == {
        "t/one": "one.xml",
        "t/two": "two.xml",
        "t/three": "three.xml",
    }
