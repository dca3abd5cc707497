"""Reading 835 files: normalising, pyx12 validation, extraction into records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from addin.core.findings import Severity
from addin.era import ProblemKind, all_problems, is_postable, parse_era, read_era
from addin.era.parse import normalise, validate
from addin.errors import PaxlError
from tests.era.era_fixture import FILES, era, text

VALID = (
    "normal_payment",
    "denial",
    "reversal_and_correction",
    "plb_adjustment",
    "no_line_breaks",
    "bom_other_separators",
    "two_interchanges",
)


def _blocking(name_or_era):
    e = era(name_or_era) if isinstance(name_or_era, str) else name_or_era
    return [p for p in e.problems if p.blocks_posting]


# --------------------------------------------------------------------------- normalise


def test_separators_come_from_the_isa_including_repetition_and_component():
    seps, segments, tail = normalise(text("bom_other_separators"))
    assert (seps.element, seps.component, seps.repetition, seps.segment) == ("|", ">", "{", "~")
    assert segments[0].id == "ISA" and segments[-1].id == "IEA"
    assert tail == ""


def test_a_utf8_bom_is_stripped_from_bytes():
    data = (FILES / "bom_other_separators.835").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    _, segments, _ = normalise(data)
    assert segments[0].elements[0] == "ISA"


def test_composites_split_on_the_declared_component_separator():
    _, segments, _ = normalise(text("bom_other_separators"))
    svc = next(s for s in segments if s.id == "SVC")
    assert svc.parts(1) == ("HC", "99215", "25")


def test_a_file_without_line_breaks_gives_the_same_segments_as_with_them():
    flat = text("no_line_breaks")
    assert "\n" not in flat
    with_breaks = flat.replace("~", "~\r\n")
    a = normalise(flat)[1]
    b = normalise(with_breaks)[1]
    assert [s.elements for s in a] == [s.elements for s in b]
    assert [s.position for s in a] == list(range(1, len(a) + 1))


def test_a_file_wrapped_at_a_fixed_width_is_mended():
    flat = text("no_line_breaks")
    wrapped = "\r\n".join(flat[i : i + 80] for i in range(0, len(flat), 80))
    assert [s.elements for s in normalise(wrapped)[1]] == [s.elements for s in normalise(flat)[1]]


def test_a_newline_can_itself_be_the_segment_terminator():
    newline_terminated = text("normal_payment").replace("~\n", "\n")
    seps, segments, _ = normalise(newline_terminated)
    assert seps.segment == "\n"
    assert [s.elements for s in segments] == [
        s.elements for s in normalise(text("normal_payment"))[1]
    ]
    parsed = parse_era(newline_terminated)
    assert parsed.remittances[0].payment.total_paid == Decimal("507.00")
    assert _blocking(parsed) == []


def test_text_after_the_last_terminator_is_returned_as_a_cut_off_segment():
    _, segments, tail = normalise(text("broken_truncated"))
    assert tail == "SVC*HC:99214*300.0"
    assert segments[-1].id == "DTM"


@pytest.mark.parametrize(
    "content",
    [
        "hello, this is a text file",
        "PK\x03\x04 a zip or xlsx",
        "ISA*00*short*ISA~",
        "ISA*00*          *00*          *ZZ*ACMEHEALTH     *ZZ*EXAMPLECLINIC  *260310*1200",
    ],
)
def test_content_that_is_not_x12_is_refused_in_one_sentence(content):
    with pytest.raises(PaxlError, match=r"is not an X12 835 file"):
        parse_era(content, source="upload.835")


def test_an_isa_that_declares_the_same_separator_twice_is_refused():
    isa = text("normal_payment").splitlines()[0]
    same = isa[:104] + "*" + isa[105:]  # component separator = element separator
    with pytest.raises(PaxlError, match="same or an unusable character"):
        normalise(same + "\n")


# --------------------------------------------------------------------------- not an 835


def test_an_837_claim_file_is_refused_naming_what_it_is(tmp_path):
    path = tmp_path / "claims.txt"
    path.write_text(text("normal_payment").replace("ST*835*", "ST*837*"), encoding="ascii")
    with pytest.raises(PaxlError, match=r"claims\.txt holds X12 837 transactions, not 835"):
        read_era(path)


def test_a_missing_file_an_empty_file_and_a_folder_are_refused(tmp_path):
    with pytest.raises(PaxlError, match="does not exist"):
        read_era(tmp_path / "nope.835")
    (tmp_path / "empty.835").write_bytes(b"  \r\n")
    with pytest.raises(PaxlError, match="is empty"):
        read_era(tmp_path / "empty.835")
    with pytest.raises(PaxlError, match="is a folder"):
        read_era(tmp_path)


def test_a_file_with_envelopes_but_no_transaction_is_refused():
    lines = text("normal_payment").splitlines(keepends=True)
    envelope_only = "".join(lines[:2] + lines[-2:]).replace("GE*1*", "GE*0*")
    with pytest.raises(PaxlError, match="no ST segment"):
        parse_era(envelope_only)


def test_another_835_version_is_a_blocking_problem_not_a_crash():
    older = text("normal_payment").replace("005010X221A1", "004010X091A1")
    parsed = parse_era(older)
    codes = {p.code for p in _blocking(parsed)}
    assert "unsupported_version" in codes
    assert not is_postable(parsed)


# --------------------------------------------------------------------------- pyx12 validation


@pytest.mark.parametrize("name", VALID)
def test_the_hand_written_valid_files_pass_pyx12_apart_from_known_false_reports(name):
    problems = era(name).problems
    assert [p for p in problems if p.kind is not ProblemKind.KNOWN_FALSE] == []


def test_a_second_plb_segment_is_recognised_as_a_known_false_report():
    (report,) = era("plb_adjustment").problems
    assert report.kind is ProblemKind.KNOWN_FALSE
    assert report.code == "pyx12_seg_4"
    assert (report.segment, report.position) == ("PLB", 34)
    assert report.severity is Severity.INFO
    assert not report.blocks_posting


def test_a_repeated_control_number_from_another_sender_is_a_known_false_report():
    (report,) = era("two_interchanges").problems
    assert report.kind is ProblemKind.KNOWN_FALSE
    assert report.code == "pyx12_isa_025"
    assert [i.sender for i in era("two_interchanges").interchanges] == [
        "ZZ:BEACONMUTUAL",
        "ZZ:ACMEHEALTH",
    ]


def test_a_repeated_control_number_from_the_same_sender_blocks_posting():
    twice = text("normal_payment") * 2
    parsed = parse_era(twice)
    (report,) = _blocking(parsed)
    assert report.code == "pyx12_isa_025" and report.kind is ProblemKind.PARSER
    assert not is_postable(parsed)


def test_a_wrong_segment_count_is_a_blocking_parser_error_at_the_se_segment():
    (report,) = _blocking("broken_segment_count")
    assert report.code == "pyx12_st_4"
    assert report.segment == "ST"
    assert report.position == 58  # the SE segment
    assert "SE count of 57" in report.message
    assert report.trace_number == "EFT20260312001"


def test_a_truncated_file_reports_the_missing_trailers_and_the_cut():
    codes = {p.code for p in _blocking("broken_truncated")}
    assert {"pyx12_st_2", "pyx12_gs_3", "pyx12_isa_023", "truncated"} <= codes


def test_element_errors_name_the_element_but_never_echo_its_value():
    secret = "PRIVATENAME" * 7  # 77 characters: NM103 allows 60
    bad = text("normal_payment").replace("NM1*QC*1*EXAMPLE*", f"NM1*QC*1*{secret}*", 1)
    parsed = parse_era(bad)
    (report,) = _blocking(parsed)
    assert report.code == "pyx12_ele_5"
    assert report.element == "NM103"
    assert report.claim == "CLM000102"
    assert "too long" in report.message
    assert "PRIVATENAME" not in report.message


def test_pyx12_positions_match_the_extracted_segment_positions():
    separators, segments, _ = normalise(text("plb_adjustment"))
    (report,) = validate(separators, segments)
    assert segments[report.position - 1].id == "PLB"
    assert era("plb_adjustment").remittances[0].provider_adjustments[-1].position == 34


def test_pyx12_logging_stays_out_of_the_logs(caplog):
    parse_era(text("broken_segment_count"))
    assert not [r for r in caplog.records if r.name.startswith("pyx12")]


# --------------------------------------------------------------------------- extraction


def test_payment_fields_come_from_bpr_trn_and_n1():
    payment = era("normal_payment").remittances[0].payment
    assert payment.total_paid == Decimal("507.00")
    assert payment.method == "ACH"
    assert payment.payment_date == date(2026, 3, 12)
    assert payment.trace_number == "EFT20260312001"
    assert payment.payer_name == "ACME HEALTH PLAN"
    assert (payment.payee_name, payment.payee_id) == ("EXAMPLE FAMILY CLINIC", "1234567893")


def test_claim_fields_come_from_clp():
    claim = era("normal_payment").remittances[0].claims[0]
    assert claim.patient_control_number == "CLM000101"
    assert claim.status == "1"
    assert (claim.charge, claim.paid, claim.patient_responsibility) == (
        Decimal("230.00"),
        Decimal("103.00"),
        Decimal("27.00"),
    )
    assert claim.payer_claim_control_number == "ACME26030001"
    assert claim.statement_date == date(2026, 3, 2)
    assert len(claim.services) == 2


def test_service_lines_carry_code_modifiers_amounts_date_and_our_charge_id():
    line = era("normal_payment").remittances[0].claims[0].services[0]
    assert (line.qualifier, line.procedure_code, line.modifiers) == ("HC", "99213", ("25",))
    assert (line.charge, line.paid, line.allowed) == (
        Decimal("200.00"),
        Decimal("95.00"),
        Decimal("120.00"),
    )
    assert line.service_date == date(2026, 3, 2)
    assert line.control_number == "C0000101"
    assert line.units == Decimal(1)
    assert [(a.group, a.reason, a.amount) for a in line.adjustments] == [
        ("CO", "45", Decimal("80.00")),
        ("PR", "3", Decimal("25.00")),
    ]


def test_a_cas_segment_with_several_triplets_gives_one_adjustment_each():
    line = era("normal_payment").remittances[0].claims[2].services[0]
    assert [(a.group, a.reason, a.amount) for a in line.adjustments] == [
        ("CO", "45", Decimal("400.00")),
        ("PR", "1", Decimal("500.00")),
        ("PR", "2", Decimal("60.00")),
    ]


def test_claim_level_cas_stays_on_the_claim_and_lines_without_dates_take_the_claims():
    claim = era("normal_payment").remittances[0].claims[3]
    assert [(a.group, a.reason, a.amount) for a in claim.adjustments] == [
        ("PR", "1", Decimal("10.00"))
    ]
    (line,) = claim.services
    assert [(a.group, a.reason) for a in line.adjustments] == [("CO", "45")]
    assert line.service_date == date(2026, 3, 6) == claim.statement_date
    assert line.units == Decimal(2)


def test_a_denial_keeps_its_reason_codes_and_remarks():
    denied = era("denial").remittances[0].claims[0]
    assert denied.is_denial and denied.paid == Decimal("0.00")
    assert [(a.group, a.reason) for s in denied.services for a in s.adjustments] == [
        ("CO", "197"),
        ("CO", "50"),
    ]
    assert denied.services[1].remarks == ("N130",)
    assert era("denial").remittances[0].payment.method == "CHK"


def test_a_reversal_carries_negative_amounts_and_is_followed_by_its_correction():
    reversal, corrected = era("reversal_and_correction").remittances[0].claims
    assert reversal.is_reversal
    assert reversal.patient_control_number == corrected.patient_control_number == "CLM000102"
    assert (reversal.charge, reversal.paid) == (Decimal("-300.00"), Decimal("-64.00"))
    assert reversal.services[0].units == Decimal(-1)
    assert [a.amount for a in reversal.services[0].adjustments] == [
        Decimal("-120.00"),
        Decimal("-100.00"),
        Decimal("-16.00"),
    ]
    assert corrected.status == "1" and corrected.paid == Decimal("144.00")


def test_plb_pairs_in_one_segment_and_across_segments_are_all_kept():
    remittance = era("plb_adjustment").remittances[0]
    assert [(p.reason, p.reference, p.amount) for p in remittance.provider_adjustments] == [
        ("WO", "ACME26010077", Decimal("35.00")),
        ("L6", "ACME26030301", Decimal("-2.50")),
        ("FB", "RECOUP0042", Decimal("10.00")),
    ]
    assert remittance.provider_adjustments[0].fiscal_period == date(2026, 12, 31)
    assert remittance.payment.total_paid != remittance.claims_paid


def test_every_interchange_of_a_file_becomes_its_own_remittance():
    remittances = era("two_interchanges").remittances
    assert [r.payment.trace_number for r in remittances] == ["CHK0012345", "CHK0077001"]
    assert [r.payment.payer_name for r in remittances] == ["BEACON MUTUAL", "ACME HEALTH PLAN"]
    assert remittances[1].claims[0].services[0].adjustments[0].group == "OA"


def test_data_containing_the_standard_separator_survives_other_separators():
    payment = era("bom_other_separators").remittances[0].payment
    assert payment.payer_name == "SUMMIT*CARE HEALTH"


def test_nm1_patient_names_are_not_kept_in_the_records():
    assert "SAMPLE" not in repr(era("normal_payment"))
    assert "MBR0000001" not in repr(era("normal_payment"))


def test_a_debit_payment_is_negative():
    debit = text("normal_payment").replace("BPR*I*507.00*C*", "BPR*I*507.00*D*")
    assert parse_era(debit).remittances[0].payment.total_paid == Decimal("-507.00")


def test_an_unreadable_amount_is_a_blocking_problem_naming_the_element():
    bad = text("normal_payment").replace(
        "CLP*CLM000102*1*300.00*64.00*", "CLP*CLM000102*1*300.001*64.00*"
    )
    reading = [p for p in parse_era(bad).problems if p.kind is ProblemKind.FILE]
    (report,) = reading
    assert (report.code, report.element, report.claim) == (
        "amount_unreadable",
        "CLP03",
        "CLM000102",
    )
    assert report.blocks_posting


def test_utf16_files_are_read_too():
    data = text("no_line_breaks").encode("utf-16")
    parsed = parse_era(data)
    assert parsed.remittances[0].payment.total_paid == Decimal("136.40")


def test_all_problems_adds_balance_problems_in_file_order():
    problems = all_problems(era("broken_unbalanced"))
    assert [p.position for p in problems] == sorted(p.position or 0 for p in problems)
    assert {p.kind for p in problems} == {ProblemKind.BALANCE}


def test_a_repetition_separator_equal_to_the_element_separator_is_refused():
    isa = text("normal_payment").splitlines()[0]
    clash = isa[:82] + "*" + isa[83:]
    with pytest.raises(PaxlError, match="same or an unusable character"):
        normalise(clash + "\n")


def test_a_letter_in_isa11_means_no_repetition_separator():
    isa = text("normal_payment").splitlines()[0]
    seps, _, _ = normalise(isa[:82] + "U" + isa[83:] + "\n")
    assert seps.repetition is None


def test_a_file_wrapped_right_after_isa16_still_uses_the_declared_terminator():
    flat = text("no_line_breaks")
    wrapped = flat[:105] + "\r\n" + flat[105:]  # the line break falls before the "~"
    seps, segments, _ = normalise(wrapped)
    assert seps.segment == "~"
    assert [s.elements for s in segments] == [s.elements for s in normalise(flat)[1]]
