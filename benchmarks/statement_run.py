"""Time the statement run against its I/O floor (a timing script, not a test).

Run: ``.venv/bin/python benchmarks/statement_run.py --patients 10000 [--repeat 3]``

On a sample workbook (``paxl sample --patients N``, seed 1, cached in ``benchmarks/.cache/``;
the first run generates it and times the generation), this one command measures, each in a fresh
child process so that its peak memory is its own:

(a) **the job**: ``paxl statements BOOK -o OUT.xlsx`` without PDFs, by calling
    :func:`addin.bills.run.run_statements` in-process with the arguments the CLI passes
    (load and validate the book, select accounts, build the bills, write the bill workbooks);
(b) **the floor**: the same I/O with no logic: read the same sheets with python-calamine
    (``to_python``, as the loader reads any sheet it does not read column-wise), then write the
    same number of cells (strings and numbers, with or without a cell format, formatted blanks;
    as many distinct strings) onto the same sheets of the same number of workbooks with
    XlsxWriter (``in_memory``, as the job does). What the floor leaves out is layout: merged
    ranges, row heights, column widths, hyperlinks, the Statements table. For information, the
    floor's read is also timed as the job reads table sheets (column-wise, with fastexcel), and
    the ratio against that floor is printed;
(c) the ledger on the sample's own tables (``ledger_from_book``, book already loaded), and on the
    synthetic DESIGN §7 size (250k charges, 400k payments, 150k adjustments) of
    ``benchmarks/ledger.py``.

Times are medians of ``--repeat`` runs (wall clock and CPU time, user + system, of the child);
peak memory is the child's ``ru_maxrss``. The verdicts use CPU time: on a shared machine the wall
clock also counts other programs' work. Targets: job/floor ≤ 1.5 at 10k patients (stretch 1.3);
job peak memory ≤ 2 GiB at 50k; ``paxl sample --patients 10000`` ≤ 60 s; ledger for 10k
patients ≤ 3 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import shutil
import statistics
import sys
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._measure import (
    CACHE,
    GIB,
    Summary,
    Timer,
    emit,
    gib,
    machine_line,
    run_child,
    verdict,
)

SCRIPT = Path(__file__).resolve()
SEED = 1
#: the sample's "today" (addin.workbook.sample.AS_OF): bills are dated as of it
AS_OF = dt.date(2026, 11, 15)
RATIO_TARGET, RATIO_STRETCH, RATIO_AT = 1.5, 1.3, 10_000
MEMORY_TARGET, MEMORY_AT = 2 * GIB, 50_000
SAMPLE_TARGET_SECONDS, SAMPLE_AT = 60.0, 10_000
LEDGER_TARGET_SECONDS, LEDGER_AT = 3.0, 10_000
EXCEL_MAX_ROWS = 1_048_576
#: the rows a table holds on one sheet (row 1 is the header)
SHEET_DATA_ROWS = EXCEL_MAX_ROWS - 1
#: cells per row of the floor's sheets (a bill is 8 columns wide)
FLOOR_WIDTH = 8
#: the kinds of cells counted in the job's output and written by the floor ("styled": with a
#: cell format, as most bill cells have; a blank cell is only written when it has a format)
CELL_KINDS = ("string", "string_styled", "number", "number_styled", "blank")


# --- children: each runs in its own interpreter and prints one JSON line -------------------------


def child_sample(patients: int, out: Path) -> None:
    """``paxl sample --patients N -o OUT`` through the CLI's own entry point."""
    from addin.cli import main

    with Timer() as timer:
        code = main(["sample", "--patients", str(patients), "--seed", str(SEED), "-o", str(out)])
    if code:
        raise SystemExit(code)
    emit(timer.result())


def child_job(book: Path, out_dir: Path) -> None:
    """The statement run, as ``paxl statements BOOK --as-of AS_OF -o OUT_DIR/bills.xlsx``."""
    from addin.bills.run import run_statements

    with Timer() as timer:
        result = run_statements(book, out_dir / "bills.xlsx", as_of=AS_OF)
    emit(
        timer.result(
            stages=dict(result.seconds),
            billed=result.billed,
            skipped=sum(result.skipped.values()),
            workbooks=[str(p) for p in result.workbooks],
        )
    )


