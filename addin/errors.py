"""The one user-facing error type. Each front end translates it once.

The CLI prints the message and exits 2; a macro shows it in a dialog; a UDF shows it on its cell.
Messages say what to fix and never contain patient data beyond sheet, row and ID.
"""


class PaxlError(Exception):
    """A failed operation the rep can fix; the message says what to do."""
