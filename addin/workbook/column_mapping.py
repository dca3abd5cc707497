"""Which column of an export feeds which column of a paxl table: by name, synonym or saved map.

Practice-management systems export "Acct #", "DOS", "CPT Code", "Billed Amt"; paxl's tables say
PatientID, ServiceDate, Code, Amount. :func:`resolve_mapping` pairs them:

1. a **saved mapping** (a JSON file the rep may edit, see below) decides first: each export
   header it names goes to the column it says, or is ignored when it says ``null``;
2. every other header is matched by **name**: headers and column names are normalised — case,
   spaces and punctuation dropped, camel case split, common abbreviations spelled out (``Acct`` →
   account, ``#``/``No``/``Nbr`` → number, ``Amt`` → amount, ``Pmt`` → payment, ``Dx`` →
   diagnosis, ``Svc``/``Dt`` → service/date, ``Ref`` → reference, ...) — so ``Acct No``,
   ``Acct #`` and ``Account Number`` are one name. A header equal to a column's own name wins;
   otherwise the column's **synonyms** (:data:`SYNONYMS`, earlier = stronger) decide. When two
   headers fit one column, the stronger one is used and the other is ignored with a warning;
   equally strong ones are an error (say which in a mapping file);
3. headers that fit nothing are ignored, with a warning naming them.

Diagnoses may come from several columns (``Dx1``, ``Dx2``, ... or ``ICD 1``, ``ICD 2``): every
header that reads as a diagnosis name, optionally numbered, feeds it, and the codes are joined
with ", " in the export's column order (:data:`JOINED_COLUMNS`).

A required column that no header feeds, that has no default value and that paxl does not
generate (``optional``) is an error: the import cannot fill it.

The mapping file (``--mapping MAP.json``; ``--save-mapping MAP.json`` writes the one used)::

    {
      "paxl_mapping": 1,
      "into": "Charges",
      "columns": {"Acct #": "PatientID", "DOS": "ServiceDate", "Front desk note": null},
      "defaults": {"Status": "Unbilled"},
      "values": {"Method": {"VISA": "Card"}}
    }

``columns`` maps export headers (as written in the export) to column names, ``null`` = ignore;
``defaults`` gives a value for every row of a column the export does not have; ``values``
translates an export's own words into paxl's allowed values (matched ignoring case), on top of
the built-in ones in :data:`VALUE_SYNONYMS`.

Pure: no file I/O; findings carry the export's sheet and header row and no cell values.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from addin.core.findings import Finding, Severity
from addin.errors import PaxlError
from addin.workbook.schema import TABLES_BY_NAME, Table

MAPPING_VERSION = 1

#: abbreviation → the word it stands for (applied to whole words, after lower-casing)
ABBREVIATIONS: dict[str, str] = {
    "acct": "account",
    "acc": "account",
    "no": "number",
    "num": "number",
    "nbr": "number",
    "nr": "number",
    "amt": "amount",
    "pmt": "payment",
    "pymt": "payment",
    "paymt": "payment",
    "adj": "adjustment",
    "dt": "date",
    "svc": "service",
    "srv": "service",
    "chk": "check",
    "cheque": "check",
    "ref": "reference",
    "dx": "diagnosis",
    "diag": "diagnosis",
    "pt": "patient",
    "pat": "patient",
    "proc": "procedure",
    "qty": "quantity",
    "desc": "description",
    "descr": "description",
    "mod": "modifier",
    "ins": "insurance",
    "eff": "effective",
    "grp": "group",
    "mbr": "member",
    "addr": "address",
    "tel": "phone",
    "ph": "phone",
    "prov": "provider",
    "txn": "transaction",
    "trans": "transaction",
    "payor": "payer",
    "svcdate": "servicedate",
}

#: column name → other headers that mean it, strongest first (any table with that column)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "PatientID": (
        "Patient Number",
        "MRN",
        "Medical Record Number",
        "Account Number",
        "Patient Account Number",
        "Patient Account",
        "Account",
        "Chart Number",
        "Chart",
        "Patient",
    ),
    "ServiceDate": ("DOS", "Date of Service", "Service From", "From Date", "DOS From"),
    "Code": (
        "CPT",
        "CPT Code",
        "CPT/HCPCS",
        "HCPCS",
        "HCPCS Code",
        "Procedure Code",
        "Procedure",
        "CPT Codes",
    ),
    "Modifier": ("Modifiers", "Modifier 1", "CPT Modifier"),
    "Diagnoses": (
        "Diagnosis Codes",
        "Diagnosis",
        "Diagnosis Code",
        "ICD10",
        "ICD-10 Codes",
        "ICD-10-CM",
        "ICD Codes",
        "ICD",
    ),
    "Units": ("Unit", "Quantity", "Service Units", "Days or Units"),
    "Provider": ("Rendering Provider", "Rendering Physician", "Physician", "Doctor"),
    "ClaimID": ("Claim Number", "Claim", "Claim #"),
    "ChargeID": ("Charge Number", "Charge Line", "Charge Line ID", "Line ID", "Line Item ID"),
    "BillerType": ("Billing Type",),
    "Reference": (
        "Reference Number",
        "Check Number",
        "Check",
        "Trace Number",
        "EFT Trace",
        "Trace",
        "Authorization Code",
        "Auth Code",
        "Confirmation Number",
    ),
    "Payer": ("Paid By", "Payment Source", "Source"),
    "Method": ("Payment Method", "Payment Type", "Pay Type", "Tender", "Tender Type"),
    "PaymentID": ("Payment Number", "Receipt Number", "Receipt", "Receipt ID"),
    "AdjustmentID": ("Adjustment Number",),
    "Reason": ("Reason Code", "CARC", "CARC Code", "Adjustment Reason", "Adjustment Reason Code"),
    "Group": ("Group Code", "CARC Group", "Claim Adjustment Group"),
    "Note": ("Notes", "Comment", "Comments", "Memo"),
    "PostedBy": ("Posted By User", "Entered By", "User", "Operator"),
    "PostedAt": ("Posted On", "Entered On", "Entered At"),
    "LastName": ("Last", "Surname", "Family Name", "Patient Last Name"),
    "FirstName": ("First", "Given Name", "Patient First Name"),
    "DOB": ("Date of Birth", "Birth Date", "Birthdate", "Patient DOB"),
    "Address1": ("Address", "Address Line 1", "Street", "Street Address"),
    "Address2": ("Address Line 2", "Apt", "Suite"),
    "State": ("ST",),
    "ZIP": ("ZIP Code", "Postal Code", "Post Code", "ZIP5"),
    "Phone": ("Phone Number", "Home Phone", "Cell Phone", "Mobile", "Telephone"),
    "Email": ("Email Address",),
    "TimeZone": ("Time Zone", "TZ"),
    "PreferredContact": ("Contact Preference", "Preferred Contact Method", "Contact Method"),
    "Guarantor": ("Guarantor ID", "Guarantor Account", "Responsible Party"),
    "HouseholdSize": ("Household", "Family Size"),
    "MonthlyIncome": ("Monthly Household Income", "Gross Monthly Income"),
    "PlanID": ("Plan", "Plan Code", "Insurance Plan", "Insurance Plan ID"),
    "Rank": ("Priority", "Sequence", "Coverage Order", "Insurance Rank"),
    "MemberID": ("Subscriber ID", "Member Number", "Policy Number", "Insurance ID"),
    "GroupNumber": ("Group ID",),
    "EffectiveFrom": ("Effective Date", "Start Date", "Coverage Start"),
    "EffectiveTo": ("Termination Date", "Term Date", "End Date", "Coverage End"),
    "OOPUsed": ("Out of Pocket Used", "OOP Met"),
    "VerifiedOn": ("Verification Date", "Last Verified", "Eligibility Verified"),
    "PayerID": ("Electronic Payer ID", "EDI Payer ID"),
    "Description": ("Service Description",),
    "Allowed": ("Allowed Amount", "Contract Rate"),
}

#: (table, column) → synonyms that hold only in that table (tried after :data:`SYNONYMS`)
TABLE_SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Charges", "Amount"): (
        "Charge Amount",
        "Billed Amount",
        "Billed",
        "Billed Charge",
        "Charge",
        "Charges",
        "Total Charge",
        "Fee",
    ),
    ("Charges", "ServiceDate"): ("Date",),
    ("Charges", "ChargeID"): ("Transaction ID", "Transaction Number"),
    ("Charges", "Status"): ("Charge Status", "Claim Status"),
    ("Payments", "Amount"): (
        "Payment Amount",
        "Paid Amount",
        "Amount Paid",
        "Paid",
        "Payment",
        "Receipt Amount",
    ),
    ("Payments", "Date"): (
        "Payment Date",
        "Date Paid",
        "Paid Date",
        "Received Date",
        "Deposit Date",
        "Check Date",
        "Post Date",
        "Posting Date",
        "Transaction Date",
    ),
    ("Payments", "PaymentID"): ("Transaction ID", "Transaction Number"),
    ("Payments", "Kind"): ("Transaction Type",),
    ("Adjustments", "Amount"): ("Adjustment Amount", "Adjustment", "Write-off Amount", "Adjusted"),
    ("Adjustments", "Date"): (
        "Adjustment Date",
        "Write-off Date",
        "Post Date",
        "Posting Date",
        "Transaction Date",
    ),
    ("Adjustments", "AdjustmentID"): ("Transaction ID", "Transaction Number"),
    ("Adjustments", "Kind"): ("Adjustment Type", "Adjustment Kind", "Type"),
    ("Patients", "AccountStatus"): ("Status", "Account Status"),
    ("Patients", "Notes"): ("Note", "Comment", "Comments"),
    ("Coverage", "GroupNumber"): ("Group",),
    ("Fees", "Charge"): ("Fee", "Amount", "Standard Charge", "Price"),
    ("Allowed", "Allowed"): ("Rate", "Fee", "Amount"),
    ("Plans", "Payer"): ("Payer Name", "Insurance Company", "Carrier"),
}

#: (table, column) → export words → paxl's allowed value (matched ignoring case and spaces)
VALUE_SYNONYMS: dict[tuple[str, str], dict[str, str]] = {
    ("Payments", "Method"): {
        "credit card": "Card",
        "debit card": "Card",
        "credit": "Card",
        "debit": "Card",
        "cc": "Card",
        "visa": "Card",
        "mastercard": "Card",
        "mc": "Card",
        "amex": "Card",
        "discover": "Card",
        "chk": "Check",
        "cheque": "Check",
        "personal check": "Check",
        "electronic funds transfer": "EFT",
        "wire": "EFT",
    },
    ("Payments", "Payer"): {
        "self": "Patient",
        "self pay": "Patient",
        "self-pay": "Patient",
        "selfpay": "Patient",
        "guarantor": "Patient",
        "pt": "Patient",
    },
    ("Coverage", "Rank"): {"primary": "1", "secondary": "2"},
}


#: columns that several export columns may feed together, and the text joining their values
JOINED_COLUMNS: dict[str, str] = {"Diagnoses": ", "}


def normalise_header(text: object) -> str:
    """A header's comparable form: ``"Acct #"`` and ``"Account Number"`` → ``"accountnumber"``.

    Camel case is split (``PlanNo`` → plan no), ``#`` reads as "number", every run of letters or
    digits is a word, each word is spelled out through :data:`ABBREVIATIONS`, and the words are
    joined without separators.
    """
    raw = str(text or "").strip()
    raw = re.sub(r"([a-z])([A-Z])", r"\1 \2", raw)
    raw = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", raw)
    raw = raw.replace("#", " number ").replace("&", " and ").casefold()
    words = re.findall(r"[a-z]+|[0-9]+", raw)
    return "".join(ABBREVIATIONS.get(w, w) for w in words)


def normalise_value(text: str) -> str:
    """An export value's comparable form for :data:`VALUE_SYNONYMS`: lower case, single spaces."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class ColumnMapping:
    """How one export feeds one table.

    Attributes:
        table: the paxl table the rows go into.
        columns: each export header (as written) → the column it feeds, ``None`` = ignored; in
            the export's column order.
        defaults: column → the value every row gets (text, converted like an export cell).
        values: column → (export word → paxl value) translations given by the rep.
    """

    table: str
    columns: tuple[tuple[str, str | None], ...]
    defaults: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def feeds(self) -> dict[str, tuple[str, ...]]:
        """Column → the export headers feeding it (several only for :data:`JOINED_COLUMNS`)."""
        fed: dict[str, tuple[str, ...]] = {}
        for header, column in self.columns:
            if column is not None:
                fed[column] = (*fed.get(column, ()), header)
        return fed

    def ignored(self) -> list[str]:
        """Export headers not imported."""
        return [header for header, column in self.columns if column is None]

    def default_values(self) -> dict[str, str]:
        return dict(self.defaults)

    def value_map(self, column: str) -> dict[str, str]:
        """Export word (normalised) → paxl value for a column: built-ins, then the rep's."""
        words = dict(VALUE_SYNONYMS.get((self.table, column), {}))
        for name, pairs in self.values:
            if name == column:
                words.update({normalise_value(k): v for k, v in pairs})
        return words

    def to_json(self) -> dict[str, object]:
        """The mapping file's content (see the module doc)."""
        return {
            "paxl_mapping": MAPPING_VERSION,
            "into": self.table,
            "columns": {header: column for header, column in self.columns},
            "defaults": dict(self.defaults),
            "values": {column: dict(pairs) for column, pairs in self.values},
        }


