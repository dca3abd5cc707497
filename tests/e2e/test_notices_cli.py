"""`paxl notices BOOK -o DIR`: letters, email drafts, call list and the log rows, on workbooks."""

import email
import email.policy
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from addin.cli import main
from addin.commands.notices import run_notices
from addin.workbook.encryption import encrypt_bytes
from addin.workbook.loader import load_book
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook
from tests.e2e.notice_records import charge, patient, read_csv, sha

NAMES = ("Rivera", "Chen", "Okafor", "Nakamura", "Begay")


def statement(sid, pid, on="2026-03-01"):
    return {
        "StatementID": sid,
        "PatientID": pid,
        "StatementDate": on,
        "DueDate": "2026-03-22",
        "AmountDue": "100.00",
        "DunningLevel": 1,
        "Channel": "Mail",
        "FinalNotice": False,
    }


RECORDS = {
    "Patients": [
        patient("P1", "Rivera", PreferredContact="Mail"),
        patient("P2", "Chen", PreferredContact="Email", Email="chen@example.com"),
        patient("P3", "Okafor", PreferredContact="Phone", TimeZone="America/Phoenix"),
        patient("P4", "Nakamura", PreferredContact="Text", TimeZone="Mountain"),
        patient("P5", "Rivera", Guarantor="P1"),
        patient("P6", "Begay", AccountStatus="Collections"),
    ],
    "Fees": [{"Code": "99213", "Charge": "100.00"}],
    "Charges": [
        charge("C1", "P1", "40.00"),
        charge("C5", "P5", "60.00"),
        charge("C2", "P2"),
        charge("C3", "P3", "75.25"),
        charge("C4", "P4"),
        charge("C6", "P6"),
    ],
    "Statements": [statement(f"S{i}", f"P{i}") for i in (1, 2, 3, 4, 6)],
    "Contacts": [
        {
            "ContactID": f"K{i}",
            "PatientID": "P3",
            "ContactedAt": f"2026-05-2{i} 11:00",
            "Channel": "Call",
            "Outcome": "No answer",
        }
        for i in range(6, 9)
    ],
}


