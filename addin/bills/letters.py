"""Overdue letters: one PDF per overdue account (fpdf2), and the letters sheet listing them.

The letter is a business letter on US Letter paper, in the house style of the PDF bills
(:mod:`addin.bills.pdf`): the practice's letterhead, the date, the guarantor's address where a
window envelope shows it, a summary box (account, oldest unpaid bill, days since, amount due),
the body — the balance, the Policy's dunning text for the account's level, the ways to pay, the
offer of a payment plan and of financial assistance — a signature, and a remit slip at the foot.
Level 5 letters are titled FINAL NOTICE. The wording is shared with the email drafts
(:func:`notice_paragraphs`). Renderers compute nothing: every figure comes from
:class:`~addin.core.overdue.OverdueAccount`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from xlsxwriter import Workbook

from addin.bills.pdf import (
    ACCENT,
    BODY_W,
    INK,
    MARGIN,
    MUTED,
    SHADE,
    money,
    pdf_text,
)
from addin.core.overdue import Notice, OverdueAccount
from addin.core.statement import Practice
from addin.files import write_atomic

__all__ = [
    "LETTER_COLUMNS",
    "letter_file_name",
    "letter_title",
    "long_date",
    "notice_paragraphs",
    "render_letter",
    "salutation",
    "wrap_text",
    "write_letter",
    "write_letters_sheet",
]

FINAL_LEVEL = 5
LINE_H = 5.2  # mm, body text at 10.5 pt
SLIP_H = 50.0
LETTER_COLUMNS = (
    ("Account", 11),
    ("Name", 22),
    ("Address1", 24),
    ("Address2", 12),
    ("City", 16),
    ("State", 6),
    ("ZIP", 8),
    ("AmountDue", 12),
    ("PastDue", 12),
    ("FirstStatement", 14),
    ("DaysPast", 9),
    ("DunningLevel", 12),
    ("Note", 40),
    ("File", 26),
)


# --- wording (shared with the email drafts) ----------------------------------------------------


def long_date(day: dt.date) -> str:
    """``2026-11-05`` → ``"November 5, 2026"`` (the same on every platform)."""
    return f"{day:%B} {day.day}, {day.year}"


def letter_title(item: OverdueAccount) -> str:
    return "FINAL NOTICE" if item.dunning_level >= FINAL_LEVEL else "PAST-DUE NOTICE"


def salutation(item: OverdueAccount) -> str:
    name = item.contact.name.strip()
    return f"Dear {name}," if name else "Dear Patient,"


def notice_paragraphs(
    item: OverdueAccount, practice: Practice, *, slip: bool = True
) -> tuple[str, ...]:
    """The body of the notice, one string per paragraph (no salutation, no signature).

    ``slip``: the notice carries a remit slip (letters); emails give the remit-to address.
    """
    first = long_date(item.first_statement)
    opening = (
        f"Our records show a balance of {money(item.amount_due)} on your account "
        f"{item.account}. We first sent you a bill for the oldest unpaid part of it on {first}, "
        f"{item.days_past} days ago, and we have not yet received payment in full."
    )
    phone = practice.phone or "our billing office"
    remit = list(practice.remit_lines)
    if remit and remit[0] == practice.name:
        remit = remit[1:]
    where = "with the slip below" if slip or not remit else f"to {', '.join(remit)}"
    pay = (
        f"You can pay by calling us at {phone}, or by mailing a check payable to "
        f"{practice.name} {where}. Please write your account number, {item.account}, on your "
        "check."
    )
    help_text = (
        "If you cannot pay the whole balance now, please call us: we can set up a payment plan, "
        "and financial assistance is available to patients who qualify. If you think this "
        "balance is wrong, or you have insurance we do not know about, call us so we can fix it."
    )
    closing = "If you have sent your payment in the last few days, thank you; please disregard "
    closing += "this letter." if slip else "this message."
    paragraphs = [opening]
    if item.message:
        paragraphs.append(item.message)
    paragraphs += [pay, help_text, closing]
    return tuple(paragraphs)


# --- the PDF -----------------------------------------------------------------------------------


class _LetterPDF(FPDF):
    def __init__(self, item: OverdueAccount, practice: Practice, date: dt.date) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.item = item
        self.set_margins(MARGIN + 6, MARGIN, MARGIN + 6)
        self.set_auto_page_break(auto=False)
        self.set_title(pdf_text(f"{letter_title(item).title()} {item.account}"))
        self.set_author(pdf_text(practice.name))
        self.set_creation_date(dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC))

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.set_text_color(*MUTED)
        self.cell(
            0, 4, pdf_text(f"Account {self.item.account}  -  page {self.page_no()}"), align="C"
        )


def render_letter(item: OverdueAccount, practice: Practice, date: dt.date) -> bytes:
    """The overdue letter as PDF bytes (identical bytes for identical inputs)."""
    pdf = _LetterPDF(item, practice, date)
    pdf.add_page()
    left = pdf.l_margin
    width = pdf.w - pdf.l_margin - pdf.r_margin
    _letterhead(pdf, item, practice, left, width)
    _address_and_box(pdf, item, date, left, width)
    pdf.set_xy(left, pdf.get_y() + 4)
    pdf.set_font("Helvetica", "B", 10)
    subject = f"Re: Account {item.account} - past-due balance"
    pdf.cell(width, 6, pdf_text(subject), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=10.5)
    pdf.cell(width, 6, pdf_text(salutation(item)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for i, paragraph in enumerate(notice_paragraphs(item, practice)):
        is_dunning = bool(item.message) and i == 1
        if is_dunning:
            _dunning_box(pdf, paragraph, item, width)
        else:
            pdf.set_font("Helvetica", size=10.5)
            _paragraph(pdf, pdf_text(paragraph), width)
        pdf.ln(3)
    _signature(pdf, practice, width)
    _remit_slip(pdf, item, practice, date)
    return bytes(pdf.output())


def write_letter(item: OverdueAccount, practice: Practice, date: dt.date, path: Path) -> Path:
    """Write the letter to ``path`` atomically."""
    return write_atomic(render_letter(item, practice, date), Path(path))


def letter_file_name(item: OverdueAccount) -> str:
    return f"letter-{_safe(item.account)}.pdf"


def _letterhead(pdf: FPDF, item: OverdueAccount, practice: Practice, left, width) -> None:
    pdf.set_xy(left, MARGIN)
    pdf.set_text_color(*ACCENT)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(width * 0.6, 8, pdf_text(practice.name), new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font("Helvetica", size=9)
    pdf.cell(width * 0.6, 4.5, pdf_text(practice.address), new_x="LEFT", new_y="NEXT")
    pdf.cell(width * 0.6, 4.5, pdf_text(f"Billing questions: {practice.phone}"))
    final = item.dunning_level >= FINAL_LEVEL
    pdf.set_xy(left + width * 0.6, MARGIN)
    pdf.set_font("Helvetica", "B", 14)
    pdf.set_text_color(*((180, 0, 0) if final else ACCENT))
    pdf.cell(width * 0.4, 8, letter_title(item), align="R")
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*ACCENT)
    pdf.line(left, MARGIN + 19, left + width, MARGIN + 19)
    pdf.set_y(MARGIN + 24)


def _address_and_box(pdf: FPDF, item: OverdueAccount, date: dt.date, left, width) -> None:
    top = pdf.get_y()
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(left, top)
    pdf.cell(90, 5, long_date(date), new_x="LEFT", new_y="NEXT")
    pdf.set_xy(left, top + 12)  # inside the window of a #10 envelope
    for line in (item.contact.name or "Patient", *item.contact.address_lines):
        pdf.cell(90, 5, pdf_text(line), new_x="LEFT", new_y="NEXT")
    rows = (
        ("Account number", item.account),
        ("Oldest unpaid bill", item.first_statement.strftime("%m/%d/%Y")),
        ("Days since that bill", str(item.days_past)),
        ("Past due", money(item.past_due)),
    )
    box_w = 78
    box_x = left + width - box_w
    pdf.set_fill_color(*SHADE)
    pdf.rect(box_x, top, box_w, 34, style="F")
    pdf.set_xy(box_x + 3, top + 2)
    for label, value in rows:
        pdf.set_font("Helvetica", size=9)
        pdf.cell(38, 5.5, label)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(box_w - 44, 5.5, pdf_text(value), align="R", new_x="LEFT", new_y="NEXT")
        pdf.set_x(box_x + 3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(38, 8, "Amount due")
    pdf.cell(box_w - 44, 8, money(item.amount_due), align="R")
    pdf.set_y(max(top + 38, top + 12 + 5 * (1 + len(item.contact.address_lines)) + 2))


def _dunning_box(pdf: FPDF, text: str, item: OverdueAccount, width: float) -> None:
    pdf.set_font("Helvetica", "B" if item.dunning_level >= 4 else "", 10.5)
    pdf.set_draw_color(*((180, 0, 0) if item.dunning_level >= FINAL_LEVEL else ACCENT))
    pad = 2.5
    lines = wrap_text(pdf, pdf_text(text), width - 2 * pad)
    top = pdf.get_y()
    if top + LINE_H * len(lines) + 2 * pad > pdf.h - 16:  # too long for a box on this page
        _paragraph(pdf, pdf_text(text), width)
        return
    pdf.rect(pdf.l_margin, top, width, LINE_H * len(lines) + 2 * pad)
    pdf.set_y(top + pad)
    for line in lines:
        pdf.set_x(pdf.l_margin + pad)
        pdf.cell(width - 2 * pad, LINE_H, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top + LINE_H * len(lines) + 2 * pad)


def _paragraph(pdf: FPDF, text: str, width: float) -> None:
    for line in wrap_text(pdf, text, width):
        if pdf.get_y() + LINE_H > pdf.h - 16:  # a very long Policy text continues overleaf
            pdf.add_page()
        pdf.cell(width, LINE_H, line, new_x="LMARGIN", new_y="NEXT")


def wrap_text(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy word wrap in the current font: lines no wider than ``width`` mm (a single word
    wider than that keeps its own line). Linear in the words, unlike fpdf's ``multi_cell``,
    which measures every line again for each character (a letter took 50 ms; now a few)."""
    chars: dict[str, float] = {}  # core-font widths add up per character (no kerning)

    def measure(word: str) -> float:
        return sum(chars.get(c) or chars.setdefault(c, pdf.get_string_width(c)) for c in word)

    space = measure(" ")
    lines: list[str] = []
    words: list[str] = []
    used = 0.0
    for word in text.split():
        size = measure(word)
        wider = used + space + size if words else size
        if words and wider > width:
            lines.append(" ".join(words))
            words, used = [word], size
        else:
            words.append(word)
            used = wider
    if words:
        lines.append(" ".join(words))
    return lines


