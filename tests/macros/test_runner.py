"""run_macro: one message box per click, PaxlError translated, bugs logged not shown."""

from __future__ import annotations

import logging

from addin.core.findings import Finding, Severity
from addin.errors import PaxlError
from addin.workbook.write_plan import PlanRejected
from macros.runner import Result, describe, error_message, run_macro, user_name
from tests.macros.practice import NOW, USER, practice


def test_a_paxl_error_becomes_one_message_box_and_nothing_else():
    workbook = practice()

    def body(port, *, now, user):
        raise PaxlError("Fix the thing on sheet X, row 3.")

    result = run_macro(body, workbook, now=NOW, user=USER)

    assert result == Result("Fix the thing on sheet X, row 3.")
    assert workbook.alerts == [("Fix the thing on sheet X, row 3.", "paxl")]


def test_a_bug_is_logged_with_its_traceback_and_the_rep_sees_no_raw_error(caplog):
    workbook = practice()

    def body(port, *, now, user):
        raise ZeroDivisionError("secret internals")

    with caplog.at_level(logging.ERROR, logger="paxl.macros"):
        result = run_macro(body, workbook, now=NOW, user=USER)

    assert not result.wrote
    ((message, _),) = workbook.alerts
    assert "unexpected problem" in message and "secret" not in message
    assert caplog.records[0].exc_info[0] is ZeroDivisionError


def test_the_body_gets_the_time_and_the_user():
    seen = {}

    def body(port, *, now, user):
        seen.update(now=now, user=user)
        return Result("ok")

    run_macro(body, practice(), now=NOW, user=USER)

    assert seen == {"now": NOW, "user": USER}


def test_a_rejected_plan_lists_each_error_with_where_it_is_and_counts_the_rest():
    findings = [
        Finding("blank_required", "Amount is blank.", "NewPayments", row, "Amount", fix="Fill it.")
        for row in range(2, 13)
    ] + [Finding("unknown_column", "Ignored.", "NewPayments", 1, "Note", severity=Severity.WARNING)]

    message = error_message(PlanRejected(findings))

    lines = message.splitlines()
    assert lines[0] == "Nothing was written: 11 problem(s) to fix first."
    assert lines[1] == "- sheet NewPayments, row 2, column Amount: Amount is blank. Fill it."
    assert lines[-1] == "- ... and 3 more problem(s)."
    assert "Ignored" not in message
    assert describe([Finding("x", "No where.")]) == "- No where."


def test_user_name_falls_back_to_the_login_when_the_host_has_no_excel_user():
    class Remote:
        class app:
            class engine:
                type = "remote"

    assert user_name(Remote()) == user_name()
    assert user_name()
