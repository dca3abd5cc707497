"""The accounts-receivable deck: :class:`~addin.reports.figures.ReportFigures` → a .pptx as bytes.

Seven slides (16:9): title; A/R total and trend; aging; collections rate; payments by payer and
by method; top balances; payment plans. Each figure slide has a matplotlib chart (PNG drawn in
memory) and the exact numbers in a table, formatted from the figures' cents (``$1,234.56``);
the charts plot dollars as floats, for drawing only. Tables and the headline texts carry shape
names (``table:<name>`` from :func:`~addin.reports.figures.report_tables`, ``text:ar_total``,
``text:collections_rate``) so the numbers can be read back and checked.

**Deterministic**: fixed figure sizes and DPI, no timestamps in the PNGs, the document's
created/modified dates set to the as-of date, and the zip entries re-stamped 1980-01-01 — the same
figures give the same bytes. **PHI**: accounts by ID only, never a name (the figures hold none).
Charts are drawn with matplotlib's Agg canvas directly (``Figure`` + ``FigureCanvasAgg``), so no
global backend is switched and no window is opened.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from addin.core.money import from_cents
from addin.reports.figures import FigureTable, ReportFigures, Share, percent, report_tables

__all__ = ["PHI_NOTE", "build_deck", "money_text", "value_text"]

PHI_NOTE = "Accounts are shown by ID only: no names, addresses or birth dates."
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
BODY_TOP, TABLE_LEFT, CHART_W = Inches(1.6), Inches(7.2), Inches(6.6)
CHART_SIZE = (6.4, 4.2)  # inches
CHART_DPI = 150
MAX_SHARES = 8  # payers/methods charted individually; the rest as "All others"
INK, ACCENT, SECOND = "#1f2933", "#1f6f8b", "#e07a5f"
STAMP = (1980, 1, 1, 0, 0, 0)


def money_text(value: Decimal | int) -> str:
    """Dollars (Decimal) or cents (int) as ``$1,234.56`` / ``-$12.00``."""
    dollars = from_cents(value) if isinstance(value, int) else value
    sign = "-" if dollars < 0 else ""
    return f"{sign}${abs(dollars):,.2f}"


def value_text(value: object) -> str:
    """A table cell: Decimal money as ``$``, dates ISO, ``None`` as ``-``."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def build_deck(figures: ReportFigures) -> bytes:
    """The deck of the figures as .pptx bytes (module doc)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    tables = {t.name: t for t in report_tables(figures)}
    f = figures
    _title_slide(prs, f)

    ar = f.ar
    slide = _slide(prs, "A/R total and trend")
    _text(
        slide,
        "text:ar_total",
        f"A/R {money_text(ar.total)} (insurance {money_text(ar.insurance)}, patients "
        f"{money_text(ar.patient)}); credits {money_text(ar.credit)}; net A/R "
        f"{money_text(ar.net)} as of {f.as_of}.",
    )
    _chart(slide, _trend_chart(f))
    _table(slide, tables["ar_trend"])

    slide = _slide(prs, "Aging of open items")
    _text(
        slide,
        "text:aging",
        "Patient amounts aged from the bill date, insurance amounts from the service date. "
        f"Not aged (account-level debits): {money_text(f.aging.unaged)}.",
    )
    _chart(slide, _aging_chart(f))
    _table(slide, tables["aging"])

    c = f.collections
    slide = _slide(prs, "Collections rate")
    _text(
        slide,
        "text:collections_rate",
        f"{c.start} to {c.end}: collected {money_text(c.collected)} (payments "
        f"{money_text(c.payments)} − refunds {money_text(c.refunds)}) on charges "
        f"{money_text(c.charges)}: rate {_rate(c.rate)}; net of contractual adjustments "
        f"({money_text(c.contractual)}): {_rate(c.net_rate)}.",
    )
    _chart(slide, _flow_chart(f))
    _table(slide, tables["collections"])

    slide = _slide(prs, "Payments by payer and method")
    _text(slide, "text:payments", f"Payments received {c.start} to {c.end}.")
    _chart(slide, _shares_chart(f.by_payer, f.by_method), width=Inches(7.4))
    _table(slide, tables["by_payer"], top=Inches(1.55), height=Inches(2.6), left=Inches(7.9))
    _table(slide, tables["by_method"], top=Inches(4.45), height=Inches(2.4), left=Inches(7.9))

    slide = _slide(prs, "Top balances")
    _text(slide, "text:top_balances", f"Largest account balances as of {f.as_of}. {PHI_NOTE}")
    _table(slide, tables["top_balances"], left=Inches(0.6), width=Inches(12.1))

    slide = _slide(prs, "Payment plans: on track vs behind")
    note = f"Plans tracked as of {f.as_of}."
    if f.plan_problems:
        note += f" {f.plan_problems} plan row(s) could not be tracked; see paxl plan."
    _text(slide, "text:plans", note)
    _chart(slide, _plans_chart(f))
    _table(slide, tables["plans"])

    props = prs.core_properties
    stamp = dt.datetime.combine(f.as_of, dt.time())
    props.title = f"Accounts receivable report {f.as_of}"
    props.author = props.last_modified_by = "paxl"
    props.created = props.modified = stamp
    props.revision = 1
    out = io.BytesIO()
    prs.save(out)
    return _stable_zip(out.getvalue())


# --- slides ------------------------------------------------------------------------------------


def _title_slide(prs: Presentation, f: ReportFigures) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "Accounts receivable report"
    subtitle = slide.placeholders[1]
    subtitle.text = (
        f"{f.practice}\nAs of {f.as_of} · period {f.collections.start} to {f.collections.end}\n"
        f"{PHI_NOTE}"
    )


def _slide(prs: Presentation, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    box = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.7))
    box.name = "title"
    para = box.text_frame.paragraphs[0]
    para.text = title
    para.runs[0].font.size = Pt(28)
    para.runs[0].font.bold = True
    return slide


def _text(slide, name: str, text: str) -> None:
    box = slide.shapes.add_textbox(Inches(0.5), Inches(0.95), Inches(12.3), Inches(0.55))
    box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.paragraphs[0].text = text
    frame.paragraphs[0].runs[0].font.size = Pt(14)


def _chart(slide, png: bytes, *, width: Emu = CHART_W) -> None:
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches(0.4), BODY_TOP, width=width)
    picture.name = "chart"


def _table(
    slide,
    table: FigureTable,
    *,
    left: Emu = TABLE_LEFT,
    top: Emu = BODY_TOP,
    width: Emu | None = None,
    height: Emu | None = None,
) -> None:
    rows = len(table.rows) + 1
    cols = len(table.header)
    width = width or SLIDE_W - left - Inches(0.4)
    height = height or Inches(min(0.3 * rows, 5.6))
    shape = slide.shapes.add_table(rows, cols, left, top, width, height)
    shape.name = f"table:{table.name}"
    grid = shape.table
    size = Pt(10 if rows > 10 else 11)
    for c, head in enumerate(table.header):
        _cell(grid.cell(0, c), head, size, bold=True)
    for r, values in enumerate(table.rows, start=1):
        for c, value in enumerate(values):
            _cell(grid.cell(r, c), value_text(value), size, bold=values[0] == "Total")


def _cell(cell, text: str, size: Pt, *, bold: bool = False) -> None:
    cell.text = text
    for run in cell.text_frame.paragraphs[0].runs:  # none when the text is empty
        run.font.size = size
        run.font.bold = bold


def _rate(rate: Decimal | None) -> str:
    shown = percent(rate)
    return "n/a (no charges)" if shown is None else f"{shown}%"


# --- charts ------------------------------------------------------------------------------------


def _figure(size: tuple[float, float] = CHART_SIZE) -> Figure:
    figure = Figure(figsize=size, dpi=CHART_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=CHART_DPI, metadata={"Software": None})
    return out.getvalue()


def _dollars(cents: Sequence[int]) -> list[float]:
    """Cents as float dollars, for drawing only (never for arithmetic on money)."""
    return [c / 100 for c in cents]


def _money_axis(axis) -> None:
    axis.yaxis.set_major_formatter(lambda v, _pos: f"${v:,.0f}")
    axis.spines[["top", "right"]].set_visible(False)


def _trend_chart(f: ReportFigures) -> bytes:
    figure = _figure()
    axis = figure.add_subplot()
    labels = [f"{p.day:%b %d}" if p.day == f.as_of else f"{p.day:%b %y}" for p in f.trend]
    x = range(len(labels))
    insurance = _dollars([p.insurance for p in f.trend])
    patient = _dollars([p.patient for p in f.trend])
    axis.bar(x, insurance, color=ACCENT, label="Insurance")
    axis.bar(x, patient, bottom=insurance, color=SECOND, label="Patients")
    axis.plot(x, _dollars([p.net for p in f.trend]), color=INK, marker="o", label="Net A/R")
    axis.set_xticks(list(x), labels, rotation=45, ha="right", fontsize=8)
    axis.set_title("A/R at each month-end")
    axis.legend(frameon=False, fontsize=8)
    _money_axis(axis)
    return _png(figure)


def _aging_chart(f: ReportFigures) -> bytes:
    figure = _figure()
    axis = figure.add_subplot()
    x = range(len(f.aging.labels))
    patient = _dollars(list(f.aging.patient))
    axis.bar(x, patient, color=SECOND, label="Patients")
    axis.bar(x, _dollars(list(f.aging.insurance)), bottom=patient, color=ACCENT, label="Insurance")
    axis.set_xticks(list(x), [f"{label} days" for label in f.aging.labels])
    axis.set_title("Open items by age")
    axis.legend(frameon=False, fontsize=8)
    _money_axis(axis)
    return _png(figure)


def _flow_chart(f: ReportFigures) -> bytes:
    figure = _figure()
    axis = figure.add_subplot()
    x = list(range(len(f.months)))
    axis.bar([i - 0.2 for i in x], _dollars([m.charges for m in f.months]), 0.4, color=ACCENT)
    axis.bar([i + 0.2 for i in x], _dollars([m.collected for m in f.months]), 0.4, color=SECOND)
    axis.set_xticks(x, [m.label for m in f.months], rotation=45, ha="right", fontsize=8)
    axis.legend(["Charges", "Collected"], frameon=False, fontsize=8)
    axis.set_title("Charges and net collections by month")
    _money_axis(axis)
    return _png(figure)


def _grouped(shares: Sequence[Share]) -> tuple[list[str], list[int]]:
    shown = list(shares[:MAX_SHARES])
    labels, cents = [s.label for s in shown], [s.cents for s in shown]
    rest = shares[MAX_SHARES:]
    if rest:
        labels.append("All others")
        cents.append(sum(s.cents for s in rest))
    return labels, cents


def _shares_chart(by_payer: Sequence[Share], by_method: Sequence[Share]) -> bytes:
    figure = _figure((7.2, 4.2))
    for position, (title, shares) in enumerate(
        (("By payer", by_payer), ("By method", by_method)), start=1
    ):
        axis = figure.add_subplot(1, 2, position)
        labels, cents = _grouped(shares)
        y = list(range(len(labels)))
        axis.barh(y, _dollars(cents), color=ACCENT if position == 1 else SECOND)
        axis.set_yticks(y, labels, fontsize=8)
        axis.invert_yaxis()
        axis.set_title(title)
        axis.xaxis.set_major_formatter(lambda v, _pos: f"${v:,.0f}")
        axis.tick_params(axis="x", labelsize=7, rotation=45)
        axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _plans_chart(f: ReportFigures) -> bytes:
    figure = _figure()
    axis = figure.add_subplot()
    open_states = [g for g in f.plans if g.state in ("on track", "behind", "defaulted")]
    colors = {"on track": ACCENT, "behind": SECOND, "defaulted": "#b23a48"}
    x = range(len(open_states))
    axis.bar(x, [g.count for g in open_states], color=[colors[g.state] for g in open_states])
    axis.set_xticks(list(x), [g.state for g in open_states])
    axis.yaxis.get_major_locator().set_params(integer=True)
    axis.set_title("Open payment plans")
    axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


# --- packaging ---------------------------------------------------------------------------------


def _stable_zip(data: bytes) -> bytes:
    """The package re-zipped with fixed entry timestamps (same content → same bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
