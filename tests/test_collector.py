"""The cyclic collector during bulk work: paused, restored, and the bill workbooks still freed."""

from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal

import pytest
from xlsxwriter.workbook import Workbook

from addin.bills.run import run_statements
from addin.collector import collect_now, paused_collection
from addin.workbook.sample import generate_sample
from addin.workbook.template import write_workbook


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_and_restored_after_even_on_an_error(collector_on):
    with pytest.raises(RuntimeError), paused_collection():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_pauses_keep_the_outer_one_paused(collector_on):
    with paused_collection():
        with paused_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_caller_that_turned_collection_off_keeps_it_off(collector_on):
    gc.disable()
    with paused_collection():
        pass
    assert not gc.isenabled()


def test_collect_now_frees_garbage_in_reference_cycles(collector_on):
    with paused_collection():
        collect_now()
        a: list[object] = []
        a.append(a)
        del a
        assert collect_now() >= 1


def test_a_statement_run_pauses_collection_and_frees_each_bill_workbook_before_the_next(
    tmp_path, collector_on
):
    book = tmp_path / "book.xlsx"
    sample = generate_sample(120, 3)
    write_workbook(book, sample.records, policy={"statement_minimum": Decimal("0.01")})
    enabled: list[bool] = []
    alive: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        enabled.append(gc.isenabled())
        if stage == "writing sheets":
            alive.append(sum(1 for o in gc.get_objects() if isinstance(o, Workbook)))

    collect_now()
    result = run_statements(
        book,
        tmp_path / "bills.xlsx",
        as_of=sample.as_of + dt.timedelta(days=45),
        per_workbook=10,
        progress=progress,
    )
    assert len(result.workbooks) >= 3
    assert enabled and not any(enabled)
    assert gc.isenabled()
    assert alive and max(alive) == 1  # the one being written: memory stays one workbook
