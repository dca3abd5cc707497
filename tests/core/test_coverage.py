import datetime as dt
from decimal import Decimal

from addin.core.benefits import plans_from_frame
from addin.core.coverage import active_coverage, coverage_by_patient, verify_coverage
from addin.core.findings import Severity, has_errors
from tests.core.insurance_fixture import RECORDS, book

D = Decimal


def _verify(b, **kwargs):
    return verify_coverage(b["Charges"], b["Coverage"], plans_from_frame(b["Plans"]), **kwargs)


def _by_charge(findings):
    result = {}
    for f in findings:
        result.setdefault(f.ids[1], []).append((f.code, f.severity))
    return result


def test_each_kind_of_coverage_problem_is_found_on_its_charge():
    findings = _verify(book())
    assert _by_charge(findings) == {
        "C3": [("prior_auth", Severity.WARNING), ("not_verified", Severity.WARNING)],
        "C4": [("not_covered", Severity.ERROR), ("not_verified", Severity.WARNING)],
        "C5": [("self_pay", Severity.WARNING)],
        "C6": [("coverage_inactive", Severity.ERROR)],
    }
    assert has_errors(findings)


def test_findings_point_at_the_charges_sheet_row_and_column():
    findings = {(f.ids[1], f.code): f for f in _verify(book())}
    not_covered = findings[("C4", "not_covered")]
    assert (not_covered.sheet, not_covered.row, not_covered.column) == ("Charges", 5, "Code")
    assert not_covered.ids == ("P2", "C4", "GOLD")
    assert "97110" in not_covered.message and "NotCovered entry 97110" in not_covered.message
    assert not_covered.fix
    inactive = findings[("C6", "coverage_inactive")]
    assert (inactive.row, inactive.column) == (7, "ServiceDate")
    assert findings[("C5", "self_pay")].column == "PatientID"


def test_void_charges_are_not_checked():
    assert "C7" not in _by_charge(_verify(book()))


def test_verification_older_than_the_limit_is_a_warning():
    coverage = [dict(r) for r in RECORDS["Coverage"]]
    coverage[0]["VerifiedOn"] = dt.date(2026, 1, 1)
    findings = _verify(book(Coverage=coverage), stale_days=30)
    stale = [f for f in findings if f.code == "not_verified" and f.ids[1] == "C1"]
    assert len(stale) == 1
    assert "2026-01-01" in stale[0].message
    assert "Coverage row 2" in stale[0].fix
    assert not [f for f in _verify(book(Coverage=coverage), stale_days=90) if f.ids[1] == "C1"]


def test_secondary_not_covering_a_code_is_only_a_warning():
    plans = [dict(r) for r in RECORDS["Plans"]]
    plans[1]["NotCovered"] = "80053"
    findings = [f for f in _verify(book(Plans=plans)) if f.ids[1] == "C2"]
    assert [(f.code, f.severity, f.ids[-1]) for f in findings] == [
        ("not_covered", Severity.WARNING, "SILVER")
    ]


def test_only_a_secondary_in_force_is_used_as_primary_with_a_warning():
    coverage = [dict(r) for r in RECORDS["Coverage"] if r["PlanID"] != "GOLD"]
    findings = [f for f in _verify(book(Coverage=coverage)) if f.ids[1] == "C1"]
    assert [f.code for f in findings] == ["secondary_only"]


def test_self_pay_plan_is_no_insurance():
    coverage = [
        *RECORDS["Coverage"],
        {"PatientID": "P3", "PlanID": "CASH", "Rank": 1, "EffectiveFrom": dt.date(2020, 1, 1)},
    ]
    findings = [f for f in _verify(book(Coverage=coverage)) if f.ids[1] == "C5"]
    assert [f.code for f in findings] == ["self_pay"]


def test_coverage_is_in_force_on_its_first_and_last_day_only():
    b = book()
    plans = plans_from_frame(b["Plans"])
    records = coverage_by_patient(b["Coverage"])["P4"]
    assert active_coverage(records, plans, dt.date(2025, 12, 31)).primary.plan_id == "BRONZE"
    assert active_coverage(records, plans, dt.date(2026, 1, 1)).primary is None
    assert active_coverage(records, plans, dt.date(2023, 12, 31)).primary is None


def test_two_primaries_in_force_use_the_latest_and_warn():
    coverage = [
        *RECORDS["Coverage"],
        {"PatientID": "P2", "PlanID": "BRONZE", "Rank": 1, "EffectiveFrom": dt.date(2026, 3, 1),
         "VerifiedOn": dt.date(2026, 3, 1)},
    ]  # fmt: skip
    b = book(Coverage=coverage)
    active = active_coverage(
        coverage_by_patient(b["Coverage"])["P2"], plans_from_frame(b["Plans"]), dt.date(2026, 3, 12)
    )
    assert active.primary.plan_id == "BRONZE"
    assert active.notes == ("duplicate_primary",)
    codes = [f.code for f in _verify(b) if f.ids[1] == "C3"]
    assert codes[0] == "duplicate_primary"


def test_coverage_rows_carry_the_benefit_year_usage():
    record = coverage_by_patient(book()["Coverage"])["P1"][0]
    assert (record.usage.year, record.usage.deductible_met, record.usage.oop_used) == (
        2026,
        D("200.00"),
        D("300.00"),
    )
    assert record.row == 2
