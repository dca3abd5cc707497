"""Workbook schema v1: the tables, their columns and the Policy settings, as code.

This module is the single source of truth for the template builder, the loader, the validator and
the tests. Column names are the contract with the rep's workbook (DESIGN §4): never rename one.

Conventions the loader follows (``addin.workbook.loader``) and the core may rely on:

* every table loads as a pandas DataFrame with exactly the schema columns, in schema order, plus
  ``_sheet`` (the sheet the row came from; a long table may continue on ``Payments_2``) and
  ``_row`` (the Excel row number, 1-based, the header being the row above the first data row);
* ``text`` → ``str`` objects, stripped, ``None`` for blanks (IDs are text even if typed as numbers);
* ``money`` → nullable ``Int64`` **integer cents**, entered positive;
* ``rate`` → ``Decimal`` objects (``0.2`` for 20%), ``None`` for blanks;
* ``integer`` → nullable ``Int64``; ``boolean`` → nullable ``boolean``;
* ``date`` → ``datetime64[ns]`` at midnight, ``NaT`` for blanks; ``datetime`` → ``datetime64[ns]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class ColumnType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"
    RATE = "rate"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class ForeignKey:
    """The column's value must be a key of ``table.column`` (blanks are checked by ``required``)."""

    table: str
    column: str
    #: values accepted besides the keys, e.g. ``Payments.Payer`` may be ``Patient`` or a PlanID.
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    references: ForeignKey | None = None
    #: what the column holds, for the rep (header comment) and the engineer (docs)
    help: str = ""
    #: width in characters for the template
    width: int = 12

    @property
    def is_enum(self) -> bool:
        return bool(self.choices)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    #: the column holding each row's unique ID, if any
    key: str | None = None
    #: columns whose combination must be unique (besides the key)
    unique_together: tuple[tuple[str, ...], ...] = ()
    help: str = ""
    #: log tables are appended to by macros and never edited by them
    log: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name} has no column {name}")


T, I, M, R, D, DT, B = (  # noqa: E741 - short names keep the tables readable
    ColumnType.TEXT,
    ColumnType.INTEGER,
    ColumnType.MONEY,
    ColumnType.RATE,
    ColumnType.DATE,
    ColumnType.DATETIME,
    ColumnType.BOOLEAN,
)

PREFERRED_CONTACT = ("Mail", "Email", "Phone", "Text")
ACCOUNT_STATUS = ("Active", "Payment plan", "Collections", "Closed")
ASSISTANCE_STATUS = ("Not screened", "Applied", "Approved", "Denied")
PLAN_TYPES = ("Commercial", "Medicare", "Medicaid", "Self-pay", "Other")
COB_METHODS = ("standard", "non_duplication")
COPAY_TYPES = ("Office", "Specialist", "ER", "None")
BILLER_TYPES = ("Hospital", "Professional")
CHARGE_STATUS = ("Unbilled", "Submitted", "Adjudicated", "Patient due", "Denied", "Void")
PAYMENT_KINDS = ("Payment", "Refund")
PAYMENT_METHODS = ("Cash", "Check", "Card", "ACH", "EFT")
#: Adjustments.Kind. Every Kind reduces the balance except ``Reversal``, which takes back an
#: earlier adjustment (Group and Reason of what it takes back) and adds to the balance.
ADJUSTMENT_KINDS = ("Contractual", "Write-off", "Assistance", "Correction", "Reversal")
#: The Adjustments.Kind that adds to the balance (takes back an earlier adjustment).
REVERSAL_KIND = "Reversal"
ADJUSTMENT_GROUPS = ("CO", "PR", "OA", "PI")
PLAN_RULES = ("Equal", "Income", "Interest")
PLAN_STATUS = ("Active", "Completed", "Defaulted", "Cancelled")
STATEMENT_CHANNELS = ("Mail", "Email", "Portal")
CONTACT_CHANNELS = ("Call", "Letter", "Email", "Text")
CONTACT_OUTCOMES = ("Reached", "No answer", "Left message", "Wrong number", "Sent", "Returned")
PATIENT_PAYER = "Patient"

