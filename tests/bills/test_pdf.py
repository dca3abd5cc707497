import io
from dataclasses import replace
from decimal import Decimal

from fpdf import FPDF
from pypdf import PdfReader

from addin.bills.pdf import money, pdf_text, render_combined, render_pdf, wrap, write_pdf
from tests.bills.conftest import make_statement


def _pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_money_is_shown_with_sign_thousands_and_cents():
    assert money(Decimal("1234.5")) == "$1,234.50"
    assert money(Decimal("-25")) == "-$25.00"
    assert money(Decimal("0")) == "$0.00"


def test_bill_shows_amount_due_account_and_remit_slip(statement):
    text = _pages_text(render_pdf(statement))
    assert len(text) == 1
    page = text[0]
    assert "Amount due" in page
    assert page.count("$90.00") >= 3  # summary box, totals, remit slip
    assert "P000042" in page
    assert "Amount enclosed" in page
    assert "Please detach and return" in page


def test_long_bill_continues_on_more_pages_with_the_slip_on_the_last():
    statement = make_statement(80)
    pages = _pages_text(render_pdf(statement))
    assert len(pages) >= 2
    assert "Amount enclosed" in pages[-1]
    assert all("Amount enclosed" not in p for p in pages[:-1])
    assert sum(p.count("Established patient visit") for p in pages) == 80
    assert "$2,400.00" in pages[-1]


def test_final_notice_is_titled_as_such():
    pages = _pages_text(render_pdf(make_statement(final_notice=True, dunning_level=5)))
    assert "FINAL NOTICE" in pages[0]


def test_names_outside_latin1_are_folded_not_crashing():
    assert pdf_text("Zoë Nguyễn") == "Zoë Nguyen"
    statement = make_statement(patient_name="Đặng Thị")
    assert "Amount due" in _pages_text(render_pdf(statement))[0]


def test_pdf_is_written_atomically_and_is_identical_each_time(tmp_path, statement):
    first = write_pdf(statement, tmp_path / "a.pdf").read_bytes()
    second = render_pdf(statement)
    assert first == second
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_combined_pdf_holds_every_bill_each_with_its_own_slip_and_page_numbers():
    bills = [make_statement(2, account=f"P00000{i}") for i in range(1, 4)]
    pages = _pages_text(render_combined(bills))
    assert len(pages) == 3
    assert all("Amount enclosed" in p for p in pages)
    assert [p.count("page 1") for p in pages] == [1, 1, 1]
    assert "P000003" in pages[2]


def test_pending_lines_are_marked_and_the_totals_add_up_to_the_amount_due():
    lines = make_statement(2).lines
    pending = replace(lines[1], pending_insurance=True)
    statement = make_statement(
        lines=(lines[0], pending),
        amount_due=Decimal("20.00"),
        insurance_pending=Decimal("30.00"),
        unapplied_credit=Decimal("10.00"),
    )
    page = _pages_text(render_pdf(statement))[0]
    assert "Pending with insurance - not due yet" in page
    assert "You owe for the services above" in page
    assert "$30.00" in page and "-$10.00" in page and "$20.00" in page


def test_long_text_is_wrapped_at_words_within_the_width():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    text = "Financial assistance is available to you " * 8
    lines = wrap(pdf, text, 80)
    assert len(lines) > 2
    assert " ".join(lines) == text.strip()
    assert all(pdf.get_string_width(line) <= 80 for line in lines)