@pytest.fixture
def book_path(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(path, RECORDS)
    return path


def run(book_path, out, *extra):
    return main(["notices", str(book_path), "-o", str(out), *extra])


def test_notices_write_letters_emails_and_the_call_list(book_path, tmp_path, capsys):
    before = sha(book_path)
    out = tmp_path / "out"
    assert run(book_path, out, "--as-of", "2026-06-01T10:00") == 0
    assert sha(book_path) == before  # the workbook is only read

    # a letter for P1's account (P5's charge too), titled and with the amount
    (page,) = [p.extract_text() for p in PdfReader(out / "letters" / "letter-P1.pdf").pages]
    assert "PAST-DUE NOTICE" in page and "$100.00" in page and "June 1, 2026" in page
    sheet = load_workbook(out / "letters.xlsx")["Letters"]
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["P1"]

    draft = email.message_from_bytes(
        (out / "emails" / "email-P2.eml").read_bytes(), policy=email.policy.default
    )
    assert draft["To"].addresses[0].addr_spec == "chen@example.com"
    assert draft["Date"] == "Mon, 01 Jun 2026 10:00:00 -0400"

    calls = {r["Account"]: r for r in read_csv(out / "calls.csv")}
    assert set(calls) == {"P3", "P4"}
    # 10:00 in New York is 07:00 in Phoenix (no DST): too early to call
    assert calls["P3"]["LocalTime"] == "2026-06-01T07:00-07:00"
    assert calls["P3"]["MayCallNow"] == "False" and calls["P3"]["Attempts"] == "3"
    assert "07:00 for the patient" in calls["P3"]["WhyNot"]
    assert calls["P4"]["Action"] == "Text" and calls["P4"]["LocalTime"] == ""
    assert "time zone" in calls["P4"]["WhyNot"]
    document = json.loads((out / "calls.json").read_text(encoding="utf-8"))
    assert document["window"] == {"start": "08:00", "end": "21:00"}
    assert [c["Account"] for c in document["calls"]] == ["P3", "P4"]

    log = read_csv(out / "contacts-to-log.csv")
    assert [(r["PatientID"], r["Channel"], r["Outcome"]) for r in log] == [
        ("P1", "Letter", "Sent"),
        ("P2", "Email", "Sent"),
    ]
    assert log[0]["ContactedAt"] == "2026-06-01 10:00"

    printed = capsys.readouterr()
    assert "4 accounts" in printed.out and "1 Collections" in printed.out
    assert "bad_time_zone" not in printed.out  # text mode prints the table, not codes
    assert "TimeZone" in printed.out and "Patients" in printed.out
    assert not any(name in printed.out + printed.err for name in NAMES)


def test_three_hours_later_phoenix_may_be_called(book_path, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(book_path, out, "--as-of", "2026-06-01T13:00", "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["may_call_now"] == 1
    assert (summary["letters"], summary["emails"], summary["calls"], summary["texts"]) == (
        1,
        1,
        1,
        1,
    )
    assert summary["skipped"] == {"Collections": 1}
    (finding,) = summary["findings"]
    assert (finding["sheet"], finding["row"], finding["column"]) == ("Patients", 5, "TimeZone")
    calls = {r["Account"]: r for r in read_csv(out / "calls.csv")}
    assert (
        calls["P3"]["LocalTime"] == "2026-06-01T10:00-07:00" and calls["P3"]["MayCallNow"] == "True"
    )


def test_as_of_with_an_offset_is_converted_to_practice_time(book_path, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(book_path, out, "--as-of", "2026-06-01T17:00+00:00", "--json") == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2026-06-01T13:00:00-04:00"


def test_bad_as_of_is_refused_by_the_parser(book_path, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run(book_path, tmp_path / "out", "--as-of", "June 1")
    assert exit_info.value.code == 2
    assert "not a date or time" in capsys.readouterr().err


def test_missing_workbook_is_a_clear_error(tmp_path, capsys):
    assert main(["notices", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "o")]) == 2
    assert "nope.xlsx" in capsys.readouterr().err


def test_notices_on_the_sample_match_their_letters_sheet(tmp_path):
    sample = generate_sample(200, 1)
    path = tmp_path / "sample.xlsx"
    write_workbook(path, sample.records)
    summary = run_notices(load_book(path), sample.as_of, tmp_path / "out")
    assert summary.overdue == summary.letters + summary.emails + summary.calls + summary.texts
    assert summary.overdue > 0 and summary.letters > 0
    rows = list(
        load_workbook(tmp_path / "out" / "letters.xlsx")["Letters"].iter_rows(values_only=True)
    )
    header, body = rows[0], rows[1:]
    assert len(body) == summary.letters
    for row in body:
        values = dict(zip(header, row, strict=True))
        (page,) = [p.extract_text() for p in PdfReader(tmp_path / "out" / values["File"]).pages]
        assert f"${values['AmountDue']:,.2f}" in page
    emails = sorted((tmp_path / "out" / "emails").glob("*.eml")) if summary.emails else []
    assert len(emails) == summary.emails
    calls = json.loads((tmp_path / "out" / "calls.json").read_text(encoding="utf-8"))["calls"]
    assert len(calls) == summary.calls + summary.texts
    assert all(c["LocalTime"] and c["TimeZone"] for c in calls)  # the sample's zones are valid


def test_a_password_protected_workbook_is_read_with_the_environment_password(
    book_path, tmp_path, monkeypatch, capsys
):
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(encrypt_bytes(book_path.read_bytes(), "s3cret-pw", ".xlsx"))
    monkeypatch.setenv("PAXL_PASSWORD", "s3cret-pw")
    assert run(locked, tmp_path / "out", "--as-of", "2026-06-01T10:00", "--json") == 0
    assert json.loads(capsys.readouterr().out)["letters"] == 1
