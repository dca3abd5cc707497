"""Password-protected files: decrypt workbooks in memory, encrypt outputs before they touch disk.

Patient workbooks are often saved with a password (Excel: File > Info > Protect Workbook >
Encrypt with Password). Such a file is an OLE container holding the encrypted package (ECMA-376
Agile encryption). paxl reads it with msoffcrypto-tool into memory — a decrypted copy is never
written to disk — and can write its own outputs protected the same way:

* workbooks (``.xlsx``/``.xlsm``): Agile encryption (AES-256, SHA-512 key derivation), as Excel
  writes it; Excel and LibreOffice ask for the password on opening;
* PDFs: the standard PDF security handler with AES-256 (pypdf), the same password to open;
  any PDF reader asks for it;
* other files (CSV, JSON, text) cannot carry a password: asking to protect one is refused.

Every write path that may protect its output builds the file's bytes in memory and calls
:func:`write_output`, which encrypts them (when given a password) before the bytes are written
under a temporary name and moved into place — so an unprotected copy never exists on disk.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import msoffcrypto
import msoffcrypto.exceptions
from msoffcrypto.format.ooxml import OOXMLFile
from pypdf import PdfReader, PdfWriter

from addin.errors import PaxlError
from addin.files import write_atomic

__all__ = [
    "WORKBOOK_SUFFIXES",
    "decrypt_workbook",
    "encrypt_bytes",
    "is_encrypted",
    "protected",
    "write_output",
]

#: the first bytes of an OLE container (where Office keeps an encrypted package)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
PDF_SUFFIX = ".pdf"
#: the PDF cipher: AES with a 256-bit key (PDF 2.0 / ISO 32000-2)
PDF_ALGORITHM = "AES-256"


def is_encrypted(source: str | os.PathLike[str] | bytes) -> bool:
    """Whether a file (or a file's bytes) is a password-encrypted Office document.

    A plain .xlsx is a zip package and gives ``False``; so does anything that is not an Office
    file at all (the reader reports that separately).
    """
    if isinstance(source, bytes):
        return _office_encrypted(io.BytesIO(source))
    path = Path(source)
    with path.open("rb") as handle:
        return _office_encrypted(handle)


def _office_encrypted(handle: io.BufferedIOBase | io.BytesIO) -> bool:
    if handle.read(len(OLE_MAGIC)) != OLE_MAGIC:
        return False
    handle.seek(0)
    try:
        return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # an OLE file msoffcrypto does not understand (e.g. a damaged one)
        return False


def decrypt_workbook(path: str | os.PathLike[str], password: str | None) -> io.BytesIO:
    """An encrypted workbook's package (the plain .xlsx/.xlsm bytes), decrypted into memory.

    Args:
        path: an encrypted ``.xlsx``/``.xlsm`` (an OLE container).
        password: its password; ``None`` when none was given.

    Returns:
        The decrypted package, positioned at its start; nothing is written to disk.

    Raises:
        PaxlError: one sentence — the file is an old .xls, not an encrypted Office file, no
            password was given, the password is wrong, or the file is damaged.
    """
    path = Path(path)
    if path.suffix.lower() == ".xls":
        raise PaxlError(
            f"{path.name} is in the old .xls format; open it in Excel and save it as an Excel "
            "Workbook (.xlsx)."
        )
    with path.open("rb") as handle:
        try:
            office = msoffcrypto.OfficeFile(handle)
            encrypted = office.is_encrypted()
        except Exception:  # not an Office file msoffcrypto understands
            encrypted = False
        if not encrypted:
            raise PaxlError(
                f"{path.name} is not an Excel workbook; open it in Excel and save it as an Excel "
                "Workbook (.xlsx)."
            )
        if not password:
            raise PaxlError(
                f"{path.name} is password-protected; give its password (--password, or the "
                "PAXL_PASSWORD environment variable), or remove it in Excel (File > Info > "
                "Protect Workbook)."
            )
        plain = io.BytesIO()
        try:
            office.load_key(password=password)
            office.decrypt(plain)
        except msoffcrypto.exceptions.InvalidKeyError:
            raise PaxlError(
                f"The password for {path.name} is wrong; check it and try again."
            ) from None
        except Exception as exc:  # msoffcrypto's parse errors
            raise PaxlError(
                f"{path.name} is damaged (it cannot be decrypted); open it in Excel, let Excel "
                "repair it, and save it again."
            ) from exc
    plain.seek(0)
    return plain


def encrypt_bytes(data: bytes, password: str, suffix: str) -> bytes:
    """A finished file's bytes, encrypted in memory with ``password``.

    Args:
        data: the plain file (an .xlsx/.xlsm zip package, or a PDF).
        password: the password to open it with; not blank.
        suffix: the file's kind by its extension (``".xlsx"``, ``".xlsm"``, ``".pdf"``).

    Raises:
        PaxlError: a blank password, or a kind of file that cannot carry a password.
    """
    _check_password(password)
    kind = suffix.lower()
    if kind in WORKBOOK_SUFFIXES:
        out = io.BytesIO()
        OOXMLFile(io.BytesIO(data)).encrypt(password, out)
        return out.getvalue()
    if kind == PDF_SUFFIX:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(user_password=password, owner_password=password, algorithm=PDF_ALGORITHM)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    raise PaxlError(
        f"A {kind or 'file without an extension'} file cannot carry a password; only workbooks "
        "(.xlsx, .xlsm) and PDFs are written protected. Keep it on an encrypted drive instead."
    )


def protected(data: bytes, suffix: str, password: str | None) -> bytes:
    """``data`` encrypted with ``password`` (:func:`encrypt_bytes`), or unchanged for ``None`` —
    for writers that move several finished files into place together."""
    return data if password is None else encrypt_bytes(data, password, suffix)


def write_output(data: bytes, path: str | os.PathLike[str], *, password: str | None = None) -> Path:
    """Write a finished file atomically, encrypted first when a password is given.

    The bytes (encrypted in memory if ``password``) go to a temporary name in the same folder
    and are then moved into place, so a reader never sees a half-written file and, with a
    password, no unprotected copy ever exists on disk.

    Args:
        data: the plain file's bytes.
        path: where it goes (replaced if it exists; folders are created).
        password: protect the file with this password, or ``None`` for a plain file.

    Returns:
        The path written.

    Raises:
        PaxlError: ``password`` is given for a kind of file that cannot carry one, or is blank.
    """
    path = Path(path)
    data = protected(data, path.suffix, password)
    return write_atomic(data, path)


def _check_password(password: str) -> None:
    if not password:
        raise PaxlError("The password is blank; a blank password protects nothing.")
