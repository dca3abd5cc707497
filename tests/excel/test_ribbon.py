"""Reading and building the ribbon: checks on the source, planned buttons left out."""

from __future__ import annotations

import pytest

from addin.errors import PaxlError
from addin.excel.ribbon import CALLBACK, built_ribbon, ribbon_buttons


def ribbon(*groups: tuple[str, list[tuple[str, str]]], on_action: str = CALLBACK) -> bytes:
    body = "".join(
        f'<group id="g{i}" label="{label}">'
        + "".join(
            f'<button id="b{tag}" label="{text}" tag="{tag}" onAction="{on_action}"/>'
            for tag, text in buttons
        )
        + "</group>"
        for i, (label, buttons) in enumerate(groups)
    )
    return (
        '<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"><ribbon><tabs>'
        f'<tab id="t" label="Patient Accounts">{body}</tab></tabs></ribbon></customUI>'
    ).encode()


def test_buttons_are_read_in_order_with_their_group() -> None:
    xml = ribbon(("Pay", [("post_payments", "Post"), ("issue_refund", "Refund")]), ("Check", []))
    assert [(b.group, b.label, b.tag) for b in ribbon_buttons(xml)] == [
        ("Pay", "Post", "post_payments"),
        ("Pay", "Refund", "issue_refund"),
    ]


def test_planned_buttons_and_emptied_groups_are_left_out() -> None:
    xml = ribbon(
        ("Pay", [("post_payments", "Post"), ("generate_bill", "Bill")]),
        ("Later", [("send_to_collections", "Collections")]),
    )
    built, left_out = built_ribbon(xml, {"post_payments"})
    assert left_out == ("generate_bill", "send_to_collections")
    assert [b.tag for b in ribbon_buttons(built)] == ["post_payments"]
    assert b'label="Later"' not in built
    assert built.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')
    assert b"ns0:" not in built  # the customUI namespace stays the default one


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (ribbon(("P", [("post_payments", "A")]), on_action="Other.Sub"), "onAction must be"),
        (ribbon(("P", [("Post-Payments", "A")])), "must name a macro"),
        (
            ribbon(("P", [("post_payments", "A")]), ("Q", [("post_payments", "B")])),
            "more than one button with id",
        ),
        (b"<customUI", "not valid XML"),
    ],
)
def test_bad_ribbons_are_refused_with_a_reason(xml: bytes, message: str) -> None:
    with pytest.raises(PaxlError, match=message):
        ribbon_buttons(xml)
