import pytest

from addin.errors import PaxlError
from udfs import pa_code_check


def test_procedure_codes_by_shape():
    rows = pa_code_check(
        [["99213"], ["0001F"], ["0042T"], ["0001U"], ["g0008"], ["9921"]], "procedure"
    )
    assert [r[1] for r in rows] == [
        "cpt_cat1",
        "cpt_cat2",
        "cpt_cat3",
        "cpt_pla",
        "hcpcs_level2",
        "unknown",
    ]
    assert rows[4][0] == "G0008"
    assert rows[0][2:] == [True, None, ""]
    assert rows[5][2] is False
    assert "CPT codes have 5" in rows[5][4]


def test_a_number_typed_code_reads_without_decimals():
    assert pa_code_check(99213.0, "procedure") == [["99213", "cpt_cat1", True, None, ""]]


def test_diagnosis_codes_are_normalised_and_checked_for_billability():
    rows = pa_code_check(["e119", "E11", "Z99.999"], "diagnosis")
    assert rows[0] == ["E11.9", "icd10cm", True, True, ""]
    assert rows[1][:4] == ["E11", "icd10cm", True, False]
    assert "heading, not billable" in rows[1][4]
    assert rows[2][2] is False


def test_a_diagnoses_cell_with_several_codes_gets_one_row():
    good, bad = pa_code_check([["E11.9, I10"], ["E11.9,E11"]], "Diagnoses")
    assert good == ["E11.9, I10", "icd10cm", True, True, ""]
    assert bad[:4] == ["E11.9, E11", "icd10cm", True, False]
    assert bad[4].startswith("E11 is a heading")


def test_blank_codes_give_blank_rows():
    assert pa_code_check([["99213"], [None]], "procedure")[1] == [None] * 5


def test_the_column_must_be_procedure_or_diagnosis():
    with pytest.raises(PaxlError, match="PA_CODE_CHECK: column is 'icd'; use \"procedure\""):
        pa_code_check("E11.9", "icd")