def child_floor(book: Path, plan_file: Path, out_dir: Path) -> None:
    """Read the same sheets with calamine, write the same cells with XlsxWriter; no logic."""
    import io

    from python_calamine import CalamineWorkbook
    from xlsxwriter.workbook import Workbook

    plan = json.loads(plan_file.read_text())
    with Timer() as timer:
        with Timer() as reading:
            source = CalamineWorkbook.from_path(str(book))
            cells_read = 0
            for sheet in plan["read"]:
                rows = source.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                cells_read += sum(len(row) for row in rows)
                del rows
            source.close()
        for n, part in enumerate(plan["write"]):
            buffer = io.BytesIO()
            workbook = Workbook(buffer, {"in_memory": True})
            cell_format = workbook.add_format({"num_format": "0.00"})
            distinct = max(1, part["distinct_strings"])
            k = 0
            for sheet in part["sheets"]:
                worksheet = workbook.add_worksheet(sheet["name"])
                cell = 0
                for kind in CELL_KINDS:
                    style = cell_format if kind.endswith("styled") or kind == "blank" else None
                    for _ in range(sheet[kind]):
                        row, col = divmod(cell, FLOOR_WIDTH)
                        if kind.startswith("string"):
                            worksheet.write_string(row, col, f"text {k % distinct}", style)
                            k += 1
                        elif kind.startswith("number"):
                            worksheet.write_number(row, col, cell * 1.25, style)
                        else:
                            worksheet.write_blank(row, col, None, style)
                        cell += 1
            workbook.close()
            (out_dir / f"floor-{n + 1}.xlsx").write_bytes(buffer.getvalue())
    emit(timer.result(cells_read=cells_read, read_cpu=reading.cpu))


def child_read_columns(book: Path, plan_file: Path) -> None:
    """For information: the floor's read as the job now reads (table sheets column-wise with
    fastexcel, ``addin/workbook/sheet_columns.py``; Policy with python-calamine), no logic."""
    import fastexcel
    from python_calamine import CalamineWorkbook

    plan = json.loads(plan_file.read_text())
    with Timer() as timer:
        reader = fastexcel.read_excel(str(book))
        source = CalamineWorkbook.from_path(str(book))
        cells_read = 0
        for sheet in plan["read"]:
            if sheet.casefold() == "policy":
                rows = source.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                cells_read += sum(len(row) for row in rows)
                continue
            batch = reader.load_sheet(sheet, header_row=0).to_arrow()
            cells_read += batch.num_rows * batch.num_columns
            del batch
        source.close()
    emit(timer.result(cells_read=cells_read))


def child_ledger(book: Path, repeat: int) -> None:
    """Load the book (timed apart), then the ledger on it ``repeat`` times; table sizes."""
    from addin.core.ledger import ledger_from_book
    from addin.workbook.loader import load_book
    from addin.workbook.schema import TABLES

    with Timer() as load:
        loaded = load_book(book)
    runs = []
    for _ in range(repeat):
        with Timer() as timer:
            ledger_from_book(loaded, as_of=AS_OF)
        runs.append(timer.result())
    rows = {t.name: len(loaded.tables[t.name]) for t in TABLES}
    emit({"load": load.result(), "runs": runs, "rows": rows})


def child_ledger_design(repeat: int) -> None:
    """The ledger on benchmarks/ledger.py's synthetic frames of the DESIGN §7 size."""
    from addin.core.ledger import compute_ledger
    from benchmarks.ledger import synthetic

    frames = synthetic(10_000, 250_000, 400_000, 150_000)
    runs = []
    for _ in range(repeat):
        with Timer() as timer:
            compute_ledger(
                frames["Charges"],
                frames["Payments"],
                frames["Adjustments"],
                as_of=AS_OF,
                coverage=frames["Coverage"],
            )
        runs.append(timer.result())
    emit(
        {"runs": runs, "rows": sum(len(frames[t]) for t in ("Charges", "Payments", "Adjustments"))}
    )


# --- the parent ----------------------------------------------------------------------------------


def sample_path(patients: int) -> Path:
    return CACHE / f"sample-{patients}.xlsx"


def ensure_sample(patients: int) -> dict | None:
    """The cached sample workbook, generated (and timed) if missing; its generation timing."""
    path, timing = sample_path(patients), sample_path(patients).with_suffix(".json")
    if path.exists():
        return json.loads(timing.read_text()) if timing.exists() else None
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"generating {path.name} (paxl sample --patients {patients:,}) ...", flush=True)
    tmp = path.with_name(f".tmp-{path.name}")
    result = run_child(
        SCRIPT, ["--child", "sample", "--patients", str(patients), "--out", str(tmp)]
    )
    tmp.replace(path)
    timing.write_text(json.dumps(result))
    return result