def mapping_from_json(data: object, source: str = "the mapping file") -> ColumnMapping:
    """Read a mapping file's parsed JSON (see the module doc).

    Raises:
        PaxlError: the content is not a paxl mapping, names an unknown table or column, or a
            value is not text.
    """
    if not isinstance(data, Mapping) or "columns" not in data:
        raise PaxlError(
            f'{source} is not a paxl mapping: it needs a "columns" object of export header → '
            "column (write one with --save-mapping)."
        )
    table = data.get("into")
    if not isinstance(table, str) or table not in TABLES_BY_NAME:
        raise PaxlError(f'{source} needs "into": one of {", ".join(TABLES_BY_NAME)}.')
    schema = TABLES_BY_NAME[table]
    columns = _text_map(data.get("columns"), source, "columns", allow_null=True)
    defaults = _text_map(data.get("defaults") or {}, source, "defaults", allow_null=False)
    values_raw = data.get("values") or {}
    if not isinstance(values_raw, Mapping):
        raise PaxlError(f'{source}: "values" must be an object of column → {{word: value}}.')
    values = []
    for column, words in values_raw.items():
        values.append(
            (column, tuple(_text_map(words, source, f"values.{column}", allow_null=False).items()))
        )
    named = [c for c in columns.values() if c is not None] + list(defaults) + [c for c, _ in values]
    unknown = sorted({c for c in named if c not in schema.column_names})
    if unknown:
        raise PaxlError(
            f"{source} names column(s) the {table} table does not have: {', '.join(unknown)}."
        )
    return ColumnMapping(table, tuple(columns.items()), tuple(defaults.items()), tuple(values))


