"""PDF bills for mailing, drawn with fpdf2 (pure Python) from the statement model.

One statement → one PDF (US Letter, portrait; :func:`render_combined` puts many bills in one
file): practice header, statement box, the guarantor's address where a window envelope shows it,
the dunning message, the itemised lines with money right-aligned, totals, aging, payment-plan
options, the assistance notice, and at the bottom of the last page a remit slip below a cut line.
Long bills continue on further pages; the slip always comes last. The renderer computes nothing:
every figure comes from :class:`Statement`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from addin.core.statement import Statement
from addin.files import write_atomic

PAGE_W = 215.9  # US Letter, mm
MARGIN = 14.0
BODY_W = PAGE_W - 2 * MARGIN
SLIP_H = 58.0
SLIP_GAP = 3.0  # mm kept free above the cut line
LINE_COLUMNS = (  # title, width mm, align
    ("Date", 20, "L"),
    ("Code", 15, "L"),
    ("Description", 51.9, "L"),
    ("Charge", 20, "R"),
    ("Insurance paid", 22, "R"),
    ("Adjustments", 20, "R"),
    ("Paid by you", 20, "R"),
    ("You owe", 19, "R"),
)
PENDING_TEXT = "Pending with insurance - not due yet"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (13, 71, 161)
SHADE = (236, 241, 248)


def money(amount: Decimal) -> str:
    """``Decimal("-1234.5")`` → ``"-$1,234.50"``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def pdf_text(text: str) -> str:
    """Text the PDF core fonts can draw (Latin-1): other letters lose their accents, or become ?."""
    return "".join(_latin1_char(c) for c in text)


def _latin1_char(char: str) -> str:
    if ord(char) < 256:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and all(ord(c) < 256 for c in base) else "?"


class _BillPDF(FPDF):
    """One document holding one bill or several (a combined mailing file)."""

    def __init__(self, first: Statement) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.statement = first
        self.first_page = 1
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=False)
        self.set_author(pdf_text(first.practice.name))
        self.set_creation_date(_creation_date(first))

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.set_text_color(*MUTED)
        page = self.page_no() - self.first_page + 1
        _cell(self, 0, 4, pdf_text(f"Account {self.statement.account}  -  page {page}"), align="C")


def _creation_date(statement: Statement) -> dt.datetime:
    return dt.datetime.combine(statement.statement_date, dt.time(), tzinfo=dt.UTC)


def render_pdf(statement: Statement) -> bytes:
    """The bill as PDF bytes (the same statement always gives the same bytes)."""
    pdf = _BillPDF(statement)
    pdf.set_title(pdf_text(f"Statement {statement.statement_id}"))
    _draw(pdf, statement)
    return bytes(pdf.output())


def render_combined(statements: Sequence[Statement], title: str = "Patient statements") -> bytes:
    """Several bills in one PDF for mailing, each starting on a new page with its own slip.

    Raises:
        ValueError: no statements.
    """
    if not statements:
        raise ValueError("no statements to put in a combined PDF")
    pdf = _BillPDF(statements[0])
    pdf.set_title(pdf_text(title))
    for statement in statements:
        _draw(pdf, statement)
    return bytes(pdf.output())


def _draw(pdf: _BillPDF, statement: Statement) -> None:
    """Add the pages of one bill to the document."""
    pdf.add_page()
    pdf.statement = statement
    pdf.first_page = pdf.page_no()
    _header(pdf, statement)
    _address_and_summary(pdf, statement)
    _message(pdf, statement)
    _lines(pdf, statement)
    _totals(pdf, statement)
    _plan_options(pdf, statement)
    _notice(pdf, statement)
    _remit_slip(pdf, statement)


def write_pdf(statement: Statement, path: Path) -> Path:
    """Write the bill to ``path`` atomically (temporary name, then moved into place)."""
    return write_atomic(render_pdf(statement), path)