def time_sample(patients: int, repeat: int) -> list[dict]:
    """``repeat`` more timed generations (written to a temporary file and deleted)."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="paxl-bench-") as tmp:
        for _ in range(repeat):
            out = Path(tmp) / "sample.xlsx"
            runs.append(
                run_child(
                    SCRIPT, ["--child", "sample", "--patients", str(patients), "--out", str(out)]
                )
            )
    return runs


_CELL = re.compile(rb"<c [^>]*?(/>|>)")
_SHEET = re.compile(rb'<sheet name="([^"]*)"')
_UNIQUE = re.compile(rb'uniqueCount="(\d+)"')


def output_shape(workbooks: Sequence[str]) -> list[dict]:
    """Per workbook written by the job: its sheets (name; string, number and blank cells, in
    sheet order) and how many distinct strings it holds."""
    parts = []
    for path in workbooks:
        with zipfile.ZipFile(path) as archive:
            names = [
                html.unescape(m.decode()) for m in _SHEET.findall(archive.read("xl/workbook.xml"))
            ]
            has_strings = "xl/sharedStrings.xml" in archive.namelist()
            strings = archive.read("xl/sharedStrings.xml") if has_strings else b""
            unique = _UNIQUE.search(strings)
            sheets = []
            for n, name in enumerate(names, start=1):
                xml = archive.read(f"xl/worksheets/sheet{n}.xml")
                counts = dict.fromkeys(CELL_KINDS, 0)
                for match in _CELL.finditer(xml):
                    tag = match.group(0)
                    if match.group(1) == b"/>":
                        counts["blank"] += 1
                        continue
                    text = b't="s"' in tag or b't="str"' in tag or b't="inlineStr"' in tag
                    kind = "string" if text else "number"
                    counts[kind + ("_styled" if b' s="' in tag else "")] += 1
                sheets.append({"name": name, **counts})
        parts.append({"sheets": sheets, "distinct_strings": int(unique[1]) if unique else 0})
    return parts


def sheets_read(book: Path) -> list[str]:
    """The sheets the loader reads: every schema table's sheets (with ``_2``... continuations)
    and the Policy sheet."""
    from python_calamine import CalamineWorkbook

    from addin.workbook.loader import table_sheets
    from addin.workbook.schema import TABLES

    workbook = CalamineWorkbook.from_path(str(book))
    names = list(workbook.sheet_names)
    workbook.close()
    read = [sheet for t in TABLES for sheet in table_sheets(names, t.name)]
    return read + [n for n in names if n.casefold() == "policy"]


def measure(patients: int, repeat: int, sample_repeat: int, ledger: bool) -> dict:
    print(machine_line())
    generated = ensure_sample(patients)
    book = sample_path(patients)
    print(f"sample: {book} ({book.stat().st_size / 1024**2:.1f} MB)")
    sample_runs = ([generated] if generated else []) + time_sample(patients, sample_repeat)
    jobs, floors, reads = [], [], []
    with tempfile.TemporaryDirectory(prefix="paxl-bench-") as tmp:
        work = Path(tmp)
        plan_file = work / "floor-plan.json"
        for attempt in range(repeat):
            job_dir = work / f"job-{attempt}"
            job_dir.mkdir()
            job = run_child(SCRIPT, ["--child", "job", "--book", str(book), "--out", str(job_dir)])
            jobs.append(job)
            if attempt == 0:
                plan = {"read": sheets_read(book), "write": output_shape(job["workbooks"])}
                plan_file.write_text(json.dumps(plan))
            shutil.rmtree(job_dir)
            floor_dir = work / f"floor-{attempt}"
            floor_dir.mkdir()
            floors.append(
                run_child(
                    SCRIPT,
                    [
                        "--child",
                        "floor",
                        "--book",
                        str(book),
                        "--plan",
                        str(plan_file),
                        "--out",
                        str(floor_dir),
                    ],
                )
            )
            shutil.rmtree(floor_dir)
            reads.append(
                run_child(
                    SCRIPT,
                    ["--child", "read-columns", "--book", str(book), "--plan", str(plan_file)],
                )
            )
            print(
                f"  run {attempt + 1}: job {job['wall']:.1f} s wall / {job['cpu']:.1f} s CPU, "
                f"floor {floors[-1]['wall']:.1f} s wall / {floors[-1]['cpu']:.1f} s CPU",
                flush=True,
            )
    ledger_runs = run_child(SCRIPT, ["--child", "ledger", "--book", str(book), "--repeat", "3"])
    design = None
    if ledger:
        design = run_child(SCRIPT, ["--child", "ledger-design", "--repeat", "3"])
    return {
        "patients": patients,
        "sample_runs": sample_runs,
        "jobs": jobs,
        "floors": floors,
        "reads_column_wise": reads,
        "plan": plan,
        "ledger": ledger_runs,
        "ledger_design": design,
    }


def collector(runs: Sequence[Mapping[str, object]]) -> str:
    """Median CPU seconds in the cyclic garbage collector, or "not measured" (older JSON)."""
    if not all("collector" in r for r in runs):
        return "not measured"
    return f"{statistics.median(float(r['collector']) for r in runs):.2f} s"


def report(results: Mapping[str, object]) -> list[str]:
    """The printed report: times, ratio, memory, rows/second, and each target's verdict."""
    patients = int(results["patients"])
    job, floor = Summary.of(results["jobs"]), Summary.of(results["floors"])
    rows: Mapping[str, int] = results["ledger"]["rows"]
    table_rows = sum(rows.values())
    plan = results["plan"]
    sheets = sum(len(p["sheets"]) for p in plan["write"])
    cells = sum(s[kind] for p in plan["write"] for s in p["sheets"] for kind in CELL_KINDS)
    first = results["jobs"][0]
    stages = {
        k: statistics.median(float(j["stages"][k]) for j in results["jobs"])
        for k in first["stages"]
    }
    lines = [
        f"{patients:,} patients: {table_rows:,} table rows read; {first['billed']:,} accounts "
        f"billed ({first['skipped']:,} skipped) on {sheets:,} sheets in "
        f"{len(plan['write'])} workbook(s), {cells:,} cells written; "
        f"medians of {job.runs} run(s)",
        f"  {'':<34}{'wall':>10}{'CPU':>10}{'peak memory':>14}",
        f"  {'(a) paxl statements (in-process)':<34}{job.wall:>9.2f}s{job.cpu:>9.2f}s"
        f"{gib(job.peak_rss):>14}",
        f"  {'(b) floor: calamine + XlsxWriter':<34}{floor.wall:>9.2f}s{floor.cpu:>9.2f}s"
        f"{gib(floor.peak_rss):>14}",
        "  job stages (wall): " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()),
        f"  of the CPU time, Python's cyclic garbage collector: job {collector(results['jobs'])}, "
        f"floor {collector(results['floors'])} (the job pauses it and collects once per bill "
        "workbook: addin/collector.py; the floor runs with the interpreter's defaults)",
        f"  ratio (a)/(b): {job.cpu / floor.cpu:.2f} by CPU time, {job.wall / floor.wall:.2f} by "
        "wall clock",
        f"  rows/second: job {table_rows / job.wall:,.0f} (wall), {table_rows / job.cpu:,.0f} "
        f"(CPU); floor {table_rows / floor.wall:,.0f} (wall), {table_rows / floor.cpu:,.0f} (CPU)",
    ]
    lines += column_read_lines(results, job.cpu, floor.cpu)
    sample = Summary.of(results["sample_runs"]) if results["sample_runs"] else None
    if sample:
        lines.append(
            f"  paxl sample --patients {patients:,}: {sample.wall:.1f} s wall, {sample.cpu:.1f} s "
            f"CPU, {gib(sample.peak_rss)} (median of {sample.runs})"
        )
    else:
        lines.append("  paxl sample: not timed (cached without timing; add --sample-repeat 1)")
    ledger = Summary.of(results["ledger"]["runs"])
    load = results["ledger"]["load"]
    lines.append(
        f"  ledger on this sample ({rows['Charges']:,} charges, {rows['Payments']:,} payments, "
        f"{rows['Adjustments']:,} adjustments): {ledger.wall:.2f} s wall, {ledger.cpu:.2f} s CPU"
        f" (the load before it: {float(load['wall']):.1f} s wall, {float(load['cpu']):.1f} s CPU)"
    )
    design = results.get("ledger_design")
    if design:
        d = Summary.of(design["runs"])
        lines.append(
            f"  ledger at DESIGN §7 size (benchmarks/ledger.py synthetic, {design['rows']:,} rows):"
            f" {d.wall:.2f} s wall, {d.cpu:.2f} s CPU"
        )
    lines += scale_lines(patients, rows)
    lines += target_lines(patients, job, floor, sample, ledger, design)
    return lines


