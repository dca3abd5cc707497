"""The schema is the contract: names unique, keys and references resolvable, Excel-safe names."""

import re

from addin.workbook.schema import (
    BILL_FIELDS,
    POLICY_TABLES,
    SETTINGS,
    TABLES,
    TABLES_BY_NAME,
    ColumnType,
)

EXCEL_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
CELL_REFERENCE = re.compile(r"^[a-z]{1,3}\d+$")


def test_table_and_column_names_are_unique():
    assert len({t.name for t in TABLES}) == len(TABLES)
    for t in TABLES:
        assert len(set(t.column_names)) == len(t.column_names), t.name


def test_every_key_and_unique_combination_names_real_columns():
    for t in TABLES:
        if t.key:
            assert t.key in t.column_names
            assert t.column(t.key).required
        for combo in t.unique_together:
            assert set(combo) <= set(t.column_names)


def test_every_reference_points_at_a_key_column_of_a_real_table():
    for t in TABLES:
        for c in t.columns:
            if c.references:
                target = TABLES_BY_NAME[c.references.table]
                assert c.references.column == target.key, (t.name, c.name)


def test_enum_columns_are_text_or_small_integers():
    for t in TABLES:
        for c in t.columns:
            if c.choices:
                assert c.type in (ColumnType.TEXT, ColumnType.INTEGER), (t.name, c.name)
                assert len(set(c.choices)) == len(c.choices)


def test_defined_names_are_valid_excel_names_and_not_cell_references():
    names = [s.name for s in SETTINGS] + list(BILL_FIELDS)
    assert len(set(names)) == len(names)
    for name in names:
        assert EXCEL_NAME.match(name), name
        assert not CELL_REFERENCE.match(name), name


def test_policy_defaults_follow_the_design():
    settings = {s.name: s.default for s in SETTINGS}
    assert settings["statement_cycle_days"] == 30
    assert settings["due_days"] == 21
    assert [settings[f"aging_{i}"] for i in range(1, 5)] == [30, 60, 90, 120]
    assert str(settings["plan_minimum_installment"]) == "25.00"
    assert settings["plan_terms"] == "3,6,12"
    assert str(settings["income_cap_hospital"]) == "0.04"
    assert str(settings["income_cap_professional"]) == "0.02"
    assert settings["forgiveness_payments"] == 36
    assert (settings["call_window_start"], settings["call_window_end"]) == ("08:00", "21:00")
    assert (settings["call_limit"], settings["call_limit_days"]) == (7, 7)
    assert all(settings[f"dunning_{n}"] for n in range(1, 6))
    guidelines = {pt.name: pt.rows for pt in POLICY_TABLES}["PovertyGuidelines"]
    assert {row[0] for row in guidelines} == {2025, 2026}
