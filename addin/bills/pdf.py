"""PDF bills for mailing, drawn with fpdf2 (pure Python) from the statement model.

One statement → one PDF (US Letter, portrait): practice header, statement box, the guarantor's
address where a window envelope shows it, the dunning message, the itemised lines with money
right-aligned, totals, aging, payment-plan options, the assistance notice, and at the bottom of the
last page a remit slip below a cut line. Long bills continue on further pages; the slip always
comes last. The renderer computes nothing: every figure comes from :class:`Statement`.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from addin.core.statement import Statement

PAGE_W = 215.9  # US Letter, mm
MARGIN = 14.0
BODY_W = PAGE_W - 2 * MARGIN
SLIP_H = 58.0
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
    def __init__(self, statement: Statement) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.statement = statement
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=False)
        self.set_title(pdf_text(f"Statement {statement.statement_id}"))
        self.set_author(pdf_text(statement.practice.name))
        self.set_creation_date(_creation_date(statement))

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.set_text_color(*MUTED)
        self.cell(
            0, 4, pdf_text(f"Account {self.statement.account}  -  page {self.page_no()}"), align="C"
        )


def _creation_date(statement: Statement):
    import datetime as dt

    return dt.datetime.combine(statement.statement_date, dt.time(), tzinfo=dt.UTC)


def render_pdf(statement: Statement) -> bytes:
    """The bill as PDF bytes."""
    pdf = _BillPDF(statement)
    pdf.add_page()
    _header(pdf, statement)
    _address_and_summary(pdf, statement)
    _message(pdf, statement)
    _lines(pdf, statement)
    _totals(pdf, statement)
    _plan_options(pdf, statement)
    _notice(pdf, statement)
    _remit_slip(pdf, statement)
    return bytes(pdf.output())


def write_pdf(statement: Statement, path: Path) -> Path:
    """Write the bill to ``path`` atomically (temporary name, then moved into place)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = render_pdf(statement)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _header(pdf: FPDF, s: Statement) -> None:
    pdf.set_text_color(*ACCENT)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(BODY_W * 0.6, 8, pdf_text(s.practice.name), new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font("Helvetica", size=9)
    pdf.cell(BODY_W * 0.6, 4.5, pdf_text(s.practice.address), new_x="LEFT", new_y="NEXT")
    pdf.cell(BODY_W * 0.6, 4.5, pdf_text(f"Billing questions: {s.practice.phone}"))
    title = "FINAL NOTICE" if s.final_notice else "PATIENT STATEMENT"
    pdf.set_xy(MARGIN + BODY_W * 0.6, MARGIN)
    pdf.set_font("Helvetica", "B", 14)
    pdf.set_text_color(*(180, 0, 0) if s.final_notice else ACCENT)
    pdf.cell(BODY_W * 0.4, 8, title, align="R")
    pdf.set_text_color(*INK)
    pdf.set_y(MARGIN + 22)


def _address_and_summary(pdf: FPDF, s: Statement) -> None:
    top = pdf.get_y()
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(MARGIN + 6, top + 4)  # where a #10 window envelope shows the address
    for line in (s.guarantor.name, *s.guarantor.address_lines):
        pdf.cell(90, 5, pdf_text(line), new_x="LEFT", new_y="NEXT")
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
        pdf.cell(34, 5.5, label)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(box_w - 40, 5.5, pdf_text(value), align="R", new_x="LEFT", new_y="NEXT")
        pdf.set_x(box_x + 3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(34, 8, "Amount due")
    pdf.cell(box_w - 40, 8, money(s.amount_due), align="R")
    pdf.set_y(top + 40)


def _message(pdf: FPDF, s: Statement) -> None:
    if not s.message:
        return
    pdf.set_font("Helvetica", "B" if s.dunning_level >= 4 else "", 9.5)
    pdf.set_draw_color(*ACCENT)
    pdf.multi_cell(BODY_W, 5, pdf_text(s.message), border=1, padding=2)
    pdf.ln(3)


def _table_header(pdf: FPDF) -> None:
    pdf.set_font("Helvetica", "B", 8)
    pdf.set_fill_color(*ACCENT)
    pdf.set_text_color(255, 255, 255)
    for title, width, align in LINE_COLUMNS:
        pdf.cell(width, 6, title, align=align if align == "L" else "R", fill=True)
    pdf.ln()
    pdf.set_text_color(*INK)


def _lines(pdf: FPDF, s: Statement) -> None:
    _table_header(pdf)
    pdf.set_font("Helvetica", size=8)
    for i, line in enumerate(s.lines):
        if pdf.get_y() > pdf.h - 22:
            pdf.add_page()
            _table_header(pdf)
            pdf.set_font("Helvetica", size=8)
        description = line.description + (" (pending insurance)" if line.pending_insurance else "")
        values = (
            line.service_date.strftime("%m/%d/%Y"),
            line.code,
            _fit(pdf, pdf_text(description), LINE_COLUMNS[2][1] - 1),
            money(line.charge),
            money(line.insurance_paid),
            money(line.adjustments),
            money(line.patient_paid),
            money(line.patient_owes),
        )
        fill = i % 2 == 1
        pdf.set_fill_color(*SHADE)
        for (_, width, align), value in zip(LINE_COLUMNS, values, strict=True):
            pdf.cell(width, 5, value, align=align, fill=fill)
        pdf.ln()


def _fit(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "...") > width:
        text = text[:-1]
    return text + "..."


def _ensure_room(pdf: FPDF, height: float) -> None:
    if pdf.get_y() + height > pdf.h - 16:
        pdf.add_page()


def _totals(pdf: FPDF, s: Statement) -> None:
    rows = [
        ("Previous balance", money(s.previous_balance)),
        ("Payments since last statement", money(-s.payments_since)),
    ]
    if s.insurance_pending:
        rows.append(("Pending with insurance (not due yet)", money(s.insurance_pending)))
    if s.unapplied_credit:
        rows.append(("Unapplied credit on your account", money(-s.unapplied_credit)))
    _ensure_room(pdf, 6 * (len(rows) + 3))
    pdf.ln(2)
    label_w, value_w = 70, 30
    x = MARGIN + BODY_W - label_w - value_w
    pdf.set_font("Helvetica", size=9)
    for label, value in rows:
        pdf.set_x(x)
        pdf.cell(label_w, 5, label)
        pdf.cell(value_w, 5, value, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(x)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(label_w, 7, "Amount due", border="T")
    pdf.cell(value_w, 7, money(s.amount_due), border="T", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Helvetica", size=8)
    aging = "   ".join(f"{label} days: {money(amount)}" for label, amount in s.aging.buckets)
    pdf.cell(BODY_W, 5, f"Aging of amount due -  {aging}", new_x="LMARGIN", new_y="NEXT")


def _plan_options(pdf: FPDF, s: Statement) -> None:
    if not s.plan_options:
        return
    _ensure_room(pdf, 12 + 5 * len(s.plan_options))
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.cell(BODY_W, 6, "Ways to pay", new_x="LMARGIN", new_y="NEXT")
    headers = (("Option", 70), ("Payment", 25), ("Payments", 20), ("Last payment", 25))
    headers += (("Total paid", 22), ("Forgiven", 25.9))
    pdf.set_font("Helvetica", "B", 8)
    for title, width in headers:
        pdf.cell(width, 5, title, align="L" if title == "Option" else "R", border="B")
    pdf.ln()
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
            pdf.cell(width, 5, value, align="L" if title == "Option" else "R")
        pdf.ln()


def _notice(pdf: FPDF, s: Statement) -> None:
    if not s.assistance_notice:
        return
    _ensure_room(pdf, 14)
    pdf.ln(2)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(BODY_W, 4, pdf_text(s.assistance_notice))


def _remit_slip(pdf: FPDF, s: Statement) -> None:
    if pdf.get_y() > pdf.h - SLIP_H - 12:
        pdf.add_page()
    top = pdf.h - SLIP_H - 10
    pdf.set_draw_color(*MUTED)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.line(MARGIN, top, MARGIN + BODY_W, top)
    pdf.set_dash_pattern()
    pdf.set_xy(MARGIN, top + 1)
    pdf.set_font("Helvetica", size=7)
    pdf.set_text_color(*MUTED)
    pdf.cell(BODY_W, 4, "Please detach and return this part with your payment.", align="C")
    pdf.set_text_color(*INK)
    y = top + 8
    pdf.set_xy(MARGIN, y)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(90, 5, "Make checks payable and mail to:", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for part in _split_address(s.practice.remit_to):
        pdf.cell(90, 4.5, pdf_text(part), new_x="LEFT", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=8)
    pdf.cell(90, 4, "From:", new_x="LEFT", new_y="NEXT")
    for line in (s.guarantor.name, *s.guarantor.address_lines):
        pdf.cell(90, 4, pdf_text(line), new_x="LEFT", new_y="NEXT")
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
        pdf.cell(40, 6, label, border=1)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(box_w - 40, 6, pdf_text(value), border=1, align="R", new_x="LEFT", new_y="NEXT")
        pdf.set_x(box_x)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(40, 9, "Amount enclosed", border=1)
    pdf.cell(box_w - 40, 9, "$", border=1, align="L")


def _split_address(text: str) -> Iterable[str]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) <= 2:
        return parts
    return [parts[0], ", ".join(parts[1:-2]) or parts[1], ", ".join(parts[-2:])]
