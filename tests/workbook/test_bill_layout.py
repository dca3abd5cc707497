"""Bill drawing: the plan (labels, fields, cells) a run reuses across bills is the layout's own,
for every growth."""

from __future__ import annotations

from addin.workbook.bill_layout import LINES_CAPACITY, BillLayout, bill_plan, placed_labels
from addin.workbook.bill_positions import BILL_CELLS, BILL_LAYOUT
from addin.workbook.xlsx_file import column_letter


def _moved_layout() -> BillLayout:
    names = {
        name: f"=BillTemplate!${column_letter(col)}${row + 1}"
        for name, (row, col) in BILL_LAYOUT.items()
    }
    names["bill_amount_due"] = "=BillTemplate!$B$30"  # below the lines: moves with long bills
    layout, findings = BillLayout.from_names(names)
    assert not findings
    return layout


def test_reused_labels_equal_the_layouts_labels_for_short_and_long_bills_and_moved_names():
    for layout in (BillLayout.standard(), _moved_layout()):
        for lines in (0, 1, LINES_CAPACITY, LINES_CAPACITY + 1, LINES_CAPACITY + 9, 3, 0):
            assert placed_labels(layout, lines) == layout.labels(lines)


def test_two_layouts_do_not_share_labels():
    moved = _moved_layout()
    long_bill = LINES_CAPACITY + 5
    assert placed_labels(moved, long_bill) != placed_labels(BillLayout.standard(), long_bill)


def test_reused_plan_equals_the_layouts_places_for_short_and_long_bills_and_moved_names():
    for layout in (BillLayout.standard(), _moved_layout()):
        for lines in (0, 1, LINES_CAPACITY, LINES_CAPACITY + 1, LINES_CAPACITY + 9, 3, 0):
            plan = bill_plan(layout, lines)
            drawn = {name: rect for name, rect, _, _ in plan.fields}
            assert drawn == {
                name: layout.block(name, lines)
                for name in BILL_CELLS
                if name not in ("bill_lines", "bill_totals")
            }
            assert all(merged == BILL_CELLS[name].merged for name, _, merged, _ in plan.fields)
            assert plan.totals == layout.cell("bill_totals", lines)
            assert plan.last_cell == layout.last_cell(lines)
            message = layout.block("bill_message", lines)
            assert plan.message_rows == tuple(range(message[0], message[2] + 1))
