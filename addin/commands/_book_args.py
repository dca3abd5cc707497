"""Shared options of commands that read a workbook: its password, and protected outputs.

A password-protected (encrypted) workbook is opened with its password, decrypted in memory only
(:mod:`addin.workbook.encryption`). The password comes from, in this order:

1. ``--password``: paxl asks for it — on a terminal without echo; when standard input is not a
   terminal (a script, a pipe) it reads one line from standard input;
2. the ``PAXL_PASSWORD`` environment variable, when set and ``--password`` is not given.

A password is never taken as a command-line value: other users of the machine can see command
lines (``ps``), and shells keep them in their history.

``--encrypt-output`` (on commands that write workbooks or PDFs) protects what they write with the
same password; it needs one from ``--password`` or ``PAXL_PASSWORD``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from addin.errors import PaxlError

PASSWORD_ENV = "PAXL_PASSWORD"


def add_password_arguments(
    parser: argparse.ArgumentParser, *, encrypt_output: bool = False
) -> None:
    """Add ``--password`` (and, for commands that write workbooks/PDFs, ``--encrypt-output``)."""
    parser.add_argument(
        "--password",
        action="store_true",
        help=(
            "the workbook is password-protected: ask for its password (read from standard "
            f"input when it is not a terminal); or set {PASSWORD_ENV}. It is never written "
            "anywhere, and the workbook is decrypted in memory only"
        ),
    )
    if encrypt_output:
        parser.add_argument(
            "--encrypt-output",
            action="store_true",
            help=(
                "protect the workbooks and PDFs written with the same password "
                f"(from --password or {PASSWORD_ENV})"
            ),
        )


def password_from(
    args: argparse.Namespace,
    book: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
) -> str | None:
    """The workbook password the user gave (module doc), or ``None`` for none.

    Args:
        args: parsed arguments with ``password`` (from :func:`add_password_arguments`).
        book: the workbook, named in the prompt.
        environ: the environment (default ``os.environ``).
        stdin: where a piped password is read (default ``sys.stdin``).

    Raises:
        PaxlError: ``--password`` was given but no password could be read.
    """
    environ = os.environ if environ is None else environ
    if getattr(args, "password", False):
        return _ask(book, stdin or sys.stdin)
    value = environ.get(PASSWORD_ENV)
    return value if value else None


def output_password(args: argparse.Namespace, password: str | None) -> str | None:
    """The password to protect outputs with: ``password`` under ``--encrypt-output``, else None.

    Raises:
        PaxlError: ``--encrypt-output`` without a password (checked before anything is read).
    """
    if not getattr(args, "encrypt_output", False):
        return None
    if not password:
        raise PaxlError(
            f"--encrypt-output needs a password: give --password, or set {PASSWORD_ENV}."
        )
    return password


def _ask(book: str | os.PathLike[str] | None, stdin: TextIO) -> str:
    name = Path(book).name if book is not None else "the workbook"
    if stdin.isatty():
        password = getpass.getpass(f"Password for {name}: ")
    else:
        password = stdin.readline().rstrip("\r\n")
    if not password:
        raise PaxlError(f"No password was given for {name}; nothing was read or written.")
    return password