def column_read_lines(results: Mapping[str, object], job_cpu: float, floor_cpu: float) -> list[str]:
    """For information: the floor with the job's own reader (fastexcel for table sheets)."""
    reads = results.get("reads_column_wise") or []
    floors = results["floors"]
    if not reads or not all("read_cpu" in f for f in floors):
        return []
    calamine = statistics.median(float(f["read_cpu"]) for f in floors)
    columns = statistics.median(float(r["cpu"]) for r in reads)
    floor = floor_cpu - calamine + columns
    return [
        f"  for information, the job reads table sheets column-wise with fastexcel: the same "
        f"sheets read that way take {columns:.2f} s CPU against the floor's python-calamine read "
        f"of {calamine:.2f} s; with that read the floor would be {floor:.2f} s CPU and the ratio "
        f"{job_cpu / floor:.2f}"
    ]


def scale_lines(patients: int, rows: Mapping[str, int]) -> list[str]:
    """Rows per patient of the long tables and the patients at which one fills a sheet."""
    out = ["  rows per patient (and patients at which the table fills one Excel sheet):"]
    for name in ("Payments", "Charges", "Adjustments"):
        per = rows[name] / patients
        limit = f"{SHEET_DATA_ROWS / per:,.0f}" if per else "never"
        out.append(f"    {name:<12} {per:5.2f}  ({limit})")
    return out


