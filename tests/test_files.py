import pytest

from addin.files import write_atomic


def test_write_atomic_creates_folders_replaces_the_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "out" / "bill.pdf"
    assert write_atomic(b"old", path) == path
    write_atomic(b"new", path)
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in path.parent.iterdir()) == ["bill.pdf"]


def test_write_atomic_keeps_the_old_file_and_removes_the_temporary_when_writing_fails(tmp_path):
    path = tmp_path / "bill.pdf"
    path.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic("not bytes", path)  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["bill.pdf"]