_patient = ForeignKey("Patients", "PatientID")
_plan = ForeignKey("Plans", "PlanID")
_charge = ForeignKey("Charges", "ChargeID")
_stamp = (
    Column("PostedBy", T, help="Who posted the row (filled by paxl)", width=12),
    Column("PostedAt", DT, help="When the row was posted (filled by paxl)", width=18),
)

TABLES: tuple[Table, ...] = (
    Table(
        "Patients",
        (
            Column("PatientID", T, True, help="Account number, unique, as text", width=12),
            Column("LastName", T, True, width=16),
            Column("FirstName", T, True, width=14),
            Column("DOB", D, True, help="Date of birth", width=12),
            Column("Address1", T, width=24),
            Column("Address2", T, width=14),
            Column("City", T, width=16),
            Column("State", T, help="Two-letter state code", width=7),
            Column("ZIP", T, help="ZIP code as text (keeps leading zeros)", width=8),
            Column("Phone", T, width=14),
            Column("Email", T, width=24),
            Column(
                "TimeZone",
                T,
                help="IANA zone such as America/Denver; blank = the practice's zone",
                width=18,
            ),
            Column("PreferredContact", T, choices=PREFERRED_CONTACT, width=12),
            Column(
                "Guarantor",
                T,
                help="PatientID of the person responsible for the bill; blank = the patient",
                width=12,
            ),
            Column("HouseholdSize", I, help="People in the household (1 or more)", width=10),
            Column("MonthlyIncome", M, help="Gross monthly household income", width=14),
            Column("AssistanceStatus", T, choices=ASSISTANCE_STATUS, width=14),
            Column("AccountStatus", T, True, choices=ACCOUNT_STATUS, width=14),
            Column("Notes", T, width=30),
        ),
        key="PatientID",
        help="One row per patient: demographics, guarantor, income and household size.",
    ),
    Table(
        "Plans",
        (
            Column("PlanID", T, True, help="Short ID for the benefit plan", width=12),
            Column("Payer", T, True, help="Insurance company or program", width=22),
            Column("PayerID", T, help="Payer's electronic ID", width=10),
            Column("PlanType", T, True, choices=PLAN_TYPES, width=12),
            Column("Deductible", M, help="Yearly deductible", width=12),
            Column("OOPMax", M, help="Yearly out-of-pocket maximum", width=12),
            Column("Coinsurance", R, help="Patient's share after the deductible, e.g. 20%"),
            Column("CopayOffice", M, width=11),
            Column("CopaySpecialist", M, width=11),
            Column("CopayER", M, width=11),
            Column("COBMethod", T, choices=COB_METHODS, help="How this plan pays as secondary"),
            Column("NotCovered", T, help="Codes or prefixes not covered, comma-separated"),
            Column("PriorAuth", T, help="Codes or prefixes needing prior authorization"),
        ),
        key="PlanID",
        help="Insurance benefit plans: deductible, out-of-pocket maximum, coinsurance, copays.",
    ),
    Table(
        "Coverage",
        (
            Column("PatientID", T, True, references=_patient),
            Column("PlanID", T, True, references=_plan),
            Column("Rank", I, True, choices=("1", "2"), help="1 = primary, 2 = secondary"),
            Column("MemberID", T, width=14),
            Column("GroupNumber", T, width=12),
            Column("EffectiveFrom", D, True),
            Column("EffectiveTo", D, help="Blank = still in force"),
            Column("DeductibleMet", M, help="Deductible already met this benefit year"),
            Column("OOPUsed", M, help="Out-of-pocket already paid this benefit year"),
            Column("BenefitYear", I, help="Year the two amounts above belong to"),
            Column("VerifiedOn", D, help="Date eligibility was last verified"),
        ),
        unique_together=(("PatientID", "PlanID", "EffectiveFrom"),),
        help="Which plans cover which patient, from when, and what they have used this year.",
    ),
    Table(
        "Fees",
        (
            Column("Code", T, True, help="CPT or HCPCS code", width=9),
            Column("Description", T, help="The practice's own description", width=30),
            Column("Charge", M, True, help="Standard charge"),
            Column("CopayType", T, choices=COPAY_TYPES, help="Which copay applies"),
            Column("DeductibleApplies", B, help="TRUE if the deductible applies"),
        ),
        key="Code",
        help="The charge master: each service code with its standard charge.",
    ),
    Table(
        "Allowed",
        (
            Column("PlanID", T, True, references=_plan),
            Column("Code", T, True, references=ForeignKey("Fees", "Code")),
            Column("Allowed", M, True, help="Contracted allowed amount"),
        ),
        unique_together=(("PlanID", "Code"),),
        help="Contract rates: what each plan allows for each code.",
    ),
    Table(
        "Charges",
        (
            Column("ChargeID", T, True, width=12),
            Column("ClaimID", T, help="Claim the line was billed on (CLP01 in remittances)"),
            Column("PatientID", T, True, references=_patient),
            Column("ServiceDate", D, True),
            Column("Code", T, True, help="CPT or HCPCS code", width=9),
            Column("Modifier", T, width=8),
            Column("Diagnoses", T, help="ICD-10-CM codes, comma-separated", width=18),
            Column("Units", I, help="Units of service (blank = 1)", width=7),
            Column("Amount", M, True, help="Billed amount for the line"),
            Column("Provider", T, width=14),
            Column("BillerType", T, choices=BILLER_TYPES, width=12),
            Column("Status", T, choices=CHARGE_STATUS, width=12),
        ),
        key="ChargeID",
        help="Services charged, one row per line.",
    ),
    Table(
        "Payments",
        (
            Column("PaymentID", T, True),
            Column("Date", D, True),
            Column("PatientID", T, True, references=_patient),
            Column("ChargeID", T, references=_charge, help="Blank = unapplied (oldest first)"),
            Column(
                "Payer",
                T,
                True,
                references=ForeignKey("Plans", "PlanID", also=(PATIENT_PAYER,)),
                help="Patient, or the PlanID of the insurer that paid",
            ),
            Column("Kind", T, True, choices=PAYMENT_KINDS),
            Column("Method", T, True, choices=PAYMENT_METHODS),
            Column("Reference", T, help="Check number, card authorization or EFT trace"),
            Column("Amount", M, True, help="Entered positive; Kind gives the sign"),
            *_stamp,
        ),
        key="PaymentID",
        help="Payments and refunds, one row per posting.",
    ),
    Table(
        "Adjustments",
        (
            Column("AdjustmentID", T, True),
            Column("Date", D, True),
            Column("PatientID", T, True, references=_patient),
            Column("ChargeID", T, references=_charge),
            Column(
                "Kind",
                T,
                True,
                choices=ADJUSTMENT_KINDS,
                help="Reversal takes back an earlier adjustment; every other Kind reduces",
            ),
            Column("Group", T, choices=ADJUSTMENT_GROUPS, help="CARC group code", width=7),
            Column("Reason", T, help="CARC reason code, e.g. 45", width=8),
            Column(
                "Amount",
                M,
                True,
                help="Entered positive; reduces the balance (Kind Reversal: adds to it)",
            ),
            Column("Note", T, width=24),
            *_stamp,
        ),
        key="AdjustmentID",
        help=(
            "Write-offs, contractual adjustments, assistance discounts, corrections and "
            "reversals of earlier adjustments."
        ),
    ),
    Table(
        "PaymentPlans",
        (
            Column("PlanNo", T, True),
            Column("PatientID", T, True, references=_patient),
            Column("Created", D, True),
            Column("Balance", M, True, help="Balance the plan covers"),
            Column("Installment", M, True),
            Column("Count", I, True, help="Number of installments"),
            Column("FirstDue", D, True),
            Column("Rule", T, choices=PLAN_RULES, help="How the installment was set"),
            Column("Forgiven", M, help="Amount forgiven after the last payment"),
            Column("Status", T, True, choices=PLAN_STATUS),
        ),
        key="PlanNo",
        help="Payment plans agreed with patients.",
    ),
    Table(
        "Statements",
        (
            Column("StatementID", T, True),
            Column("PatientID", T, True, references=_patient),
            Column("StatementDate", D, True),
            Column("DueDate", D, True),
            Column("AmountDue", M, True),
            Column("DunningLevel", I, choices=("1", "2", "3", "4", "5")),
            Column("Channel", T, choices=STATEMENT_CHANNELS),
            Column("FinalNotice", B, help="TRUE for the written final notice"),
        ),
        key="StatementID",
        log=True,
        help="Log of bills issued (appended by paxl).",
    ),
    Table(
        "Contacts",
        (
            Column("ContactID", T, True),
            Column("PatientID", T, True, references=_patient),
            Column("ContactedAt", DT, True, help="Date and time, practice time zone"),
            Column("Channel", T, True, choices=CONTACT_CHANNELS),
            Column("Outcome", T, choices=CONTACT_OUTCOMES),
            Column("By", T),
            Column("Note", T, width=30),
        ),
        key="ContactID",
        log=True,
        help="Log of calls, letters, emails and texts to patients.",
    ),
    Table(
        "Audit",
        (
            Column("At", DT, True),
            Column("Who", T, True),
            Column("Action", T, True, width=20),
            Column("Table", T),
            Column("Rows", I),
            Column("Detail", T, width=40),
        ),
        log=True,
        help="Who did what, when, to how many rows (appended by paxl).",
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The schema of one table by name."""
    return TABLES_BY_NAME[name]


# --- Policy: named cells and small tables on the `Policy` sheet ---------------------------------


@dataclass(frozen=True)
class Setting:
    """One named cell on the Policy sheet."""

    name: str  # the defined name; valid Excel name, lower snake case
    type: ColumnType
    default: object
    label: str  # what the rep sees beside the cell


@dataclass(frozen=True)
class PolicyTable:
    """A small Excel table on the Policy sheet."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...] = field(default_factory=tuple)
    help: str = ""


_DUNNING = (
    "Thank you for choosing us. This statement shows your balance after insurance.",
    "Your balance is past due. Please pay today or call us to set up a payment plan.",
    "Your account is 60 days past due. Please pay now or call us to discuss options, "
    "including financial assistance.",
    "Your account is 90 days past due. Please contact us within 10 days to avoid further action.",
    "FINAL NOTICE: unless you pay or contact us within 30 days, your account may be sent to a "
    "collection agency. Financial assistance may be available; please ask.",
)

SETTINGS: tuple[Setting, ...] = (
    Setting("practice_name", T, "Your Practice Name", "Practice name"),
    Setting("practice_address", T, "123 Main Street, Anytown, ST 00000", "Practice address"),
    Setting("practice_phone", T, "(555) 555-0100", "Billing phone"),
    Setting("practice_time_zone", T, "America/New_York", "Practice time zone (IANA)"),
    Setting("remit_to", T, "Your Practice Name, PO Box 0000, Anytown, ST 00000", "Remit to"),
    Setting("nonprofit_hospital", B, False, "Nonprofit hospital (IRS 501(r) rules apply)"),
    Setting("statement_cycle_days", I, 30, "Days between statements"),
    Setting("due_days", I, 21, "Bill due this many days after the statement date"),
    Setting("statement_minimum", M, Decimal("5.00"), "Smallest patient balance to bill"),
    Setting("aging_1", I, 30, "Aging bucket 1 ends at day"),
    Setting("aging_2", I, 60, "Aging bucket 2 ends at day"),
    Setting("aging_3", I, 90, "Aging bucket 3 ends at day"),
    Setting("aging_4", I, 120, "Aging bucket 4 ends at day (after it: final)"),
    Setting("apply_credit_first", B, True, "Apply a credit to other open items before refunding"),
    Setting("collections_days", I, 120, "Send to collections after this many days past billing"),
    Setting("collections_minimum", M, Decimal("50.00"), "Smallest balance sent to collections"),
    Setting("final_notice_days", I, 30, "Days after the final notice before collections"),
    Setting("plan_minimum_installment", M, Decimal("25.00"), "Minimum monthly installment"),
    Setting("plan_terms", T, "3,6,12", "Standard plan terms in months"),
    Setting("plan_apr", R, Decimal("0"), "Interest rate per year on plans (APR)"),
    Setting("plan_missed_to_default", I, 3, "Missed installments before a plan defaults"),
    Setting("prompt_pay_discount", R, Decimal("0"), "Discount for paying in full"),
    Setting("income_cap_hospital", R, Decimal("0.04"), "Income cap: hospital bill"),
    Setting("income_cap_professional", R, Decimal("0.02"), "Income cap: each professional bill"),
    Setting("forgiveness_payments", I, 36, "Bill counts as paid after this many payments"),
    Setting("assistance_year", I, 2026, "Poverty guideline year for screening"),
    Setting("call_window_start", T, "08:00", "Earliest call time (patient's local time)"),
    Setting("call_window_end", T, "21:00", "Latest call time (patient's local time)"),
    Setting("call_limit", I, 7, "Most call attempts per account"),
    Setting("call_limit_days", I, 7, "... within this many days"),
    *(
        Setting(f"dunning_{n}", T, text, f"Bill message, level {n}")
        for n, text in enumerate(_DUNNING, 1)
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}

POLICY_TABLES: tuple[PolicyTable, ...] = (
    PolicyTable(
        "PovertyGuidelines",
        (
            Column("Year", I, True),
            Column("Base", M, True, help="Guideline for a household of one"),
            Column("PerExtraPerson", M, True, help="Added per extra person"),
        ),
        rows=(
            (2025, Decimal("15650"), Decimal("5500")),
            (2026, Decimal("15960"), Decimal("5680")),
        ),
        help="HHS poverty guidelines, 48 contiguous states and DC.",
    ),
    PolicyTable(
        "AssistanceTiers",
        (
            Column("MaxPercent", R, True, help="Up to this % of the guideline, inclusive"),
            Column("Discount", R, True, help="Discount on the patient balance"),
        ),
        rows=(
            (Decimal("2.00"), Decimal("1.00")),
            (Decimal("3.00"), Decimal("0.75")),
            (Decimal("3.50"), Decimal("0.50")),
            (Decimal("4.00"), Decimal("0.25")),
        ),
        help="Financial assistance tiers (percent of the poverty guideline → discount).",
    ),
)

POLICY_TABLES_BY_NAME: dict[str, PolicyTable] = {t.name: t for t in POLICY_TABLES}

# --- Bill template: defined names on the BillTemplate sheet -------------------------------------

BILL_FIELDS: tuple[str, ...] = (
    "bill_practice_name",
    "bill_practice_address",
    "bill_practice_phone",
    "bill_remit_to",
    "bill_account",
    "bill_statement_date",
    "bill_due_date",
    "bill_patient_name",
    "bill_guarantor_name",
    "bill_address",
    "bill_previous_balance",
    "bill_payments_since",
    "bill_amount_due",
    "bill_aging",
    "bill_message",
    "bill_plan_options",
    "bill_assistance_notice",
    "bill_lines",
    "bill_totals",
    "bill_slip_account",
    "bill_slip_amount_due",
    "bill_slip_enclosed",
)
