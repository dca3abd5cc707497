import pytest

from addin.core.codes import CodeCheck, CodeKind, check_code, check_codes, split_diagnoses

# --- procedures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("99213", CodeKind.CPT_CAT1),
        ("0001F", CodeKind.CPT_CAT2),
        ("0042T", CodeKind.CPT_CAT3),
        ("0001U", CodeKind.CPT_PLA),
        ("G0008", CodeKind.HCPCS_LEVEL2),
    ],
)
def test_procedure_shapes_are_classified_by_kind(code, kind):
    assert check_code(code, "procedure") == CodeCheck(code, kind, True, None, "")


def test_four_digit_procedure_is_unknown_and_invalid():
    check = check_code("9921", "procedure")
    assert (check.kind, check.valid, check.billable) == (CodeKind.UNKNOWN, False, None)
    assert "5" in check.message and "leading zeros" in check.message


def test_procedure_is_normalised_by_removing_spaces_and_upper_casing():
    assert check_code(" g 0008 ", "procedure").normalized == "G0008"
    assert check_code("0001f", "procedure").kind is CodeKind.CPT_CAT2
    assert check_code("99 213", "procedure").valid


def test_procedure_typed_as_a_number_is_read_without_decimals():
    assert check_code(99213.0, "procedure").normalized == "99213"
    assert check_code(99213, "procedure").kind is CodeKind.CPT_CAT1


def test_procedure_with_modifier_run_in_says_where_the_modifier_goes():
    check = check_code("99213-25", "procedure")
    assert not check.valid
    assert "99213" in check.message and "25 in Modifier" in check.message


def test_diagnosis_in_the_procedure_column_is_invalid_and_says_where_it_belongs():
    check = check_code("E11.9", "procedure")
    assert (check.kind, check.valid) == (CodeKind.UNKNOWN, False)
    assert "Diagnoses" in check.message


def test_blank_procedure_is_invalid():
    assert not check_code(None, "procedure").valid
    assert "blank" in check_code("  ", "procedure").message


@pytest.mark.parametrize("code", ["9921X", "ABCDE", "992134", "G008", "0001Z"])
def test_other_procedure_shapes_are_invalid_with_the_rule_in_the_message(code):
    check = check_code(code, "procedure")
    assert not check.valid
    assert check.kind is CodeKind.UNKNOWN
    assert check.message


# --- diagnoses -----------------------------------------------------------------------------------


def test_diagnosis_without_dot_in_lower_case_is_normalised_and_billable():
    assert check_code("e119", "diagnosis") == CodeCheck("E11.9", CodeKind.ICD10CM, True, True, "")


def test_diagnosis_with_spaces_is_normalised():
    assert check_code(" e11. 9 ", "diagnosis").normalized == "E11.9"


def test_category_with_codes_below_is_valid_but_not_billable():
    check = check_code("E11", "diagnosis")
    assert (check.normalized, check.kind, check.valid, check.billable) == (
        "E11",
        CodeKind.ICD10CM,
        True,
        False,
    )
    assert "E11.0" in check.message and "not billable" in check.message


def test_seventh_character_is_required_where_the_code_set_has_one():
    assert check_code("S72.001A", "diagnosis").billable is True
    heading = check_code("S72.001", "diagnosis")
    assert heading.valid and heading.billable is False
    assert "S72.001A" in heading.message


@pytest.mark.parametrize("code", ["A00-B99", "A00-A09", "a00 - a09"])
def test_chapter_and_block_ranges_are_invalid(code):
    check = check_code(code, "diagnosis")
    assert (check.kind, check.valid, check.billable) == (CodeKind.UNKNOWN, False, None)
    assert "range" in check.message


def test_chapter_number_is_not_a_diagnosis():
    assert not check_code("1", "diagnosis").valid


def test_code_set_has_codes_with_a_letter_in_position_two():
    heading = check_code("qa0", "diagnosis")
    assert (heading.normalized, heading.valid, heading.billable) == ("QA0", True, False)
    leaf = check_code("QA00101", "diagnosis")
    assert (leaf.normalized, leaf.kind, leaf.billable) == ("QA0.0101", CodeKind.ICD10CM, True)


def test_code_missing_from_the_set_names_the_nearest_code_that_exists():
    check = check_code("E11.99", "diagnosis")
    assert (check.valid, check.billable) == (False, None)
    assert "nearest code that exists is E11.9" in check.message


def test_procedure_code_in_the_diagnosis_column_says_where_it_belongs():
    for code in ("99213", "G0008"):
        check = check_code(code, "diagnosis")
        assert not check.valid
        assert "procedure code" in check.message and "Code" in check.message


def test_several_codes_in_one_diagnosis_say_to_separate_them_with_commas():
    check = check_code("E11.9; I10", "diagnosis")
    assert not check.valid
    assert "commas" in check.message


def test_messages_carry_no_description_text():
    for code in ("E11", "E11.99", "S72.001"):
        message = check_code(code, "diagnosis").message.lower()
        assert "diabetes" not in message and "fracture" not in message and "femur" not in message


# --- bulk and arguments --------------------------------------------------------------------------


def test_bulk_check_matches_single_checks_in_order_and_shares_results_per_code():
    codes = ["e119", "E11.9", "E11", "A00-B99", "zz", *["I10"] * 9_995]
    results = check_codes(codes, "diagnosis")
    assert len(results) == len(codes)
    assert results[:5] == [check_code(c, "diagnosis") for c in codes[:5]]
    assert results[0] == results[1]
    assert all(r is results[5] for r in results[5:])


def test_bulk_check_of_procedures():
    kinds = [c.kind for c in check_codes(["99213", "0001F", "bad"], "Procedure")]
    assert kinds == [CodeKind.CPT_CAT1, CodeKind.CPT_CAT2, CodeKind.UNKNOWN]


def test_unknown_column_is_refused_with_the_accepted_names():
    with pytest.raises(ValueError, match='"procedure" or "diagnosis"'):
        check_code("99213", "modifier")
    with pytest.raises(ValueError, match="procedure"):
        check_codes(["99213"], "")


def test_split_diagnoses_reads_a_comma_separated_cell():
    assert split_diagnoses(" E11.9, I10 ,,Z00.00 ") == ["E11.9", "I10", "Z00.00"]
    assert split_diagnoses(None) == []