def target_lines(
    patients: int,
    job: Summary,
    floor: Summary,
    sample: Summary | None,
    ledger: Summary,
    design: Mapping[str, object] | None,
) -> list[str]:
    out = ["  targets (verdicts on CPU time):"]
    ratio = job.cpu / floor.cpu
    if patients == RATIO_AT:
        out.append(
            f"    statement run / floor ≤ {RATIO_TARGET} at 10k: {ratio:.2f} "
            f"{verdict(ratio <= RATIO_TARGET)} (stretch ≤ {RATIO_STRETCH}: "
            f"{verdict(ratio <= RATIO_STRETCH)})"
        )
    if patients == MEMORY_AT:
        out.append(
            f"    peak memory ≤ 2 GiB at 50k: {gib(job.peak_rss)} "
            f"{verdict(job.peak_rss <= MEMORY_TARGET)}"
        )
    if patients == SAMPLE_AT and sample:
        out.append(
            f"    paxl sample --patients 10000 ≤ {SAMPLE_TARGET_SECONDS:.0f} s: {sample.cpu:.1f} s "
            f"CPU ({sample.wall:.1f} s wall) {verdict(sample.cpu <= SAMPLE_TARGET_SECONDS)}"
        )
    if patients == LEDGER_AT:
        out.append(
            f"    ledger for 10k patients ≤ {LEDGER_TARGET_SECONDS:.0f} s: {ledger.cpu:.2f} s CPU "
            f"on the sample {verdict(ledger.cpu <= LEDGER_TARGET_SECONDS)}"
        )
        if design:
            d = Summary.of(design["runs"])
            holds = verdict(d.cpu <= LEDGER_TARGET_SECONDS)
            out.append(f"      at DESIGN §7 size: {d.cpu:.2f} s CPU {holds}")
    if len(out) == 1:
        out.append("    (targets are stated at 10,000 and 50,000 patients)")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of job and floor (median)")
    parser.add_argument(
        "--sample-repeat",
        type=int,
        default=0,
        help="extra timed `paxl sample` runs besides the one that made the cached sample",
    )
    parser.add_argument(
        "--no-design-ledger", action="store_true", help="skip the DESIGN-size ledger"
    )
    parser.add_argument("--json", type=Path, help="also save the raw measurements here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--book", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--plan", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        children = {
            "sample": lambda: child_sample(args.patients, args.out),
            "job": lambda: child_job(args.book, args.out),
            "floor": lambda: child_floor(args.book, args.plan, args.out),
            "read-columns": lambda: child_read_columns(args.book, args.plan),
            "ledger": lambda: child_ledger(args.book, args.repeat),
            "ledger-design": lambda: child_ledger_design(args.repeat),
        }
        children[args.child]()
        return 0
    results = measure(args.patients, args.repeat, args.sample_repeat, not args.no_design_ledger)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    print("\n".join(report(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
