"""The deck: python-pptx reads it back, its tables and totals are the figures to the cent,
charts are pictures inside the slide, no names, and the same figures give the same bytes."""

import io
from decimal import Decimal

import pytest
from pptx import Presentation

from addin.reports.deck import PHI_NOTE, build_deck, money_text, value_text
from addin.reports.figures import report_figures, report_tables
from tests.reports.book_fixture import AS_OF, NAMES, book


@pytest.fixture(scope="module")
def figures():
    return report_figures(book(), AS_OF, months=3)


@pytest.fixture(scope="module")
def deck(figures):
    return build_deck(figures)


@pytest.fixture(scope="module")
def slides(deck):
    return list(Presentation(io.BytesIO(deck)).slides)


def shapes_named(slides, name):
    return [shape for slide in slides for shape in slide.shapes if shape.name == name]


def table_cells(shape):
    return [[cell.text for cell in row.cells] for row in shape.table.rows]


def all_text(slides):
    parts = []
    for slide in slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [text for row in table_cells(shape) for text in row]
    return "\n".join(parts)


def test_seven_slides_with_their_titles(slides):
    assert slides[0].shapes.title.text == "Accounts receivable report"
    assert [shapes_named([s], "title")[0].text_frame.text for s in slides[1:]] == [
        "A/R total and trend",
        "Aging of open items",
        "Collections rate",
        "Payments by payer and method",
        "Top balances",
        "Payment plans: on track vs behind",
    ]


def test_every_table_is_the_figures_table_cell_for_cell(slides, figures):
    for table in report_tables(figures):
        (shape,) = shapes_named(slides, f"table:{table.name}")
        expected = [list(table.header)] + [[value_text(v) for v in row] for row in table.rows]
        assert table_cells(shape) == expected, table.name


def test_the_headline_totals_are_the_ledgers(slides):
    (ar,) = shapes_named(slides, "text:ar_total")
    assert ar.text_frame.text == (
        "A/R $410.00 (insurance $300.00, patients $110.00); credits $20.00; net A/R $390.00 "
        "as of 2026-11-15."
    )
    (rate,) = shapes_named(slides, "text:collections_rate")
    assert "collected $270.00" in rate.text_frame.text
    assert "on charges $600.00: rate 45.0%" in rate.text_frame.text
    assert "($20.00): 46.6%" in rate.text_frame.text


def test_charts_are_pictures_inside_their_slides(deck, slides):
    prs = Presentation(io.BytesIO(deck))
    pictures = shapes_named(slides, "chart")
    assert len(pictures) == 5
    assert all(p.image.content_type == "image/png" for p in pictures)
    for slide in slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width, shape.name
            assert shape.top + shape.height <= prs.slide_height, shape.name


def test_charts_do_not_cover_the_tables(slides):
    for slide in slides:
        charts = [s for s in slide.shapes if s.name == "chart"]
        tables = [s for s in slide.shapes if s.has_table]
        for chart in charts:
            for table in tables:
                assert chart.left + chart.width <= table.left, table.name


def test_no_patient_names_only_ids(slides):
    text = all_text(slides)
    assert PHI_NOTE in text
    assert "P3" in text
    for name in NAMES:
        assert name not in text


def test_the_same_figures_give_the_same_bytes(deck, figures):
    assert build_deck(figures) == deck


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234.5"), "$1,234.50"),
        (Decimal("-12.00"), "-$12.00"),
        (123456, "$1,234.56"),
        (-5, "-$0.05"),
        (0, "$0.00"),
    ],
)
def test_money_text(value, text):
    assert money_text(value) == text