def _header(pdf: FPDF, s: Statement) -> None:
    pdf.set_text_color(*ACCENT)
    pdf.set_font("Helvetica", "B", 16)
    _cell(pdf, BODY_W * 0.6, 8, pdf_text(s.practice.name), new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font("Helvetica", size=9)
    _cell(pdf, BODY_W * 0.6, 4.5, pdf_text(s.practice.address), new_x="LEFT", new_y="NEXT")
    _cell(pdf, BODY_W * 0.6, 4.5, pdf_text(f"Billing questions: {s.practice.phone}"))
    title = "FINAL NOTICE" if s.final_notice else "PATIENT STATEMENT"
    pdf.set_xy(MARGIN + BODY_W * 0.6, MARGIN)
    pdf.set_font("Helvetica", "B", 14)
    pdf.set_text_color(*(180, 0, 0) if s.final_notice else ACCENT)
    _cell(pdf, BODY_W * 0.4, 8, title, align="R")
    pdf.set_text_color(*INK)
    pdf.set_y(MARGIN + 22)


def _address_and_summary(pdf: FPDF, s: Statement) -> None:
    top = pdf.get_y()
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(MARGIN + 6, top + 4)  # where a #10 window envelope shows the address
    for line in (s.guarantor.name, *s.guarantor.address_lines):
        _cell(pdf, 90, 5, pdf_text(line), new_x="LEFT", new_y="NEXT")
    rows = (
        ("Account number", s.account),
        ("Statement date", s.statement_date.strftime("%m/%d/%Y")),
        ("Patient", s.patient_name),
        ("Payment due by", s.due_date.strftime("%m/%d/%Y")),
    )
    box_x, box_w = MARGIN + BODY_W - 82, 82
    pdf.set_fill_color(*SHADE)
    pdf.rect(box_x, top, box_w, 36, style="F")
    pdf.set_xy(box_x + 3, top + 2)
    for label, value in rows:
        pdf.set_font("Helvetica", size=9)
        _cell(pdf, 34, 5.5, label)
        pdf.set_font("Helvetica", "B", 9)
        _cell(pdf, box_w - 40, 5.5, pdf_text(value), align="R", new_x="LEFT", new_y="NEXT")
        pdf.set_x(box_x + 3)
    pdf.set_font("Helvetica", "B", 12)
    _cell(pdf, 34, 8, "Amount due")
    _cell(pdf, box_w - 40, 8, money(s.amount_due), align="R")
    pdf.set_y(top + 40)


def _message(pdf: FPDF, s: Statement) -> None:
    if not s.message:
        return
    pdf.set_font("Helvetica", "B" if s.dunning_level >= 4 else "", 9.5)
    pdf.set_draw_color(*ACCENT)
    lines = wrap(pdf, pdf_text(s.message), BODY_W - 4)
    top = pdf.get_y()
    pdf.rect(MARGIN, top, BODY_W, 5 * len(lines) + 4)
    pdf.set_y(top + 2)
    _paragraph(pdf, lines, 5, indent=2)
    pdf.set_y(top + 5 * len(lines) + 4)
    pdf.ln(3)


def _width(pdf: FPDF, text: str) -> float:
    """Width in mm of text in the current core font (what ``get_string_width`` computes, without
    its per-call overhead; every text on a bill is Latin-1, see :func:`pdf_text`)."""
    widths = pdf.current_font.cw
    return sum(widths.get(c, 500) for c in text) * pdf.font_size / 1000


def _cell(
    pdf: FPDF,
    w: float,
    h: float,
    text: str = "",
    *,
    align: str = "L",
    fill: bool = False,
    border: int | str = 0,
    new_x: str = "RIGHT",
    new_y: str = "TOP",
) -> None:
    """A one-line cell like ``FPDF.cell`` (same text position, fill, border and cursor moves)
    drawn with ``FPDF.text`` and ``rect``: ten times faster, which matters for a mailing of
    thousands of bills. ``w=0`` reaches the right margin."""
    x, y = pdf.get_x(), pdf.get_y()
    if w == 0:
        w = pdf.w - pdf.r_margin - x
    if fill:
        pdf.rect(x, y, w, h, style="F")
    if border == 1:
        pdf.rect(x, y, w, h)
    elif border == "T":
        pdf.line(x, y, x + w, y)
    elif border == "B":
        pdf.line(x, y + h, x + w, y + h)
    if text:
        width = _width(pdf, text)
        if align == "R":
            dx = w - pdf.c_margin - width
        elif align == "C":
            dx = (w - width) / 2
        else:
            dx = pdf.c_margin
        pdf.text(x + dx, y + 0.5 * h + 0.3 * pdf.font_size, text)
    if new_y == "NEXT":
        y += h
    if new_x == "LMARGIN":
        x = pdf.l_margin
    elif new_x == "RIGHT":
        x += w
    pdf.set_xy(x, y)


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Split text into lines no wider than ``width`` mm in the current font, at spaces (a word
    wider than the line is cut). fpdf2's ``multi_cell`` measures every character again and again;
    measuring once per word keeps a bill's PDF fast."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if not line or _width(pdf, candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = word
            if _width(pdf, line) > width:
                line = _fit(pdf, line, width)
        lines.append(line)
    return lines


def _paragraph(pdf: FPDF, lines: Sequence[str], height: float, indent: float = 0) -> None:
    for line in lines:
        pdf.set_x(MARGIN + indent)
        _cell(pdf, BODY_W - 2 * indent, height, line, new_x="LMARGIN", new_y="NEXT")


def _table_header(pdf: FPDF) -> None:
    pdf.set_font("Helvetica", "B", 8)
    pdf.set_fill_color(*ACCENT)
    pdf.set_text_color(255, 255, 255)
    for title, width, align in LINE_COLUMNS:
        _cell(pdf, width, 6, title, align=align if align == "L" else "R", fill=True)
    pdf.ln(6)
    pdf.set_text_color(*INK)


def _lines(pdf: FPDF, s: Statement) -> None:
    _table_header(pdf)
    pdf.set_font("Helvetica", size=8)
    for i, line in enumerate(s.lines):
        height = 8.5 if line.pending_insurance else 5
        if pdf.get_y() + height > pdf.h - 17:
            pdf.add_page()
            _table_header(pdf)
            pdf.set_font("Helvetica", size=8)
        values = (
            line.service_date.strftime("%m/%d/%Y"),
            line.code,
            _fit(pdf, pdf_text(line.description), LINE_COLUMNS[2][1] - 1),
            money(line.charge),
            money(line.insurance_paid),
            money(line.adjustments),
            money(line.patient_paid),
            money(line.patient_owes),
        )
        fill = i % 2 == 1
        pdf.set_fill_color(*SHADE)
        for (_, width, align), value in zip(LINE_COLUMNS, values, strict=True):
            _cell(pdf, width, 5, value, align=align, fill=fill)
        pdf.ln(5)
        if line.pending_insurance:  # a second, quieter line under the description
            pdf.set_font("Helvetica", "I", 7)
            pdf.set_text_color(*MUTED)
            for _, width, _ in LINE_COLUMNS:
                text = PENDING_TEXT if width == LINE_COLUMNS[2][1] else ""
                _cell(pdf, width, 3.5, text, fill=fill)
            pdf.ln(3.5)
            pdf.set_text_color(*INK)
            pdf.set_font("Helvetica", size=8)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The text, cut short with "..." when it is wider than ``width`` (binary search: few
    width measurements, which are what fpdf2 spends its time on)."""
    if _width(pdf, text) <= width:
        return text
    low, high = 0, len(text)  # text[:low] + "..." fits; text[:high] + "..." does not
    while high - low > 1:
        middle = (low + high) // 2
        if _width(pdf, text[:middle] + "...") <= width:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "..."


def _ensure_room(pdf: FPDF, height: float) -> None:
    if pdf.get_y() + height > pdf.h - 16:
        pdf.add_page()


def _totals(pdf: FPDF, s: Statement) -> None:
    """Left: the account since the last bill. Right: how the amount due adds up."""
    rows = [("You owe for the services above", money(s.services_due))]
    if s.other_due:
        rows.append(("Other amounts due", money(s.other_due)))
    if s.unapplied_credit:
        rows.append(("Unapplied credit on your account", money(-s.unapplied_credit)))
    _ensure_room(pdf, 6 * (len(rows) + 4))
    pdf.ln(2)
    top = pdf.get_y()
    pdf.set_font("Helvetica", "B", 8.5)
    _cell(pdf, 80, 5, "Since your last statement", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8.5)
    for label, value in (
        ("Previous balance", money(s.previous_balance)),
        ("Payments received", money(s.payments_since)),
    ):
        _cell(pdf, 50, 4.5, label)
        _cell(pdf, 25, 4.5, value, align="R", new_x="LMARGIN", new_y="NEXT")
    bottom_left = pdf.get_y()
    label_w, value_w = 66, 30
    x = MARGIN + BODY_W - label_w - value_w
    pdf.set_y(top)
    pdf.set_font("Helvetica", size=9)
    for label, value in rows:
        pdf.set_x(x)
        _cell(pdf, label_w, 5, label)
        _cell(pdf, value_w, 5, value, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(x)
    pdf.set_font("Helvetica", "B", 11)
    _cell(pdf, label_w, 7, "Amount due", border="T")
    _cell(
        pdf, value_w, 7, money(s.amount_due), border="T", align="R", new_x="LMARGIN", new_y="NEXT"
    )
    if s.insurance_pending:
        pdf.set_x(x)
        pdf.set_font("Helvetica", "I", 8)
        _cell(pdf, label_w, 4.5, "Pending with insurance, not due yet")
        _cell(
            pdf, value_w, 4.5, money(s.insurance_pending), align="R", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.set_y(max(pdf.get_y(), bottom_left))
    pdf.ln(1)
    pdf.set_font("Helvetica", size=8)
    aging = "   ".join(f"{label} days: {money(amount)}" for label, amount in s.aging.buckets)
    _cell(pdf, BODY_W, 5, f"Aging of amount due -  {aging}", new_x="LMARGIN", new_y="NEXT")


def _plan_options(pdf: FPDF, s: Statement) -> None:
    if not s.plan_options:
        return
    _ensure_room(pdf, 12 + 5 * len(s.plan_options))
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 9.5)
    _cell(pdf, BODY_W, 6, "Ways to pay", new_x="LMARGIN", new_y="NEXT")
    headers = (("Option", 70), ("Payment", 25), ("Payments", 20), ("Last payment", 25))
    headers += (("Total paid", 22), ("Forgiven", 25.9))
    pdf.set_font("Helvetica", "B", 8)
    for title, width in headers:
        _cell(pdf, width, 5, title, align="L" if title == "Option" else "R", border="B")
    pdf.ln(5)
    pdf.set_font("Helvetica", size=8)
    for option in s.plan_options:
        label = option.label + ("  (recommended)" if option.recommended else "")
        values = (
            pdf_text(label),
            money(option.installment),
            str(option.count),
            money(option.final_payment),
            money(option.total_paid),
            money(option.forgiven),
        )
        for (title, width), value in zip(headers, values, strict=True):
            _cell(pdf, width, 4.5, value, align="L" if title == "Option" else "R")
        pdf.ln(4.5)


def _notice(pdf: FPDF, s: Statement) -> None:
    if not s.assistance_notice:
        return
    _ensure_room(pdf, 14)
    pdf.ln(2)
    pdf.set_font("Helvetica", "I", 8)
    _paragraph(pdf, wrap(pdf, pdf_text(s.assistance_notice), BODY_W), 4)


def _remit_slip(pdf: FPDF, s: Statement) -> None:
    if pdf.get_y() > pdf.h - SLIP_H - 10 - SLIP_GAP:  # the slip needs a clear gap above it
        pdf.add_page()
    top = pdf.h - SLIP_H - 10
    pdf.set_draw_color(*MUTED)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.line(MARGIN, top, MARGIN + BODY_W, top)
    pdf.set_dash_pattern()
    pdf.set_xy(MARGIN, top + 1)
    pdf.set_font("Helvetica", size=7)
    pdf.set_text_color(*MUTED)
    _cell(pdf, BODY_W, 4, "Please detach and return this part with your payment.", align="C")
    pdf.set_text_color(*INK)
    y = top + 8
    pdf.set_xy(MARGIN, y)
    pdf.set_font("Helvetica", "B", 9)
    _cell(pdf, 90, 5, "Make checks payable and mail to:", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for part in s.practice.remit_lines:
        _cell(pdf, 90, 4.5, pdf_text(part), new_x="LEFT", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=8)
    _cell(pdf, 90, 4, "From:", new_x="LEFT", new_y="NEXT")
    for line in (s.guarantor.name, *s.guarantor.address_lines):
        _cell(pdf, 90, 4, pdf_text(line), new_x="LEFT", new_y="NEXT")
    box_x, box_w = MARGIN + BODY_W - 88, 88
    rows = (
        ("Account number", s.account),
        ("Statement date", s.statement_date.strftime("%m/%d/%Y")),
        ("Amount due", money(s.amount_due)),
        ("Due by", s.due_date.strftime("%m/%d/%Y")),
    )
    pdf.set_xy(box_x, y)
    for label, value in rows:
        pdf.set_font("Helvetica", size=9)
        _cell(pdf, 40, 6, label, border=1)
        pdf.set_font("Helvetica", "B", 9)
        _cell(pdf, box_w - 40, 6, pdf_text(value), border=1, align="R", new_x="LEFT", new_y="NEXT")
        pdf.set_x(box_x)
    pdf.set_font("Helvetica", "B", 9)
    _cell(pdf, 40, 9, "Amount enclosed", border=1)
    _cell(pdf, box_w - 40, 9, "$", border=1, align="L")
