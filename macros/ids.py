"""New row IDs for appended postings: :func:`addin.core.ids.next_ids` (the one implementation,
shared with the importer), re-exported for the buttons."""

from __future__ import annotations

from addin.core.ids import next_ids

__all__ = ["next_ids"]
