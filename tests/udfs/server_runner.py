"""Run paxl's Excel functions through xlwings' own custom-function machinery, as xlwings Lite and
xlwings Server do, in a fresh interpreter (xlwings reads ``XLWINGS_ON_SERVER`` when imported).

Reads ``[[func_name, args], ...]`` as JSON on stdin (args as Office.js sends them: a list of rows
per argument, ``None`` for an omitted one) and prints JSON ``{"meta": ..., "results": [...]}``,
each result ``{"value": ...}`` or ``{"error": message}``. Used by ``test_server.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

os.environ["XLWINGS_ON_SERVER"] = "true"

import xlwings as xw
from xlwings import server

import udfs


def call(func_name: str, args: list[object]) -> dict[str, object]:
    data = {
        "func_name": func_name,
        "args": args,
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "caller_address": "Sheet1!A1",
    }
    try:
        return {"value": asyncio.run(server.custom_functions_call(data, udfs))}
    except Exception as exc:
        return {"error": str(exc), "type": type(exc).__name__}


def main() -> None:
    cases = json.load(sys.stdin)
    meta = server.custom_functions_meta(udfs)
    results = [call(name, args) for name, args in cases]
    json.dump({"meta": meta, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
