"""Email drafts: RFC 5322 files from the standard library, deterministic, never sent."""

import datetime as dt
import email
import email.policy
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from addin.bills.email_drafts import (
    build_email,
    email_file_name,
    message_id,
    render_email,
    write_email,
)
from tests.bills.overdue_fixture import CONTACT, PRACTICE, overdue

NOW = dt.datetime(2026, 11, 15, 10, 30, tzinfo=ZoneInfo("America/New_York"))


def parsed(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def test_draft_has_the_headers_a_mail_client_needs():
    message = parsed(render_email(overdue(), PRACTICE, NOW))
    assert message["To"].addresses[0].addr_spec == "ana.rivera@example.com"
    assert message["To"].addresses[0].display_name == "Ana Rivera"
    assert message["From"].addresses[0].display_name == "Riverside Family Clinic Billing"
    assert message["Subject"] == "Past-due notice: your account P000042 at Riverside Family Clinic"
    assert message["Date"] == "Sun, 15 Nov 2026 10:30:00 -0500"
    assert message["Date"].datetime == NOW
    assert message["X-Unsent"] == "1"
    assert message["Message-ID"].startswith("<paxl.") and message["Message-ID"].endswith(
        "@practice.invalid>"
    )


def test_body_has_the_amount_the_dunning_text_and_no_slip():
    body = parsed(render_email(overdue(), PRACTICE, NOW)).get_content()
    assert body.startswith("Dear Ana Rivera,")
    assert "$1,234.56" in body and "call us to set up a payment plan" in " ".join(body.split())
    assert "slip" not in body
    assert all(len(line) <= 72 for line in body.splitlines())


def test_lines_end_in_crlf_as_rfc_5322_requires():
    data = render_email(overdue(), PRACTICE, NOW)
    assert b"\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_the_same_inputs_give_the_same_bytes_and_message_id():
    assert render_email(overdue(), PRACTICE, NOW) == render_email(overdue(), PRACTICE, NOW)
    assert message_id(overdue(), NOW) != message_id(overdue(account="P1"), NOW)
    assert message_id(overdue(), NOW) != message_id(overdue(), NOW + dt.timedelta(minutes=1))


def test_sender_sets_from_and_the_message_id_domain():
    message = parsed(render_email(overdue(), PRACTICE, NOW, sender="billing@clinic.example"))
    assert message["From"].addresses[0].addr_spec == "billing@clinic.example"
    assert message["Message-ID"].endswith("@clinic.example>")


def test_final_notice_subject():
    message = build_email(overdue(dunning_level=5), PRACTICE, NOW)
    assert message["Subject"].startswith("Final notice: ")


def test_non_ascii_names_survive_the_round_trip():
    item = overdue(contact=replace(CONTACT, name="Zoë Müller"))
    message = parsed(render_email(item, PRACTICE, NOW))
    assert message["To"].addresses[0].display_name == "Zoë Müller"
    assert "Dear Zoë Müller," in message.get_content()


def test_no_email_address_or_naive_time_is_refused():
    with pytest.raises(ValueError, match="no email"):
        build_email(overdue(contact=replace(CONTACT, email=None)), PRACTICE, NOW)
    with pytest.raises(ValueError, match="aware"):
        build_email(overdue(), PRACTICE, NOW.replace(tzinfo=None))


def test_draft_is_written_atomically(tmp_path):
    path = write_email(overdue(), PRACTICE, NOW, tmp_path / email_file_name(overdue()))
    assert path.name == "email-P000042.eml"
    assert [p.name for p in tmp_path.iterdir()] == ["email-P000042.eml"]
    assert parsed(path.read_bytes())["To"].addresses[0].username == "ana.rivera"
