"""Read an X12 835 file: normalise it, validate it with pyx12, extract immutable records.

Three steps, each a function:

1. :func:`normalise` — bytes or text in, segments out. Strips a byte-order mark, reads the
   separators the ISA declares (it is fixed width: element separator = 4th character, repetition
   = ISA11, component = ISA16, segment terminator = the character after ISA16), and splits the
   file into segments whether or not it has line breaks (after each segment, wrapped at a fixed
   width, or used as the terminator itself).
2. :func:`validate` — pyx12 checks the segments against the 005010X221A1 implementation guide;
   its reports become :class:`~addin.era.model.EraProblem` values. Two reports are known to be
   false and are kept but marked so they never block posting: a second PLB segment (pyx12's map
   allows only one footer loop) and a repeated interchange control number when the interchanges
   come from different senders (control numbers are unique per sender, pyx12 checks the file).
3. extraction — our own thin walk over the segments into payments, claims, service lines and
   provider-level adjustments. Amounts become ``Decimal`` through :func:`addin.core.money.to_money`.

:func:`read_era` and :func:`parse_era` run all three. A file that is not an 835 at all raises
:class:`~addin.errors.PaxlError`; everything else wrong with a file is a problem value, so the file
can still be previewed.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from addin.core.findings import Severity
from addin.core.money import ZERO, MoneyError, to_decimal, to_money
from addin.era.model import (
    Adjustment,
    Claim,
    EraFile,
    EraProblem,
    Interchange,
    Payment,
    ProblemKind,
    ProviderAdjustment,
    Remittance,
    ServiceLine,
)
from addin.errors import PaxlError

__all__ = [
    "IMPLEMENTATION",
    "Segment",
    "Separators",
    "normalise",
    "parse_era",
    "read_era",
    "validate",
]

IMPLEMENTATION = "005010X221A1"

ISA_LENGTH = 106  # the ISA segment is fixed width, terminator included
# 0-based offsets of the 16 element separators inside a fixed-width ISA segment.
_ISA_SEPARATOR_OFFSETS = (3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103)
_LINE_BREAKS = "\r\n"
_TRAILING_JUNK = " \t\r\n\x1a\x00"  # spaces, line breaks, DOS end-of-file, padding


@dataclass(frozen=True)
class Separators:
    """The delimiters an interchange declares in its ISA segment."""

    element: str
    component: str
    repetition: str | None
    segment: str


@dataclass(frozen=True)
class Segment:
    """One segment: its position in the file (ISA = 1) and its elements.

    ``elements[0]`` is the segment ID, so ``elements[1]`` is e.g. CLP01 — the numbering of the
    implementation guide.
    """

    position: int
    elements: tuple[str, ...]
    component: str = ":"

    @property
    def id(self) -> str:
        return self.elements[0].strip()

    def get(self, index: int) -> str:
        """Element ``index`` stripped of spaces; ``""`` when absent."""
        if index < len(self.elements):
            return self.elements[index].strip()
        return ""

    def parts(self, index: int) -> tuple[str, ...]:
        """The components of composite element ``index``, each stripped; ``()`` when absent."""
        value = self.get(index)
        if not value:
            return ()
        return tuple(p.strip() for p in value.split(self.component))


# --------------------------------------------------------------------------- 1. normalise


def _decode(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PaxlError(f"{source} is not a readable text file; export it again.") from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # X12's extended character set is single-byte; Latin-1 reads every byte.
        return data.decode("latin-1")


def _isa_shape_ok(isa: str) -> bool:
    if len(isa) < ISA_LENGTH - 1 or not isa.startswith("ISA"):
        return False
    sep = isa[3]
    if sep.isalnum() or sep.isspace():
        return False
    return all(isa[i] == sep for i in _ISA_SEPARATOR_OFFSETS)


def _terminator_ok(char: str, others: Sequence[str | None]) -> bool:
    return bool(char) and not char.isalnum() and char != " " and char not in others


def normalise(data: bytes | str, source: str = "the file") -> tuple[Separators, list[Segment], str]:
    """Split an X12 file into segments using the separators its ISA declares.

    Returns:
        The separators, the segments (positions from 1) and the text after the last segment
        terminator when that text is not just whitespace — a segment cut off in the middle.

    Raises:
        PaxlError: when the text does not start with a well-formed, fixed-width ISA segment.
    """
    text = _decode(data, source).lstrip(_TRAILING_JUNK + "\ufeff")
    not_x12 = (
        f"{source} is not an X12 835 file: it must start with a 106-character ISA segment; "
        "open the file the payer or clearinghouse sent, not a report or spreadsheet."
    )
    if not text.startswith("ISA"):
        raise PaxlError(not_x12)
    # A line break right after ISA16 is the terminator itself when the next segment's ID
    # follows it; otherwise it is a line break after (or wrapping before) the terminator.
    after_isa = text[ISA_LENGTH - 1 :].lstrip(_LINE_BREAKS)
    newline_terminated = (
        len(text) >= ISA_LENGTH
        and text[ISA_LENGTH - 1] in _LINE_BREAKS
        and after_isa[:1].isalpha()
        and _isa_shape_ok(text)
    )
    if newline_terminated:
        body = text.replace("\r\n", "\n").replace("\r", "\n")
        terminator = "\n"
    else:
        # Line breaks are never data in X12: drop them all, which also mends wrapped files.
        body = text.replace("\r", "").replace("\n", "")
        if len(body) < ISA_LENGTH or not _isa_shape_ok(body):
            raise PaxlError(not_x12)
        terminator = body[ISA_LENGTH - 1]
    element = body[3]
    component = body[104]
    version = body[84:89]
    repetition: str | None = body[82] if version >= "00402" else None
    if repetition is not None and (repetition.isalnum() or repetition == " "):
        repetition = None  # some senders keep 4010's "U" here: no repetition separator
    if (
        not _terminator_ok(component, (element,))
        or not _terminator_ok(terminator, (element, component, repetition))
        or repetition in (element, component)
    ):
        raise PaxlError(
            f"{source} declares the same or an unusable character for two separators in its "
            "ISA segment; ask the sender for a corrected file."
        )
    separators = Separators(element, component, repetition, terminator)
    pieces = body.split(terminator)
    tail = pieces.pop().strip(_TRAILING_JUNK)
    segments: list[Segment] = []
    for piece in pieces:
        piece = piece.strip(_LINE_BREAKS)
        if piece.strip(_TRAILING_JUNK):
            segments.append(Segment(len(segments) + 1, tuple(piece.split(element)), component))
    return separators, segments, tail


def _x12_text(separators: Separators, segments: Sequence[Segment]) -> str:
    """The segments as canonical X12 text for pyx12: declared separators, one per line."""
    eol = "" if separators.segment == "\n" else "\n"
    end = separators.segment + eol
    return "".join(separators.element.join(s.elements) + end for s in segments)


# --------------------------------------------------------------------------- 2. validate

# X12 IK4 data element syntax error codes (what pyx12 reports per element), as sentences that
# never repeat the element's value.
_ELEMENT_ERRORS = {
    "1": "is required but missing",
    "2": "is required by another element but missing",
    "3": "has too many components",
    "4": "is too short",
    "5": "is too long",
    "6": "contains a character that is not allowed",
    "7": "has a code that is not valid here",
    "8": "is not a valid date",
    "9": "is not a valid time",
    "10": "must not be used here",
}
_LEVEL_SEGMENT = {"isa": "ISA", "gs": "GS", "st": "ST"}


@contextlib.contextmanager
def _quiet_pyx12() -> Iterator[None]:
    """Keep pyx12's own log lines (which quote element values, e.g. patient names) out of the
    program's logs and stderr while it runs; its findings are collected as values instead."""
    logger = logging.getLogger("pyx12")
    handler = logging.NullHandler()
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def _run_pyx12(x12_text: str) -> dict[str, object]:
    # Imported here: every `paxl` command imports this module, only reading an 835 needs pyx12.
    import pyx12.params
    import pyx12.x12n_document

    out = io.StringIO()
    params = pyx12.params.ParamsBase()  # no config files from the user's home directory
    with _quiet_pyx12():
        pyx12.x12n_document.x12n_document(
            params, io.StringIO(x12_text), fd_997=None, fd_html=None, fd_json=out
        )
    text = out.getvalue()
    return json.loads(text) if text else {"interchanges": []}


