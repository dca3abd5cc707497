"""Overdue email drafts: one RFC 5322 ``.eml`` file per account, never sent by paxl.

Built with the standard library (:class:`email.message.EmailMessage`, ``email.policy.SMTP`` so
lines end in CRLF as RFC 5322 requires); plain UTF-8 text with the same wording as the letters
(:func:`addin.bills.letters.notice_paragraphs`), wrapped at 72 characters. ``X-Unsent: 1`` makes
Outlook open the file as a draft ready to send from the rep's own mailbox.

Deterministic: ``Date`` is the run's moment (RFC 5322 date with its UTC offset) and
``Message-ID`` is derived from the account, the moment, the amount due and the level (a SHA-256
digest), so the same inputs give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import textwrap
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from addin.bills.letters import letter_title, notice_paragraphs, salutation
from addin.bills.pdf import money
from addin.core.overdue import OverdueAccount
from addin.core.statement import Practice
from addin.files import write_atomic

__all__ = [
    "DEFAULT_SENDER",
    "build_email",
    "email_file_name",
    "message_id",
    "render_email",
    "write_email",
]

#: the From address when none is given (``.invalid`` never resolves: the rep's client sends)
DEFAULT_SENDER = "billing@practice.invalid"
WIDTH = 72


def message_id(item: OverdueAccount, now: dt.datetime, sender: str = DEFAULT_SENDER) -> str:
    """``<paxl.{digest}@{sender's domain}>`` from the account, moment, amount and level."""
    key = f"{item.account}|{now.isoformat()}|{item.amount_due}|{item.dunning_level}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    domain = sender.rpartition("@")[2] or "practice.invalid"
    return f"<paxl.{digest}@{domain}>"


def build_email(
    item: OverdueAccount,
    practice: Practice,
    now: dt.datetime,
    *,
    sender: str = DEFAULT_SENDER,
) -> EmailMessage:
    """The draft as a message object.

    Args:
        item: the overdue account; ``item.contact.email`` is the recipient.
        practice: the practice (name, phone, remit-to) from the Policy.
        now: the aware moment of the run (the Date header).
        sender: the From address.

    Raises:
        ValueError: the account has no email address, or ``now`` is naive.
    """
    if not item.contact.email:
        raise ValueError(f"account {item.account} has no email address")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = Address(f"{practice.name} Billing".strip(), addr_spec=sender)
    to_user, _, to_domain = item.contact.email.rpartition("@")
    message["To"] = Address(item.contact.name, to_user, to_domain)
    message["Subject"] = _subject(item, practice)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(item, now, sender)
    message["X-Unsent"] = "1"
    message.set_content(_body(item, practice), charset="utf-8", cte="quoted-printable")
    return message


def render_email(
    item: OverdueAccount, practice: Practice, now: dt.datetime, *, sender: str = DEFAULT_SENDER
) -> bytes:
    """The draft as the bytes of an ``.eml`` file (CRLF line ends)."""
    return build_email(item, practice, now, sender=sender).as_bytes()


def write_email(
    item: OverdueAccount,
    practice: Practice,
    now: dt.datetime,
    path: Path,
    *,
    sender: str = DEFAULT_SENDER,
) -> Path:
    """Write the draft to ``path`` atomically."""
    return write_atomic(render_email(item, practice, now, sender=sender), Path(path))


def email_file_name(item: OverdueAccount) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in item.account) or "account"
    return f"email-{safe}.eml"


def _subject(item: OverdueAccount, practice: Practice) -> str:
    title = letter_title(item).capitalize()  # "Past-due notice" / "Final notice"
    where = f" at {practice.name}" if practice.name else ""
    return f"{title}: your account {item.account}{where}"


def _body(item: OverdueAccount, practice: Practice) -> str:
    blocks = [salutation(item)]
    blocks += notice_paragraphs(item, practice, slip=False)
    summary = (
        f"Account number:      {item.account}\n"
        f"Oldest unpaid bill:  {item.first_statement:%m/%d/%Y}\n"
        f"Amount due:          {money(item.amount_due)}"
    )
    signature = "Sincerely,\n\nBilling Office\n" + practice.name
    if practice.phone:
        signature += f"\n{practice.phone}"
    wrapped = [textwrap.fill(b, WIDTH) for b in blocks]
    return "\n\n".join([*wrapped, summary, signature]) + "\n"
