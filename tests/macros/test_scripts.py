"""The buttons as xlwings Lite/Server scripts, through xlwings' own script machinery.

``macros.scripts`` is imported with ``XLWINGS_ON_SERVER=true`` (as xlwings Lite and Server do,
so ``@xw.script`` registers each script) in a fresh interpreter; ``custom_scripts_meta`` must
list every button and ``custom_scripts_call`` must run the same body on the injected book.
Marked ``xlwings_pro`` (xlwings' server code and remote engine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import macros
from addin.workbook.memory_adapter import MemoryWorkbook
from addin.workbook.remote_book import book_json_from_memory
from tests.era.post_fixture import practice_records as era_practice_records
from tests.macros.practice import practice, staged

pytestmark = pytest.mark.xlwings_pro

ROOT = Path(__file__).resolve().parents[2]

_RUN = textwrap.dedent(
    """
    import asyncio, json, sys
    import xlwings as xw
    from xlwings.server import custom_scripts_call, custom_scripts_meta
    import macros.scripts as scripts
    from addin.workbook.remote_book import remote_book

    results = []
    for job in json.load(open(sys.argv[1])):
        book = remote_book(job["payload"])
        returned = asyncio.run(
            custom_scripts_call(
                scripts, job["script"], typehint_to_value={xw.Book: book}, args=job["args"]
            )
        )
        results.append({"same_book": returned is book, "actions": book.json()["actions"]})
    json.dump({"meta": custom_scripts_meta(scripts), "runs": results}, sys.stdout, default=str)
    """
)

ERA_FILE = ROOT / "tests" / "era" / "files" / "normal_payment.835"
EXPORT = (
    "MRN,Pmt Date,Payer,Method,Check #,Amount,Kind\n"
    "P004,06/14/2026,Patient,Check,7001,$25.00,Payment\n"
)


def _export(folder: Path) -> list[str]:
    path = folder / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return [str(path), "Payments"]


JOBS = {
    "refresh": ("refresh_accounts", lambda: practice(), []),
    "post": ("post_payments", lambda: practice(staging=[staged("P004", "25.00")]), []),
    "refused": ("post_payments", lambda: practice(staging=[staged("P999")]), []),
    "era": (
        "import_era",
        lambda: MemoryWorkbook.from_records(era_practice_records()),
        [str(ERA_FILE)],
    ),
    "statements": ("generate_statements", lambda: practice(), []),
    "import": ("import_data", lambda: practice(), _export),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> dict:
    """Every job run once in one interpreter with ``XLWINGS_ON_SERVER=true``."""
    folder = tmp_path_factory.mktemp("server")
    path = folder / "jobs.json"
    jobs = [
        {
            "script": script,
            "payload": book_json_from_memory(make()),
            "args": args(folder) if callable(args) else args,
        }
        for script, make, args in JOBS.values()
    ]
    path.write_text(json.dumps(jobs, default=str))
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "PYTHONPATH": str(ROOT)}
    env.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    return {"meta": out["meta"], **dict(zip(JOBS, out["runs"], strict=True))}


def test_every_button_is_a_registered_script_with_a_readable_name(server):
    names = {m["function_name"]: m["name"] for m in server["meta"]}
    assert set(names) == set(macros.BODIES)
    assert names["post_payments"] == "Post payments"
    assert server["refresh"]["same_book"]
    assert [a["func"] for a in server["refresh"]["actions"]][-1] == "alert"


def test_the_post_payments_script_posts_through_the_injected_book(server):
    actions = server["post"]["actions"]
    funcs = [a["func"] for a in actions]
    assert "rangeClearContents" in funcs
    assert funcs[-1] == "alert"
    assert actions[-1]["args"][0].startswith("Posted 1 payment(s) to Payments")


def test_a_refused_script_only_shows_the_alert(server):
    actions = server["refused"]["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert "row 2, column PatientID" in actions[0]["args"][0]


def test_the_import_era_script_takes_the_file_path_as_its_argument(server):
    actions = server["era"]["actions"]
    assert actions[-1]["func"] == "alert"
    assert actions[-1]["args"][0].startswith("Posted normal_payment.835: 5 payment row(s)")


def test_the_statement_run_script_bills_through_the_injected_book(server):
    actions = server["statements"]["actions"]
    added = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert added == ["Bill P001", "Bill P005", "Statement run"]
    assert actions[-1]["func"] == "alert"
    assert actions[-1]["args"][0].startswith("2 bill(s) made, $1,224.00 due in all")


def test_the_import_data_script_takes_the_file_and_table_as_arguments(server):
    actions = server["import"]["actions"]
    assert actions[-1]["func"] == "alert"
    assert actions[-1]["args"][0] == "Imported 1 row(s) from export.csv into Payments."