def _signature(pdf: FPDF, practice: Practice, width: float) -> None:
    if pdf.get_y() + 30 > pdf.h - 16:
        pdf.add_page()
    pdf.set_font("Helvetica", size=10.5)
    pdf.cell(width, 5.5, "Sincerely,", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(width, 5.5, "Billing Office", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 5.5, pdf_text(practice.name), new_x="LMARGIN", new_y="NEXT")
    if practice.phone:
        pdf.cell(width, 5.5, pdf_text(practice.phone), new_x="LMARGIN", new_y="NEXT")


def _remit_slip(pdf: FPDF, item: OverdueAccount, practice: Practice, date: dt.date) -> None:
    if pdf.get_y() > pdf.h - SLIP_H - 12:
        pdf.add_page()
    top = pdf.h - SLIP_H - 10
    left = MARGIN
    pdf.set_draw_color(*MUTED)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.line(left, top, left + BODY_W, top)
    pdf.set_dash_pattern()
    pdf.set_xy(left, top + 1)
    pdf.set_font("Helvetica", size=7)
    pdf.set_text_color(*MUTED)
    pdf.cell(BODY_W, 4, "Please detach and return this part with your payment.", align="C")
    pdf.set_text_color(*INK)
    y = top + 8
    pdf.set_xy(left, y)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(90, 5, "Make checks payable and mail to:", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for part in practice.remit_lines or (practice.name,):
        pdf.cell(90, 4.5, pdf_text(part), new_x="LEFT", new_y="NEXT")
    box_w = 88
    box_x = left + BODY_W - box_w
    rows = (
        ("Account number", item.account),
        ("Notice date", date.strftime("%m/%d/%Y")),
        ("Amount due", money(item.amount_due)),
    )
    pdf.set_xy(box_x, y)
    for label, value in rows:
        pdf.set_font("Helvetica", size=9)
        pdf.cell(40, 6, label, border=1)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(box_w - 40, 6, pdf_text(value), border=1, align="R", new_x="LEFT", new_y="NEXT")
        pdf.set_x(box_x)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(40, 9, "Amount enclosed", border=1)
    pdf.cell(box_w - 40, 9, "$", border=1, align="L")


# --- the letters sheet -------------------------------------------------------------------------


def write_letters_sheet(notices: Sequence[Notice], path: Path) -> Path:
    """A workbook with one ``Letters`` table: one row per letter (address, amounts, PDF file).

    Built in memory and written atomically (temporary name, then moved into place).
    """
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Letters")
    money_fmt = book.add_format({"num_format": "$#,##0.00"})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    formats = {"AmountDue": money_fmt, "PastDue": money_fmt, "FirstStatement": date_fmt}
    rows = [_letter_row(n) for n in notices]
    columns = []
    for c, (name, width_chars) in enumerate(LETTER_COLUMNS):
        column: dict[str, object] = {"header": name}
        if name in formats:
            column["format"] = formats[name]
        columns.append(column)
        sheet.set_column(c, c, width_chars)
    sheet.add_table(
        0,
        0,
        max(len(rows), 1),
        len(LETTER_COLUMNS) - 1,
        {"name": "Letters", "columns": columns, "style": "Table Style Light 9"},
    )
    for r, row in enumerate(rows, start=1):
        for c, (name, _) in enumerate(LETTER_COLUMNS):
            value = row[name]
            if value is None:
                continue
            if name in ("AmountDue", "PastDue"):  # Decimal → Excel number at the boundary
                sheet.write_number(r, c, float(value), money_fmt)
            elif name == "FirstStatement":
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_fmt)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    sheet.freeze_panes(1, 0)
    book.close()
    return write_atomic(buffer.getvalue(), Path(path))


def _letter_row(notice: Notice) -> dict[str, object]:
    item, contact = notice.overdue, notice.overdue.contact
    return {
        "Account": item.account,
        "Name": contact.name,
        "Address1": contact.address1,
        "Address2": contact.address2,
        "City": contact.city,
        "State": contact.state,
        "ZIP": contact.zip,
        "AmountDue": item.amount_due,
        "PastDue": item.past_due,
        "FirstStatement": item.first_statement,
        "DaysPast": item.days_past,
        "DunningLevel": item.dunning_level,
        "Note": notice.note or None,
        "File": f"letters/{letter_file_name(item)}",
    }


# --- files ---------------------------------------------------------------------------------------


def _safe(text: str) -> str:
    """A file-name-safe form of an ID (letters, digits, dash and underscore kept)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text) or "account"