def validate(
    separators: Separators, segments: Sequence[Segment], interchanges: Sequence[Interchange] = ()
) -> list[EraProblem]:
    """Validate segments against the 835 implementation guide with pyx12.

    Args:
        separators: as declared by the ISA.
        segments: from :func:`normalise`.
        interchanges: the file's ISA envelopes, used to recognise the false "control number not
            unique" report; read from ``segments`` when not given.

    Returns:
        One problem per pyx12 report, in file order. Known false reports have kind
        ``KNOWN_FALSE`` and severity INFO.
    """
    if not interchanges:
        interchanges = _interchanges(segments)
    try:
        doc = _run_pyx12(_x12_text(separators, segments))
    except Exception as exc:  # pyx12 gave up on the file: that is a verdict, not a crash
        return [
            EraProblem(
                code="pyx12_failed",
                message=f"The X12 parser could not read this file ({type(exc).__name__}).",
                kind=ProblemKind.PARSER,
                fix="Ask the payer or clearinghouse to resend the 835.",
            )
        ]
    problems: list[EraProblem] = []
    for isa in _items(doc, "interchanges"):
        control = str(isa.get("isa_trn_set_id") or "")
        for err in _items(isa, "errors"):
            problems.append(_envelope_problem("isa", isa, err, control, interchanges))
        for gs in _items(isa, "groups"):
            for err in _items(gs, "errors"):
                problems.append(_envelope_problem("gs", gs, err, control, interchanges))
            for st in _items(gs, "transactions"):
                for err in _items(st, "errors"):
                    problems.append(_envelope_problem("st", st, err, control, interchanges))
                for seg in _items(st, "segments"):
                    problems.extend(_segment_problems(seg))
    return sorted(problems, key=lambda p: p.position or 0)