def _text_map(raw: object, source: str, key: str, *, allow_null: bool) -> dict[str, str | None]:
    if not isinstance(raw, Mapping):
        raise PaxlError(f'{source}: "{key}" must be an object of name → value.')
    out: dict[str, str | None] = {}
    for name, value in raw.items():
        if value is None and allow_null:
            out[str(name)] = None
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            out[str(name)] = str(value)
        else:
            raise PaxlError(f'{source}: "{key}" → "{name}" must be text.')
    return out


@dataclass(frozen=True)
class _Candidate:
    header_index: int
    column: str
    #: 0 = the column's own name, then synonyms in order; lower is stronger
    strength: int


def name_index(schema: Table) -> dict[str, tuple[str, int]]:
    """Normalised header → (column, strength) for every name and synonym of the table."""
    index: dict[str, tuple[str, int]] = {}
    for column in schema.columns:
        names = (
            column.name,
            *SYNONYMS.get(column.name, ()),
            *TABLE_SYNONYMS.get((schema.name, column.name), ()),
        )
        for strength, name in enumerate(names):
            key = normalise_header(name)
            if key and (key not in index or index[key][1] > strength):
                index[key] = (column.name, strength)
    return index


def lookup(index: Mapping[str, tuple[str, int]], header: object) -> tuple[str, int] | None:
    """The (column, strength) a header reads as, or ``None``; a numbered header (``Dx 2``) reads
    as its column when that column is one of :data:`JOINED_COLUMNS`."""
    key = normalise_header(header)
    if not key:
        return None
    hit = index.get(key)
    if hit is not None:
        return hit
    base = key.rstrip("0123456789")
    if base != key:
        hit = index.get(base)
        if hit is not None and hit[0] in JOINED_COLUMNS:
            return hit
    return None


