"""Reference data for the synthetic sample: places, names, plans, the fee schedule, diagnoses.

Everything here is made up or public fact; nothing describes a real person. Phone numbers use the
555-01xx range reserved for fiction, e-mail addresses the reserved ``example.*`` domains. Service
codes have real CPT/HCPCS **shapes**, but the descriptions are the practice's own plain words
(CPT descriptions are AMA copyright and never shipped). Diagnosis codes are billable ICD-10-CM
codes (checked against the code set in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- places --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str
    state: str
    zip3: str  # first three digits of the ZIP code (text: some start with 0)
    area_code: str
    time_zone: str  # IANA
    weight: int


CITIES: tuple[City, ...] = (
    City("Boston", "MA", "021", "617", "America/New_York", 6),
    City("Hartford", "CT", "061", "860", "America/New_York", 3),
    City("Newark", "NJ", "071", "973", "America/New_York", 4),
    City("New York", "NY", "100", "212", "America/New_York", 8),
    City("Philadelphia", "PA", "191", "215", "America/New_York", 6),
    City("Baltimore", "MD", "212", "410", "America/New_York", 4),
    City("Charlotte", "NC", "282", "704", "America/New_York", 4),
    City("Atlanta", "GA", "303", "404", "America/New_York", 5),
    City("Miami", "FL", "331", "305", "America/New_York", 5),
    City("Columbus", "OH", "432", "614", "America/New_York", 4),
    City("Chicago", "IL", "606", "312", "America/Chicago", 7),
    City("Minneapolis", "MN", "554", "612", "America/Chicago", 3),
    City("Kansas City", "MO", "641", "816", "America/Chicago", 3),
    City("Nashville", "TN", "372", "615", "America/Chicago", 3),
    City("Houston", "TX", "770", "713", "America/Chicago", 6),
    City("Dallas", "TX", "752", "214", "America/Chicago", 5),
    City("Denver", "CO", "802", "303", "America/Denver", 5),
    City("Salt Lake City", "UT", "841", "801", "America/Denver", 2),
    City("Albuquerque", "NM", "871", "505", "America/Denver", 2),
    City("Phoenix", "AZ", "850", "602", "America/Phoenix", 4),
    City("Tucson", "AZ", "857", "520", "America/Phoenix", 2),
    City("Los Angeles", "CA", "900", "213", "America/Los_Angeles", 7),
    City("San Diego", "CA", "921", "619", "America/Los_Angeles", 4),
    City("Seattle", "WA", "981", "206", "America/Los_Angeles", 3),
    City("Portland", "OR", "972", "503", "America/Los_Angeles", 3),
    City("Las Vegas", "NV", "891", "702", "America/Los_Angeles", 2),
    City("Anchorage", "AK", "995", "907", "America/Anchorage", 1),
    City("Honolulu", "HI", "968", "808", "Pacific/Honolulu", 1),
)

STREETS = (
    "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Main",
    "Church", "River", "Spring", "Highland", "Sunset", "Jefferson", "Lincoln", "Franklin",
    "Chestnut", "Walnut", "Willow", "Meadow", "Forest", "Ridge", "Madison", "Adams",
)  # fmt: skip
STREET_SUFFIXES = ("St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Way", "Pl")

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Carlos", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra",
    "Jose", "Ashley", "Wei", "Emily", "Kevin", "Maria", "Brian", "Michelle", "Juan", "Amanda",
    "Luis", "Melissa", "Andre", "Stephanie", "Ahmed", "Rebecca", "Tyrone", "Laura", "Hiroshi",
    "Priya", "Noah", "Olivia", "Liam", "Emma", "Mateo", "Sofia", "Ethan", "Aaliyah", "Lucas",
    "Chloe", "Kai", "Leilani",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Kim", "Patel", "Chen", "Okafor",
    "O'Brien", "Murphy", "Kowalski", "Yamamoto", "Kealoha", "Begay",
)  # fmt: skip
NOTES = (
    "Prefers morning calls",
    "Spanish-speaking; use interpreter line",
    "Moved recently; verify address",
    "Hard of hearing; prefers letters",
    "Ask for card on file at next visit",
)

# --- people who post and call --------------------------------------------------------------------

REPS = ("mgarcia", "jchen", "apatel", "kjohnson")
ERA_POSTER = "era"
PROVIDERS = ("Rivera, Ana MD", "Okafor, James DO", "Nguyen, Linh NP", "Schmidt, Paul MD")
HOSPITAL_PROVIDERS = ("Lakeside Emergency", "Lakeside Imaging")

# --- plans ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSpec:
    plan_id: str
    payer: str
    payer_id: str
    plan_type: str
    deductible: int  # cents
    oop_max: int | None  # cents; None = no out-of-pocket maximum
    coinsurance: str  # patient share, as text for Decimal
    copay_office: int
    copay_specialist: int
    copay_er: int
    cob_method: str
    not_covered: str
    prior_auth: str
    #: allowed amount as a share of the practice's charge (varied per code)
    allowed_share: float


PLANS: tuple[PlanSpec, ...] = (
    PlanSpec(
        "SUMPPO", "Summit Mutual Health", "SMH01", "Commercial", 150000, 600000, "0.2",
        2500, 5000, 25000, "standard", "17110", "72148,73721", 0.62,
    ),
    PlanSpec(
        "SUMHDHP", "Summit Mutual Health", "SMH01", "Commercial", 330000, 700000, "0.1",
        0, 0, 0, "non_duplication", "17110", "72148,73721,76700", 0.58,
    ),
    PlanSpec(
        "MCAREB", "Medicare Part B (sample)", "MCR01", "Medicare", 25700, None, "0.2",
        0, 0, 0, "standard", "99385,99386,99392,99393,99395,99396,99397", "", 0.40,
    ),
    PlanSpec(
        "MCAID", "State Medicaid (sample)", "MCD01", "Medicaid", 0, None, "0",
        400, 400, 800, "standard", "", "7", 0.32,
    ),
    PlanSpec(
        "KEYSUP", "Keystone Supplemental", "KSI02", "Other", 0, None, "0",
        0, 0, 0, "standard", "", "", 0.40,
    ),
    PlanSpec(
        "SELF", "Self-pay", "", "Self-pay", 0, None, "1",
        0, 0, 0, "standard", "", "", 0.65,
    ),
)  # fmt: skip
SELF_PAY = "SELF"
SUPPLEMENT = "KEYSUP"

# --- the fee schedule ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeSpec:
    code: str
    description: str  # the practice's own words, never a CPT descriptor
    charge: int  # cents per unit
    copay_type: str
    deductible_applies: bool


def _fee(code: str, text: str, dollars: int, copay: str = "None", deductible: bool = True):
    return FeeSpec(code, text, dollars * 100, copay, deductible)


FEES: tuple[FeeSpec, ...] = (
    _fee("99202", "New patient visit (level 2)", 120, "Office", False),
    _fee("99203", "New patient visit (level 3)", 180, "Office", False),
    _fee("99204", "New patient visit (level 4)", 270, "Office", False),
    _fee("99205", "New patient visit (level 5)", 350, "Office", False),
    _fee("99211", "Established patient visit (level 1)", 45, "Office", False),
    _fee("99212", "Established patient visit (level 2)", 95, "Office", False),
    _fee("99213", "Established patient visit (level 3)", 150, "Office", False),
    _fee("99214", "Established patient visit (level 4)", 220, "Office", False),
    _fee("99215", "Established patient visit (level 5)", 300, "Office", False),
    _fee("99243", "Specialist consult (level 3)", 260, "Specialist", False),
    _fee("99244", "Specialist consult (level 4)", 350, "Specialist", False),
    _fee("99385", "Yearly checkup, new patient, 18-39", 260, deductible=False),
    _fee("99386", "Yearly checkup, new patient, 40-64", 290, deductible=False),
    _fee("99392", "Yearly checkup, child 1-4", 200, deductible=False),
    _fee("99393", "Yearly checkup, child 5-11", 200, deductible=False),
    _fee("99395", "Yearly checkup, 18-39", 240, deductible=False),
    _fee("99396", "Yearly checkup, 40-64", 260, deductible=False),
    _fee("99397", "Yearly checkup, 65 and over", 280, deductible=False),
    _fee("G0439", "Annual wellness visit (Medicare)", 190, deductible=False),
    _fee("99283", "Emergency room visit (level 3)", 420, "ER"),
    _fee("99284", "Emergency room visit (level 4)", 680, "ER"),
    _fee("99285", "Emergency room visit (level 5)", 1050, "ER"),
    _fee("36415", "Blood draw", 20),
    _fee("80053", "Blood chemistry panel (14 tests)", 65),
    _fee("80061", "Cholesterol panel", 55),
    _fee("83036", "A1c (3-month blood sugar)", 45),
    _fee("85025", "Complete blood count", 35),
    _fee("84443", "Thyroid test (TSH)", 70),
    _fee("81002", "Urine dipstick test", 18),
    _fee("87880", "Rapid strep test", 40),
    _fee("71046", "Chest X-ray, two views", 140),
    _fee("72148", "MRI, lower back", 1450),
    _fee("73721", "MRI, knee", 1380),
    _fee("76700", "Ultrasound, abdomen", 480),
    _fee("77067", "Screening mammogram", 280, deductible=False),
    _fee("93000", "Heart tracing (ECG) with reading", 75),
    _fee("94010", "Breathing test", 110),
    _fee("20610", "Joint injection, large joint", 210),
    _fee("11102", "Skin biopsy, first spot", 190),
    _fee("17110", "Wart removal, up to 14", 180),
    _fee("12001", "Stitches, small wound", 260),
    _fee("69210", "Ear wax removal", 120),
    _fee("96372", "Injection given in office", 45),
    _fee("90471", "Vaccine given, first", 35, deductible=False),
    _fee("90686", "Flu shot", 45, deductible=False),
    _fee("90715", "Tetanus-diphtheria-pertussis shot", 70, deductible=False),
    _fee("J1100", "Dexamethasone, per 1 mg", 6),
    _fee("97110", "Therapy exercises, per 15 minutes", 65),
    _fee("97140", "Hands-on therapy, per 15 minutes", 60),
)
FEES_BY_CODE = {f.code: f for f in FEES}

# --- diagnoses (billable ICD-10-CM) --------------------------------------------------------------

CHRONIC_DX = ("E11.9", "E11.65", "I10", "E78.5", "E03.9", "K21.9", "F41.1", "F32.A", "J45.909")
CHRONIC_DX += ("E66.9", "I48.91", "N18.30", "R73.03", "E55.9")
ACUTE_DX = ("J06.9", "J02.9", "J02.0", "R05.9", "J20.9", "N39.0", "R51.9", "R10.9", "B07.9")
ACUTE_DX += ("L30.9", "H61.21", "H66.90", "J01.90", "R50.9", "R42", "K59.00")
PREVENTIVE_ADULT_DX = ("Z00.00", "Z00.01")
PREVENTIVE_CHILD_DX = ("Z00.129", "Z00.121")
ER_DX = ("S93.401A", "S61.411A", "R10.9", "R07.9", "J45.909", "S13.4XXA", "R42")
MSK_DX = ("M54.50", "M25.561", "M62.830", "M17.11", "M17.12", "M25.511", "M79.604", "M54.2")
IMAGING = (  # code, diagnoses that justify it
    ("72148", ("M54.50",)),
    ("73721", ("M25.561", "S83.511A")),
    ("76700", ("R10.9",)),
    ("77067", ("Z12.31",)),
    ("71046", ("R05.9", "J20.9")),
)
PROCEDURES = (  # consult-day procedure, its diagnoses, modifiers it may carry
    ("20610", ("M17.11", "M17.12"), ("RT", "LT")),
    ("11102", ("L82.1",), ()),
    ("17110", ("B07.9",), ()),
    ("69210", ("H61.21",), ()),
)
ALL_DIAGNOSES = tuple(
    sorted(
        {
            *CHRONIC_DX,
            *ACUTE_DX,
            *PREVENTIVE_ADULT_DX,
            *PREVENTIVE_CHILD_DX,
            *ER_DX,
            *MSK_DX,
            *(dx for _, codes in IMAGING for dx in codes),
            *(dx for _, codes, _ in PROCEDURES for dx in codes),
            "Z23",
        }
    )
)
MALFORMED_DIAGNOSES = ("E11.999", "XYZ", "I1O", "J06.9X")
