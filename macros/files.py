"""Files a button writes next to the workbook (letters, drafts, placement files): desktop only.

On Excel desktop, Python runs on the rep's computer and the workbook is a file in a folder, so a
button may leave files beside it, e.g. ``<workbook folder>/paxl-notices/2026-06-15/``. On xlwings
Lite (Python in the browser) and xlwings Server (Python on a server) there is no such folder —
files written there would land in a sandbox or on the server — so those hosts get the sheets
only, and the message box says so. :func:`workbook_folder` is the guard: it returns a folder
only for a saved workbook open in desktop Excel.

Files are written after the write plan validated and before it is applied (a file that cannot be
written stops the button with nothing written to the workbook); each file is written under a
temporary name and moved into place, so a second click replaces them whole.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from addin.errors import PaxlError
from addin.workbook.port import WorkbookPort

log = logging.getLogger("paxl.macros")

NO_FOLDER = (
    "files are made only in Excel on the desktop, for a workbook saved in a folder "
    "(not in a browser, on xlwings Server, or for a workbook never saved)"
)


def workbook_folder(port: WorkbookPort) -> Path | None:
    """The folder of the workbook file when it is open in desktop Excel, else ``None``.

    ``None`` for the memory adapter, the xlwings remote engine (Lite, Server), an unsaved
    workbook (``Book1``) and a workbook opened from the web (a URL, not a folder).
    """
    book = getattr(port, "book", None)
    if book is None:
        return None
    try:
        if book.app.engine.type != "desktop":
            return None
        full = Path(str(book.fullname))
    except Exception:  # a best-effort probe: every host differs here
        log.debug("no workbook folder on this host", exc_info=True)
        return None
    if not full.is_absolute() or not full.parent.is_dir():
        return None
    return full.parent


def output_folder(base: Path, kind: str, day: dt.date) -> Path:
    """``<base>/paxl-<kind>/<YYYY-MM-DD>``: one folder per button and day."""
    return Path(base) / f"paxl-{kind}" / day.isoformat()


def write_files(writers: list[tuple[Path, Callable[[Path], Path]]]) -> list[Path]:
    """Run each ``write(path)``; translate a failure into one message naming the file.

    Raises:
        PaxlError: a file could not be written (e.g. it is open in another program, or the folder
            is read-only); the message names it.
    """
    written = []
    for path, write in writers:
        try:
            written.append(write(path))
        except OSError as error:
            raise PaxlError(
                f"paxl could not write {path} ({error.strerror or error}). Close the file if it "
                "is open, check that you may write to that folder, and click the button again. "
                "Nothing was written to the workbook."
            ) from error
    return written