def _items(node: object, key: str) -> list[dict[str, object]]:
    value = node.get(key) if isinstance(node, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _line(node: dict[str, object]) -> int | None:
    value = node.get("cur_line")
    return value if isinstance(value, int) and value > 0 else None


def _envelope_problem(
    level: str,
    node: dict[str, object],
    err: dict[str, object],
    control: str,
    interchanges: Sequence[Interchange],
) -> EraProblem:
    code = str(err.get("err_cde", ""))
    message = str(err.get("err_str", "")).strip()
    known_false = level == "isa" and code == "025" and _distinct_senders(control, interchanges)
    return EraProblem(
        code=f"pyx12_{level}_{code}",
        message=(
            f"{message} (the interchanges come from different senders, so this is allowed)."
            if known_false
            else f"{message}."
        ),
        kind=ProblemKind.KNOWN_FALSE if known_false else ProblemKind.PARSER,
        severity=Severity.INFO if known_false else Severity.ERROR,
        position=_line(node),
        segment=_LEVEL_SEGMENT[level],
        fix="" if known_false else "Ask the payer or clearinghouse to resend a corrected 835.",
    )


def _distinct_senders(control: str, interchanges: Sequence[Interchange]) -> bool:
    """True when every interchange using this control number has its own sender/receiver."""
    pairs = [(i.sender, i.receiver) for i in interchanges if i.control_number == control]
    return len(pairs) > 1 and len(set(pairs)) == len(pairs)


def _is_second_plb_report(seg_id: str, code: str, message: str) -> bool:
    """pyx12's 835 map allows the footer loop once, so every PLB after the first is reported
    as "Loop FOOTER exceeded max count"; the guide allows PLB to repeat."""
    return seg_id == "PLB" and code == "4" and message.startswith("Loop FOOTER exceeded max count")


def _segment_problems(seg: dict[str, object]) -> list[EraProblem]:
    seg_id = str(seg.get("seg_id") or "")
    position = _line(seg)
    problems: list[EraProblem] = []
    for err in _items(seg, "errors"):
        code = str(err.get("err_cde", ""))
        message = str(err.get("err_str", "")).strip()
        known_false = _is_second_plb_report(seg_id, code, message)
        problems.append(
            EraProblem(
                code=f"pyx12_seg_{code}",
                message=(
                    "A further PLB segment (provider adjustments may repeat; pyx12 wrongly "
                    "allows one)."
                    if known_false
                    else f"Segment {seg_id}: {message}."
                ),
                kind=ProblemKind.KNOWN_FALSE if known_false else ProblemKind.PARSER,
                severity=Severity.INFO if known_false else Severity.ERROR,
                position=position,
                segment=seg_id or None,
                fix="" if known_false else "Ask the payer or clearinghouse to resend the 835.",
            )
        )
    for ele in _items(seg, "elements"):
        ref = _refdes(seg_id, ele)
        name = str(ele.get("name") or "").strip()
        label = f"{ref} ({name})" if name else ref
        for err in _items(ele, "errors"):
            code = str(err.get("err_cde", ""))
            what = _ELEMENT_ERRORS.get(code, f"is not valid (X12 error {code})")
            problems.append(
                EraProblem(
                    code=f"pyx12_ele_{code}",
                    message=f"Element {label} {what}.",
                    kind=ProblemKind.PARSER,
                    position=position,
                    segment=seg_id or None,
                    element=ref,
                    fix="Ask the payer or clearinghouse to resend the 835.",
                )
            )
    return problems


def _refdes(seg_id: str, ele: dict[str, object]) -> str:
    pos = ele.get("ele_pos")
    sub = ele.get("subele_pos")
    ref = f"{seg_id}{pos:02d}" if isinstance(pos, int) else seg_id
    return f"{ref}-{sub}" if isinstance(sub, int) and sub > 0 else ref


# --------------------------------------------------------------------------- 3. extract


def _interchanges(segments: Sequence[Segment]) -> list[Interchange]:
    return [
        Interchange(
            sender=f"{s.get(5)}:{s.get(6)}",
            receiver=f"{s.get(7)}:{s.get(8)}",
            control_number=s.get(13),
            position=s.position,
        )
        for s in segments
        if s.id == "ISA"
    ]


class _Reader:
    """Converts element text to values, collecting a problem for each value it cannot read."""

    def __init__(self) -> None:
        self.problems: list[EraProblem] = []

    def _problem(self, seg: Segment, index: int, code: str, what: str) -> None:
        ref = f"{seg.id}{index:02d}"
        self.problems.append(
            EraProblem(
                code=code,
                message=f"Element {ref} of segment {seg.id} {what}.",
                kind=ProblemKind.FILE,
                position=seg.position,
                segment=seg.id,
                element=ref,
                fix="Ask the payer or clearinghouse to resend the 835.",
            )
        )

    def money(self, seg: Segment, index: int, *, required: bool = True) -> Decimal | None:
        """Dollars with two places; blank → ZERO when required (with a problem), else None."""
        text = seg.get(index)
        if not text:
            if required:
                self._problem(seg, index, "amount_missing", "is a required amount but blank")
                return ZERO
            return None
        try:
            return to_money(text)
        except MoneyError:
            self._problem(seg, index, "amount_unreadable", "is not an amount in dollars and cents")
            return ZERO

    def quantity(self, seg: Segment, index: int) -> Decimal | None:
        text = seg.get(index)
        if not text:
            return None
        try:
            return to_decimal(text)
        except MoneyError:
            self._problem(seg, index, "quantity_unreadable", "is not a number")
            return None

    def date(self, seg: Segment, index: int) -> date | None:
        text = seg.get(index)
        if not text:
            return None
        if len(text) == 8 and text.isdigit():
            try:
                return date(int(text[:4]), int(text[4:6]), int(text[6:]))
            except ValueError:
                pass
        self._problem(seg, index, "date_unreadable", "is not a date (CCYYMMDD)")
        return None


class _ServiceDraft:
    def __init__(self, seg: Segment, read: _Reader) -> None:
        code = seg.parts(1)
        original = seg.parts(6)
        self.position = seg.position
        self.qualifier = code[0] if code else ""
        self.procedure_code = code[1] if len(code) > 1 else ""
        self.modifiers = tuple(m for m in code[2:6] if m)
        self.charge = read.money(seg, 2) or ZERO
        self.paid = read.money(seg, 3) or ZERO
        self.revenue_code = seg.get(4) or None
        units = read.quantity(seg, 5)
        self.units = units if units is not None else Decimal(1)
        self.original_procedure_code = original[1] if len(original) > 1 else None
        self.allowed: Decimal | None = None
        self.service_date: date | None = None
        self.control_number: str | None = None
        self.adjustments: list[Adjustment] = []
        self.remarks: list[str] = []

    def build(self, claim_date: date | None) -> ServiceLine:
        return ServiceLine(
            procedure_code=self.procedure_code,
            charge=self.charge,
            paid=self.paid,
            qualifier=self.qualifier,
            modifiers=self.modifiers,
            allowed=self.allowed,
            units=self.units,
            service_date=self.service_date or claim_date,
            control_number=self.control_number,
            revenue_code=self.revenue_code,
            original_procedure_code=self.original_procedure_code,
            adjustments=tuple(self.adjustments),
            remarks=tuple(self.remarks),
            position=self.position,
        )


class _ClaimDraft:
    def __init__(self, seg: Segment, read: _Reader) -> None:
        self.position = seg.position
        self.patient_control_number = seg.get(1)
        self.status = seg.get(2)
        self.charge = read.money(seg, 3) or ZERO
        self.paid = read.money(seg, 4) or ZERO
        self.patient_responsibility = read.money(seg, 5, required=False) or ZERO
        self.filing_indicator = seg.get(6) or None
        self.payer_claim_control_number = seg.get(7) or None
        self.statement_date: date | None = None
        self.adjustments: list[Adjustment] = []
        self.services: list[_ServiceDraft] = []

    def build(self) -> Claim:
        return Claim(
            patient_control_number=self.patient_control_number,
            status=self.status,
            charge=self.charge,
            paid=self.paid,
            patient_responsibility=self.patient_responsibility,
            payer_claim_control_number=self.payer_claim_control_number,
            filing_indicator=self.filing_indicator,
            statement_date=self.statement_date,
            adjustments=tuple(self.adjustments),
            services=tuple(s.build(self.statement_date) for s in self.services),
            position=self.position,
        )


class _RemittanceDraft:
    def __init__(self, seg: Segment) -> None:
        self.position = seg.position
        self.control_number = seg.get(2)
        self.bpr: Segment | None = None
        self.trn: Segment | None = None
        self.payer_name = ""
        self.payee_name = ""
        self.payee_id = ""
        self.claims: list[_ClaimDraft] = []
        self.plb: list[ProviderAdjustment] = []

    def build(self, read: _Reader) -> Remittance:
        bpr, trn = self.bpr, self.trn
        total = ZERO
        if bpr is None:
            read.problems.append(
                EraProblem(
                    code="payment_missing",
                    message=f"Transaction {self.control_number} has no BPR (payment) segment.",
                    kind=ProblemKind.FILE,
                    position=self.position,
                    segment="ST",
                    fix="Ask the payer or clearinghouse to resend the 835.",
                )
            )
        else:
            total = read.money(bpr, 2) or ZERO
            if bpr.get(3) == "D":  # a debit: the practice owes the payer
                total = -total
        payment = Payment(
            total_paid=total,
            method=bpr.get(4) if bpr else "",
            payment_date=read.date(bpr, 16) if bpr else None,
            trace_number=trn.get(2) if trn else "",
            payer_name=self.payer_name,
            payer_id=trn.get(3) if trn else "",
            payee_name=self.payee_name,
            payee_id=self.payee_id,
            handling=bpr.get(1) if bpr else "",
        )
        return Remittance(
            payment=payment,
            claims=tuple(c.build() for c in self.claims),
            provider_adjustments=tuple(self.plb),
            control_number=self.control_number,
            position=self.position,
        )


def _cas(seg: Segment, read: _Reader) -> list[Adjustment]:
    """A CAS segment: a group code and up to six reason/amount/quantity triplets."""
    group = seg.get(1)
    out: list[Adjustment] = []
    for first in range(2, 20, 3):
        reason = seg.get(first)
        if not reason:
            continue
        amount = read.money(seg, first + 1) or ZERO
        out.append(Adjustment(group, reason, amount, read.quantity(seg, first + 2), seg.position))
    return out


def _plb(seg: Segment, read: _Reader) -> list[ProviderAdjustment]:
    """A PLB segment: provider, fiscal period and up to six reason:reference/amount pairs."""
    out: list[ProviderAdjustment] = []
    fiscal_period = read.date(seg, 2)
    for first in range(3, 15, 2):
        parts = seg.parts(first)
        if not parts:
            continue
        out.append(
            ProviderAdjustment(
                reason=parts[0],
                amount=read.money(seg, first + 1) or ZERO,
                reference=(parts[1] or None) if len(parts) > 1 else None,
                provider_id=seg.get(1),
                fiscal_period=fiscal_period,
                position=seg.position,
            )
        )
    return out


def _extract(segments: Sequence[Segment]) -> tuple[list[Remittance], list[EraProblem]]:
    """Walk the segments of every ST*835 transaction into remittances."""
    read = _Reader()
    remittances: list[Remittance] = []
    tx: _RemittanceDraft | None = None
    claim: _ClaimDraft | None = None
    svc: _ServiceDraft | None = None
    for seg in segments:
        sid = seg.id
        if sid == "ST":
            if tx is not None:
                remittances.append(tx.build(read))
            tx = _RemittanceDraft(seg) if seg.get(1) == "835" else None
            claim = svc = None
        elif tx is None:
            continue
        elif sid == "SE":
            remittances.append(tx.build(read))
            tx = claim = svc = None
        elif sid == "BPR":
            tx.bpr = seg
        elif sid == "TRN":
            tx.trn = seg
        elif sid == "N1" and claim is None:
            if seg.get(1) == "PR":
                tx.payer_name = seg.get(2)
            elif seg.get(1) == "PE":
                tx.payee_name, tx.payee_id = seg.get(2), seg.get(4)
        elif sid == "CLP":
            claim, svc = _ClaimDraft(seg, read), None
            tx.claims.append(claim)
        elif sid == "SVC" and claim is not None:
            svc = _ServiceDraft(seg, read)
            claim.services.append(svc)
        elif sid == "CAS" and svc is not None:
            svc.adjustments.extend(_cas(seg, read))
        elif sid == "CAS" and claim is not None:
            claim.adjustments.extend(_cas(seg, read))
        elif sid == "DTM" and svc is not None:
            if seg.get(1) in ("472", "150") and svc.service_date is None:
                svc.service_date = read.date(seg, 2)
        elif sid == "DTM" and claim is not None:
            if seg.get(1) == "232":
                claim.statement_date = read.date(seg, 2)
        elif sid == "REF" and svc is not None and seg.get(1) == "6R":
            svc.control_number = seg.get(2) or None
        elif sid == "AMT" and svc is not None and seg.get(1) == "B6":
            svc.allowed = read.money(seg, 2)
        elif sid == "LQ" and svc is not None and seg.get(2):
            svc.remarks.append(seg.get(2))
        elif sid == "PLB":
            claim = svc = None
            tx.plb.extend(_plb(seg, read))
        elif sid == "LX":
            claim = svc = None
    if tx is not None:  # the file ended inside a transaction: keep what it had
        remittances.append(tx.build(read))
    return remittances, read.problems


# --------------------------------------------------------------------------- whole file


def _check_kind(segments: Sequence[Segment], source: str) -> list[EraProblem]:
    """Refuse files that are not 835s at all; report 835s of another version as problems."""
    kinds = [s.get(1) for s in segments if s.id == "ST"]
    if not kinds:
        raise PaxlError(
            f"{source} holds no X12 transaction (no ST segment); it is not an 835 remittance file."
        )
    if "835" not in kinds:
        found = ", ".join(sorted(set(kinds)))
        raise PaxlError(
            f"{source} holds X12 {found} transactions, not 835 remittances; choose the ERA file."
        )
    problems: list[EraProblem] = []
    for seg in segments:
        if seg.id == "ST" and seg.get(1) != "835":
            problems.append(
                EraProblem(
                    code="not_835",
                    message=f"Transaction {seg.get(2)} is an X12 {seg.get(1)}, not an 835.",
                    kind=ProblemKind.FILE,
                    position=seg.position,
                    segment="ST",
                    fix="Send remittances in a file of their own.",
                )
            )
        elif seg.id == "GS" and (seg.get(1) != "HP" or seg.get(8) != IMPLEMENTATION):
            problems.append(
                EraProblem(
                    code="unsupported_version",
                    message=(
                        f"Functional group {seg.get(6)} is {seg.get(1)} version {seg.get(8)}; "
                        f"paxl reads 835 remittances of version {IMPLEMENTATION} (HP)."
                    ),
                    kind=ProblemKind.FILE,
                    position=seg.position,
                    segment="GS",
                    element="GS08",
                    fix=f"Ask the clearinghouse for {IMPLEMENTATION} remittances.",
                )
            )
    return problems


def _locate(problem: EraProblem, remittances: Sequence[Remittance]) -> EraProblem:
    """Add the trace number and claim ID a positioned problem falls into."""
    if problem.position is None or (problem.trace_number and problem.claim):
        return problem
    containing = [r for r in remittances if r.position <= problem.position]
    if not containing:
        return problem
    remittance = containing[-1]
    claims = [c for c in remittance.claims if c.position <= problem.position]
    claim = claims[-1].patient_control_number if claims and problem.segment != "PLB" else None
    if problem.segment in ("SE", "ST", "GS", "GE", "ISA", "IEA"):
        claim = None
    return EraProblem(
        code=problem.code,
        message=problem.message,
        kind=problem.kind,
        severity=problem.severity,
        position=problem.position,
        segment=problem.segment,
        element=problem.element,
        claim=problem.claim or claim,
        trace_number=problem.trace_number or remittance.payment.trace_number or None,
        fix=problem.fix,
    )


def parse_era(data: bytes | str, source: str = "the file") -> EraFile:
    """Read an 835 from bytes or text: normalise, validate with pyx12, extract.

    Args:
        data: the file's content; a UTF-8 BOM is ignored.
        source: how to name the file in messages (its file name).

    Returns:
        The remittances and every parser and reading problem (balance checks are separate:
        :func:`addin.era.balance.check_era`).

    Raises:
        PaxlError: when the content is not an X12 835 file at all.
    """
    separators, segments, tail = normalise(data, source)
    problems = _check_kind(segments, source)
    if tail:
        problems.append(
            EraProblem(
                code="truncated",
                message=(
                    "The file ends in the middle of a segment after segment "
                    f"{len(segments)}; it was cut off."
                ),
                kind=ProblemKind.FILE,
                position=len(segments) + 1,
                fix="Download or export the 835 again.",
            )
        )
    interchanges = _interchanges(segments)
    problems.extend(validate(separators, segments, interchanges))
    remittances, reading = _extract(segments)
    problems.extend(reading)
    located = [_locate(p, remittances) for p in problems]
    located.sort(key=lambda p: (p.position or 0, p.kind != ProblemKind.FILE))
    return EraFile(
        remittances=tuple(remittances),
        problems=tuple(located),
        interchanges=tuple(interchanges),
        source=source,
        segment_count=len(segments),
    )


def read_era(path: str | Path) -> EraFile:
    """Read an 835 file from disk (see :func:`parse_era`).

    Raises:
        PaxlError: when the file cannot be read or is not an X12 835 file.
    """
    file = Path(path)
    name = file.name or str(file)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise PaxlError(f"{file} does not exist; check the file name and folder.") from None
    except IsADirectoryError:
        raise PaxlError(f"{file} is a folder; give the 835 file inside it.") from None
    except OSError as exc:
        raise PaxlError(f"{file} cannot be read ({exc.strerror}); close it or copy it.") from None
    if not data.strip():
        raise PaxlError(f"{name} is empty; download the 835 again.")
    return parse_era(data, source=name)
