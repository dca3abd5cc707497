"""`paxl era preview`: JSON and text output, exit codes 0 / 1 / 2."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

from addin.cli import main
from addin.commands.era import preview_data, write_preview_text
from addin.era import EraFile, Payment, ProviderAdjustment, Remittance, all_problems
from tests.era.era_fixture import FILES, text


def _preview_json(capsys, name: str) -> tuple[int, dict]:
    code = main(["era", "preview", str(FILES / f"{name}.835"), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_balanced_file_previews_as_json_and_exits_0(capsys):
    code, data = _preview_json(capsys, "normal_payment")
    assert code == 0
    assert data["postable"] is True
    assert data["payment"] == data["payments"][0]
    payment = data["payment"]
    assert {k: payment[k] for k in ("total_paid", "method", "payment_date", "trace_number")} == {
        "total_paid": "507.00",
        "method": "ACH",
        "payment_date": "2026-03-12",
        "trace_number": "EFT20260312001",
    }
    assert payment["payer_name"] == "ACME HEALTH PLAN"
    assert [c["patient_control_number"] for c in data["claims"]] == [
        "CLM000101",
        "CLM000102",
        "CLM000103",
        "CLM000104",
    ]
    first = data["claims"][0]
    assert (first["charge"], first["paid"], first["patient_responsibility"]) == (
        "230.00",
        "103.00",
        "27.00",
    )
    assert first["services"][0]["line_control_number"] == "C0000101"
    assert first["services"][0]["allowed"] == "120.00"
    assert first["balanced"] is True
    assert data["claims"][3]["claim_adjustments"] == [
        {"group": "PR", "reason": "1", "amount": "10.00"}
    ]
    assert data["totals"] == {
        "claims_paid": "507.00",
        "provider_adjustments": "0.00",
        "total_paid": "507.00",
        "reconciles": True,
    }
    assert data["errors"] == [] and data["provider_adjustments"] == []


def test_plb_totals_reconcile_and_the_second_plb_report_is_listed_as_ignored(capsys):
    code, data = _preview_json(capsys, "plb_adjustment")
    assert code == 0
    assert data["totals"] == {
        "claims_paid": "240.00",
        "provider_adjustments": "42.50",
        "total_paid": "197.50",
        "reconciles": True,
    }
    assert [(p["reason"], p["reference"], p["amount"]) for p in data["provider_adjustments"]] == [
        ("WO", "ACME26010077", "35.00"),
        ("L6", "ACME26030301", "-2.50"),
        ("FB", "RECOUP0042", "10.00"),
    ]
    assert data["errors"] == []
    (ignored,) = data["ignored_parser_reports"]
    assert ignored["segment"] == "PLB" and ignored["blocks_posting"] is False


def test_an_unbalanced_file_lists_its_problems_and_exits_1(capsys):
    code, data = _preview_json(capsys, "broken_unbalanced")
    assert code == 1
    assert data["postable"] is False
    assert data["totals"]["reconciles"] is False
    assert [e["code"] for e in data["errors"]] == [
        "payment_unbalanced",
        "claim_unbalanced",
        "service_unbalanced",
    ]
    assert [c["balanced"] for c in data["claims"]] == [False, True]


def test_a_truncated_file_is_previewable_but_not_postable(capsys):
    code, data = _preview_json(capsys, "broken_truncated")
    assert code == 1
    assert data["postable"] is False
    assert any(e["code"] == "truncated" for e in data["errors"])


def test_a_file_with_several_payments_lists_them_all(capsys):
    code, data = _preview_json(capsys, "two_interchanges")
    assert code == 0
    assert data["payment"] is None
    assert [p["trace_number"] for p in data["payments"]] == ["CHK0012345", "CHK0077001"]
    assert [c["trace_number"] for c in data["claims"]] == ["CHK0012345", "CHK0077001"]
    assert data["totals"]["total_paid"] == "184.40"


def test_text_output_shows_the_payment_each_claim_and_the_verdict(capsys):
    code = main(["era", "preview", str(FILES / "reversal_and_correction.835")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Payment EFT20260403002  ACH  2026-04-03  from ACME HEALTH PLAN  total 80.00" in out
    lines = [ln for ln in out.splitlines() if ln.strip().startswith("CLM000102")]
    assert len(lines) == 2
    assert "22 reversal of previous payment" in lines[0] and "-64.00" in lines[0]
    assert "144.00" in lines[1]
    assert "= payment 80.00: reconciles" in out
    assert out.rstrip().endswith("Postable: yes.")


def test_text_output_lists_problems_with_segment_and_claim(capsys):
    code = main(["era", "preview", str(FILES / "broken_unbalanced.835")])
    out = capsys.readouterr().out
    assert code == 1
    assert "segment 16 (CLP), claim CLM000701: Claim CLM000701 does not balance" in out
    assert "DOES NOT RECONCILE" in out
    assert "Postable: NO" in out


def test_text_output_never_shows_patient_names(capsys):
    main(["era", "preview", str(FILES / "normal_payment.835")])
    out = capsys.readouterr().out
    assert "SAMPLE" not in out and "MBR0000001" not in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not an edi file\n", "is not an X12 835 file"),
        (None, "holds X12 837 transactions"),
    ],
)
def test_a_file_that_is_not_an_835_exits_2_with_one_sentence(tmp_path, capsys, content, message):
    path = tmp_path / "upload.txt"
    path.write_text(
        content if content is not None else text("normal_payment").replace("ST*835", "ST*837"),
        encoding="ascii",
    )
    code = main(["era", "preview", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert message in captured.err
    assert captured.err.count("\n") == 1


def test_era_without_an_action_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["era"])
    assert exc.value.code == 2


def test_a_payment_with_only_provider_adjustments_prints_without_claims():
    remittance = Remittance(
        payment=Payment(Decimal("-35.00"), "NON", None, "RECOUP1", payer_name="ACME"),
        provider_adjustments=(ProviderAdjustment("WO", Decimal("35.00"), "ACME26010077"),),
    )
    era = EraFile(remittances=(remittance,), source="recoup.835")
    data = preview_data(era, all_problems(era))
    out = io.StringIO()
    write_preview_text(data, out)
    assert "Provider adjustment WO ACME26010077: 35.00" in out.getvalue()
    assert "= payment -35.00: reconciles" in out.getvalue()
    assert data["postable"] is True
