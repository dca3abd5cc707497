"""New row IDs, numbered on from a table's existing IDs (pure).

IDs are text: a prefix and a zero-padded number (``PAY0000123``, ``PP000004``). A new ID takes
the prefix and width of the table's IDs (the prefix most IDs share; the widest number among
them) and continues after the highest number with that prefix, so the sample's ``PAY0000001``
is followed by ``PAY0000002`` and a table numbered ``PAY1`` … ``PAY9`` continues with
``PAY10``. IDs that do not look like prefix + number are ignored; an empty table starts at 1 with
the default prefix and width.

Used by every writer that appends rows with generated IDs: the buttons (payments, refunds,
payment plans) and the importer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

__all__ = ["next_ids"]

_ID = re.compile(r"^(.*?)(\d+)$")


def next_ids(
    existing: Iterable[object], count: int, *, prefix: str, width: int = 6
) -> tuple[str, ...]:
    """``count`` new IDs after ``existing`` (rule in the module doc).

    Args:
        existing: the table's current IDs (blanks and ``None`` ignored).
        count: how many new IDs.
        prefix: the prefix when the table has no numbered IDs (e.g. ``"PAY"``).
        width: the digits of the number when the table has no numbered IDs.
    """
    numbered = []
    for value in existing:
        if value is None:
            continue
        match = _ID.match(str(value).strip())
        if match:
            numbered.append((match[1], match[2]))
    start = 1
    if numbered:
        prefix = Counter(p for p, _ in numbered).most_common(1)[0][0]
        same = [digits for p, digits in numbered if p == prefix]
        width = max(len(d) for d in same)
        start = max(int(d) for d in same) + 1
    return tuple(f"{prefix}{n:0{width}d}" for n in range(start, start + count))
