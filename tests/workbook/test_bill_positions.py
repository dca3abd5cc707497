"""Bill field positions: the standard layout, moved ``bill_*`` names, the growth rule, checks."""

from __future__ import annotations

import pytest

from addin.core.findings import Severity
from addin.workbook.bill_positions import (
    BILL_LAYOUT,
    LINES_CAPACITY,
    BillLayout,
    bill_labels,
    field_cell,
)
from addin.workbook.xlsx_file import column_letter


def names(**moved: str) -> dict[str, str]:
    """The standard names as the template defines them, with ``moved`` ones replaced."""
    standard = {
        name: f"=BillTemplate!${column_letter(col)}${row + 1}"
        for name, (row, col) in BILL_LAYOUT.items()
    }
    return {**standard, **moved}


def errors(findings):
    return [f for f in findings if f.severity == Severity.ERROR]


def test_the_templates_own_names_give_the_standard_layout_without_findings():
    layout, findings = BillLayout.from_names(names())
    assert findings == ()
    assert layout.is_standard and layout == BillLayout.standard()
    assert layout.labels() == bill_labels() and len(layout.labels()) == 16


def test_a_moved_field_is_at_its_new_cell_and_its_label_moves_with_it():
    layout, findings = BillLayout.from_names(names(bill_account="='BillTemplate'!$C$4"))
    assert findings == ()
    assert layout.cell("bill_account") == (3, 2)
    assert layout.block("bill_account") == (3, 2, 3, 3)  # the merged block keeps its size
    assert (3, 0, 1, "Account number", "box_label") in layout.labels()


def test_names_are_matched_ignoring_case_and_the_equals_sign_is_optional():
    refs = {key.upper(): value.lstrip("=") for key, value in names().items()}
    refs["BILL_AMOUNT_DUE"] = "billtemplate!B30"
    layout, _ = BillLayout.from_names(refs)
    assert layout.cell("bill_amount_due") == (29, 1)


def test_fields_below_the_last_template_line_move_down_with_long_bills():
    layout, _ = BillLayout.from_names(
        names(bill_amount_due="=BillTemplate!$B$30", bill_account="=BillTemplate!$J$20")
    )
    extra = 7
    lines = LINES_CAPACITY + extra
    assert layout.cell("bill_amount_due", lines) == (29 + extra, 1)  # below the lines
    assert layout.cell("bill_account", lines) == (19, 9)  # beside the lines: stays
    assert layout.cell("bill_practice_name", lines) == (0, 0)  # above: stays
    assert layout.cell("bill_amount_due", LINES_CAPACITY) == (29, 1)  # no extra lines
    for name in BILL_LAYOUT:  # the standard layout keeps today's rule
        row, col = BILL_LAYOUT[name]
        below = row > BILL_LAYOUT["bill_lines"][0] + LINES_CAPACITY
        assert field_cell(name, lines) == (row + (extra if below else 0), col)


def test_a_label_with_no_room_at_its_offset_goes_left_of_its_field():
    layout, findings = BillLayout.from_names(names(bill_amount_due="=BillTemplate!$B$30"))
    assert findings == ()
    assert (29, 0, None, "Amount due", "box_due_label") in layout.labels()


def test_a_label_with_no_room_anywhere_is_left_out_with_a_warning():
    layout, findings = BillLayout.from_names(
        names(bill_amount_due="=BillTemplate!$A$1", bill_practice_name="=BillTemplate!$J$1")
    )
    [warning] = findings
    assert warning.severity == Severity.WARNING and warning.code == "bill_label_dropped"
    assert "bill_amount_due" in warning.message and "Amount due" in warning.message
    assert "Amount due" not in [label[3] for label in layout.labels()[:7]]


def test_a_missing_name_keeps_its_standard_cell_with_a_warning():
    refs = names()
    del refs["bill_due_date"]
    layout, [finding] = BillLayout.from_names(refs)
    assert layout.cell("bill_due_date") == BILL_LAYOUT["bill_due_date"]
    assert finding.severity == Severity.WARNING and finding.column == "bill_due_date"
    assert "G8" in finding.message and "Name Manager" in finding.fix


@pytest.mark.parametrize(
    ("reference", "says"),
    [
        ("=Policy!$B$4", "points at Policy, not BillTemplate"),
        ("=BillTemplate!$B$30:$C$31", "marks a range"),
        ("=#REF!", "deleted cell (#REF!)"),
        ("=SUM(1,2)", "is not a cell"),
    ],
)
def test_a_name_that_is_not_one_cell_of_bill_template_is_an_error(reference, says):
    layout, findings = BillLayout.from_names(names(bill_amount_due=reference))
    [error] = errors(findings)
    assert error.column == "bill_amount_due" and says in error.message
    assert "BillTemplate" in error.fix or "cell" in error.fix
    assert layout.cell("bill_amount_due") == BILL_LAYOUT["bill_amount_due"]


def test_a_range_of_one_cell_is_that_cell():
    layout, findings = BillLayout.from_names(names(bill_amount_due="=BillTemplate!$B$30:$B$30"))
    assert findings == () and layout.cell("bill_amount_due") == (29, 1)


def test_two_fields_on_the_same_cell_is_an_error_naming_the_moved_one():
    _, findings = BillLayout.from_names(names(bill_account="=BillTemplate!$A$1"))
    [error] = errors(findings)
    assert error.column == "bill_account" and "overlaps bill_practice_name" in error.message
    assert error.row == 1 and "free cell outside A1" in error.fix


def test_a_field_inside_the_itemised_lines_is_an_error():
    _, findings = BillLayout.from_names(names(bill_aging="=BillTemplate!$C$20"))
    [error] = errors(findings)
    assert "bill_aging (C20) overlaps bill_lines (the itemised lines)" in error.message
    assert "A14:H26" in error.fix


def test_totals_above_the_lines_are_an_error():
    _, findings = BillLayout.from_names(names(bill_totals="=BillTemplate!$J$5"))
    assert any(
        f.column == "bill_totals" and "not below the itemised lines" in f.message
        for f in errors(findings)
    )


def test_a_moved_lines_table_carries_the_growth_rule_with_it():
    layout, findings = BillLayout.from_names(
        names(bill_lines="=BillTemplate!$J$16", bill_totals="=BillTemplate!$M$30")
    )
    assert findings == ()
    assert (layout.lines_row, layout.lines_col) == (15, 9)
    last_line_row = 15 + LINES_CAPACITY
    assert layout.shift(last_line_row, LINES_CAPACITY + 3) == 0
    assert layout.shift(last_line_row + 1, LINES_CAPACITY + 3) == 3
    assert layout.last_cell()[1] == 9 + 7  # the print area takes in the moved table


def test_lines_moved_onto_the_totals_are_an_error_naming_the_totals_fix():
    _, findings = BillLayout.from_names(names(bill_lines="=BillTemplate!$A$15"))
    assert any(
        f.column == "bill_totals" and f.fix == "point it at a cell in row 28 or lower"
        for f in errors(findings)
    )