def header_score(table: str, cells: Sequence[object]) -> int:
    """How many cells of a row read as this table's column names (to find the header row)."""
    index = name_index(TABLES_BY_NAME[table])
    return sum(1 for cell in cells if lookup(index, cell) is not None)


def resolve_mapping(
    table: str,
    headers: Sequence[object],
    *,
    saved: ColumnMapping | None = None,
    defaults: Mapping[str, str] | None = None,
    optional: Collection[str] = (),
    sheet: str | None = None,
    header_row: int | None = None,
) -> tuple[ColumnMapping, list[Finding]]:
    """Pair an export's headers with the table's columns (rules in the module doc).

    Args:
        table: the paxl table the rows go into.
        headers: the export's header cells, in order (blank cells are skipped).
        saved: a mapping file's content; its columns decide first, its defaults and value
            translations are kept.
        defaults: column → value for every row, on top of (and overriding) the saved ones.
        optional: required columns paxl fills itself when no header feeds them (e.g. a
            generated PaymentID).
        sheet: the export's name for findings; ``header_row`` its header's row number.

    Returns:
        The mapping used and its problems: ``ambiguous_column`` / ``unmapped_required`` (errors:
        nothing can be imported), ``ignored_column`` / ``mapping_unused`` (warnings).
    """
    schema = TABLES_BY_NAME[table]
    if saved is not None and saved.table != table:
        raise PaxlError(
            f"The mapping file is for the {saved.table} table, not {table}; use the right "
            "mapping file or --into."
        )
    index = name_index(schema)
    texts = [str(h).strip() if h is not None else "" for h in headers]
    findings: list[Finding] = []
    assigned: dict[int, str | None] = {}
    taken: dict[str, int] = {}
    if saved is not None:
        _apply_saved(saved, texts, assigned, taken, findings, sheet, header_row)
    candidates: dict[str, list[_Candidate]] = {}
    for i, text in enumerate(texts):
        if not text or i in assigned:
            continue
        hit = lookup(index, text)
        if hit is None or (hit[0] in taken and hit[0] not in JOINED_COLUMNS):
            assigned[i] = None
            continue
        candidates.setdefault(hit[0], []).append(_Candidate(i, hit[0], hit[1]))
    for column, found in candidates.items():
        if column in JOINED_COLUMNS:
            for c in found:
                assigned[c.header_index] = column
            taken.setdefault(column, found[0].header_index)
            continue
        found.sort(key=lambda c: (c.strength, c.header_index))
        best = found[0]
        ties = [c for c in found if c.strength == best.strength]
        if len(ties) > 1:
            names = " and ".join(f'"{texts[c.header_index]}"' for c in ties)
            findings.append(
                Finding(
                    "ambiguous_column",
                    f"Both {names} could be {column}; paxl cannot tell which to import.",
                    sheet,
                    header_row,
                    column,
                    fix=f"Say which in a mapping file (--mapping): map one to {column} and the "
                    "other to null (--save-mapping writes one to start from).",
                )
            )
            for c in found:
                assigned[c.header_index] = None
            continue
        assigned[best.header_index] = column
        taken[column] = best.header_index
        for other in found[1:]:
            assigned[other.header_index] = None
            findings.append(
                Finding(
                    "ignored_column",
                    f'"{texts[other.header_index]}" also looks like {column}; '
                    f'"{texts[best.header_index]}" is used and it is ignored.',
                    sheet,
                    header_row,
                    texts[other.header_index],
                    severity=Severity.WARNING,
                    fix="If that is the wrong one, map the columns in a mapping file (--mapping).",
                )
            )
    all_defaults = dict(saved.defaults) if saved is not None else {}
    all_defaults.update(defaults or {})
    unknown = sorted(c for c in all_defaults if c not in schema.column_names)
    if unknown:
        raise PaxlError(f"The {table} table has no column {', '.join(unknown)} to set.")
    columns = tuple((texts[i], assigned.get(i)) for i in range(len(texts)) if texts[i])
    mapping = ColumnMapping(
        table,
        columns,
        tuple(all_defaults.items()),
        saved.values if saved is not None else (),
    )
    fed = mapping.feeds()
    ambiguous = {f.column for f in findings if f.code == "ambiguous_column"}
    for column in schema.columns:
        if column.name in fed or column.name in all_defaults or column.name in ambiguous:
            continue
        if column.required and column.name not in optional:
            findings.append(
                Finding(
                    "unmapped_required",
                    f"No column of the export is {column.name}, which every {table} row needs.",
                    sheet,
                    header_row,
                    column.name,
                    fix=f"Map the export's column to {column.name} in a mapping file "
                    f"(--mapping), or give one value for every row (--set {column.name}=...).",
                )
            )
    shown_ignored = {f.column for f in findings if f.code == "ignored_column"}
    for header in mapping.ignored():
        if header in shown_ignored or (saved is not None and header in dict(saved.columns)):
            continue
        findings.append(
            Finding(
                "ignored_column",
                f'The export\'s column "{header}" is not a {table} column; it is not imported.',
                sheet,
                header_row,
                header,
                severity=Severity.WARNING,
                fix="If it should be imported, map it in a mapping file (--mapping).",
            )
        )
    return mapping, findings


def _apply_saved(
    saved: ColumnMapping,
    texts: Sequence[str],
    assigned: dict[int, str | None],
    taken: dict[str, int],
    findings: list[Finding],
    sheet: str | None,
    header_row: int | None,
) -> None:
    """The saved mapping's columns first: by exact header text, else by normalised text."""
    exact = {t: i for i, t in reversed(list(enumerate(texts))) if t}
    loose = {normalise_header(t): i for i, t in reversed(list(enumerate(texts))) if t}
    for header, column in saved.columns:
        i = exact.get(header.strip())
        if i is None:
            i = loose.get(normalise_header(header))
        if i is None or i in assigned:
            findings.append(
                Finding(
                    "mapping_unused",
                    f'The mapping names a column "{header}" that this export does not have.',
                    sheet,
                    header_row,
                    header,
                    severity=Severity.WARNING,
                    fix="Check that this is the right export and mapping file.",
                )
            )
            continue
        if column is not None and column in taken and column not in JOINED_COLUMNS:
            raise PaxlError(
                f"The mapping file maps two export columns to {column}; map one of them to null."
            )
        assigned[i] = column
        if column is not None:
            taken[column] = i
