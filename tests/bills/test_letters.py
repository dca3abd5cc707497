"""Overdue letters: a real letter with the amount, the dunning text and a remit slip."""

import datetime as dt
import io
from dataclasses import replace

from openpyxl import load_workbook
from pypdf import PdfReader

from addin.bills.letters import (
    letter_file_name,
    long_date,
    notice_paragraphs,
    render_letter,
    wrap_text,
    write_letter,
    write_letters_sheet,
)
from addin.core.overdue import Channel, Notice
from tests.bills.overdue_fixture import CONTACT, FINAL, PRACTICE, overdue

DATE = dt.date(2026, 11, 15)


def text_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_letter_is_one_page_with_address_amount_message_and_slip():
    (page,) = text_of(render_letter(overdue(), PRACTICE, DATE))
    assert "PAST-DUE NOTICE" in page
    assert "November 15, 2026" in page
    for line in ("Ana Rivera", "12 Elm Street", "Apt 4", "Springfield, IL 62704"):
        assert line in page
    assert "Dear Ana Rivera," in page
    assert page.count("$1,234.56") >= 3  # summary box, opening sentence, remit slip
    assert "$1,000.00" in page  # past due
    assert "Please pay today or call us" in page
    assert "Amount enclosed" in page and "PO Box 4410" in page
    assert "Sincerely," in page


def test_level_5_letter_is_a_final_notice():
    (page,) = text_of(render_letter(overdue(dunning_level=5, message=FINAL), PRACTICE, DATE))
    assert "FINAL NOTICE" in page and "PAST-DUE NOTICE" not in page
    assert "collection agency" in page


def test_letter_bytes_are_the_same_each_time_and_written_atomically(tmp_path):
    path = write_letter(overdue(), PRACTICE, DATE, tmp_path / "letters" / "a.pdf")
    assert path.read_bytes() == render_letter(overdue(), PRACTICE, DATE)
    assert [p.name for p in path.parent.iterdir()] == ["a.pdf"]


def test_names_outside_latin1_do_not_break_the_letter():
    item = overdue(contact=replace(CONTACT, name="Đặng Thị Lan"))
    (page,) = text_of(render_letter(item, PRACTICE, DATE))
    assert "Thi Lan" in page  # accents dropped, letters without a Latin-1 form become ?


def test_letter_without_a_name_or_address_still_reads():
    item = overdue(contact=replace(CONTACT, name="", address1=None, address2=None, city=None))
    (page,) = text_of(render_letter(item, PRACTICE, DATE))
    assert "Dear Patient," in page


def test_paragraphs_mention_the_first_bill_date_and_days():
    opening = notice_paragraphs(overdue(), PRACTICE)[0]
    assert "September 1, 2026" in opening and "75 days ago" in opening
    assert long_date(dt.date(2026, 1, 5)) == "January 5, 2026"


def test_email_wording_gives_the_remit_address_instead_of_the_slip():
    paragraphs = " ".join(notice_paragraphs(overdue(), PRACTICE, slip=False))
    assert "slip" not in paragraphs and "PO Box 4410, Springfield, IL 62708" in paragraphs
    assert "this message" in paragraphs


def test_file_names_are_safe_for_any_id():
    assert letter_file_name(overdue(account="A/B 7")) == "letter-A_B_7.pdf"


def test_letters_sheet_lists_each_letter_with_its_file(tmp_path):
    notices = [
        Notice(overdue(), Channel.LETTER),
        Notice(overdue(account="P9", contact=replace(CONTACT, address2=None)), Channel.LETTER, "x"),
    ]
    path = write_letters_sheet(notices, tmp_path / "letters.xlsx")
    sheet = load_workbook(path)["Letters"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Account", "Name", "Address1")
    assert [r[0] for r in rows[1:]] == ["P000042", "P9"]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["AmountDue"] == 1234.56 and first["DunningLevel"] == 3
    assert first["File"] == "letters/letter-P000042.pdf"
    assert dict(zip(header, rows[2], strict=True))["Note"] == "x"


def test_empty_letters_sheet_is_still_a_valid_workbook(tmp_path):
    path = write_letters_sheet([], tmp_path / "letters.xlsx")
    assert load_workbook(path)["Letters"]["A1"].value == "Account"


def test_wrapped_lines_fit_the_width_and_keep_every_word():
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    pdf.set_font("Helvetica", size=10.5)
    text = " ".join(notice_paragraphs(overdue(), PRACTICE))
    lines = wrap_text(pdf, text, 120)
    assert len(lines) > 5
    assert all(pdf.get_string_width(line) <= 120 + 1e-6 for line in lines)
    assert " ".join(lines).split() == text.split()


def test_a_very_long_dunning_text_continues_on_a_second_page_with_the_slip_last():
    item = overdue(message="Please call us about your account. " * 120)
    pages = text_of(render_letter(item, PRACTICE, DATE))
    assert len(pages) >= 2
    assert "Please call us about your account" in pages[1]
    assert "Sincerely," in pages[-1]
    assert "Amount enclosed" in pages[-1] and "Amount enclosed" not in pages[0]
