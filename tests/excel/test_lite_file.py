"""The xlwings Lite variant (PatientAccounts-Lite.xlsx): the template plus xlwings Lite's
web-extension parts holding our main.py and requirements.txt; the embedded main.py alone (paxl not
importable otherwise) registers the same functions and scripts as ``udfs`` and ``macros.scripts``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from addin.excel.build import lite_files
from addin.excel.package import (
    CONTENT_TYPES,
    PACKAGE_RELS,
    content_type_of,
    read_parts,
    relationship_targets,
)
from addin.excel.webextension import (
    LITE_STORE_ID,
    REL_TASKPANES,
    REL_WEBEXTENSION,
    TASKPANES,
    TASKPANES_RELS,
    TASKPANES_TYPE,
    WEBEXTENSION,
    WEBEXTENSION_TYPE,
    lite_code,
)
from addin.workbook.template import write_workbook

REPO = Path(__file__).resolve().parents[2]

_LITE = textwrap.dedent(
    """
    import asyncio, importlib.util, json, sys
    from pathlib import Path

    repo = Path(sys.argv[2]).resolve()
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != repo]
    spec = importlib.util.spec_from_file_location("main", sys.argv[1])
    main = importlib.util.module_from_spec(spec)
    sys.modules["main"] = main
    spec.loader.exec_module(main)
    from xlwings.server import custom_functions_call, custom_functions_meta, custom_scripts_meta

    ours = [m for m in sys.modules if m.split(".")[0] in ("addin", "udfs", "macros")]
    call = {"func_name": "pa_fpg", "args": [[[4]], [[2025]], None], "version": "0",
            "client": "Office.js", "runtime": "1.4", "caller_address": "Sheet1!A1"}
    json.dump({
        "functions": custom_functions_meta(main),
        "scripts": custom_scripts_meta(main),
        "from_elsewhere": [m for m in ours
                           if type(sys.modules[m].__spec__.loader).__name__ != "_PaxlSource"],
        "loaded": len(ours),
        "fpg": asyncio.run(custom_functions_call(call, main)),
    }, sys.stdout, default=str)
    """
)

_DESKTOP = textwrap.dedent(
    """
    import json, sys
    from xlwings.server import custom_functions_meta, custom_scripts_meta
    import udfs, macros.scripts
    json.dump({"functions": custom_functions_meta(udfs),
               "scripts": custom_scripts_meta(macros.scripts)}, sys.stdout, default=str)
    """
)


def _run(code: str, *args: str, cwd: Path) -> dict:
    env = {**os.environ, "XLWINGS_ON_SERVER": "true"}
    env.pop("PYTHONPATH", None)
    env.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_lite_variant_names_xlwings_lite_with_its_parts(lite_file: Path) -> None:
    parts = read_parts(lite_file)
    types = parts[CONTENT_TYPES]
    assert content_type_of(types, WEBEXTENSION) == WEBEXTENSION_TYPE
    assert content_type_of(types, TASKPANES) == TASKPANES_TYPE
    assert relationship_targets(parts[PACKAGE_RELS])[REL_TASKPANES] == TASKPANES
    assert relationship_targets(parts[TASKPANES_RELS])[REL_WEBEXTENSION] == "webextension1.xml"
    assert f'<we:reference id="{LITE_STORE_ID}"' in parts[WEBEXTENSION].decode()
    assert 'visibility="1"' in parts[TASKPANES].decode()


def test_lite_variant_stores_main_py_and_requirements_as_json_settings(lite_file: Path) -> None:
    settings = lite_code(read_parts(lite_file))
    main_py, requirements_txt = lite_files()
    assert settings["main.py"] == main_py
    assert settings["requirements.txt"] == requirements_txt
    assert settings["Office.AutoShowTaskpaneWithDocument"] is True
    assert settings["xlwingsSettingsWorkbook"] == {"startupBehavior": "taskpane"}
    compile(main_py, "main.py", "exec")


def test_lite_variant_is_the_template_plus_the_lite_parts(lite_file: Path, tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    write_workbook(template)
    plain = read_parts(template)
    lite = read_parts(lite_file)
    added = {WEBEXTENSION, TASKPANES, TASKPANES_RELS}
    assert set(lite) == set(plain) | added
    for name in set(plain) - {CONTENT_TYPES, PACKAGE_RELS}:
        assert lite[name] == plain[name], name


@pytest.mark.xlwings_pro
def test_embedded_main_py_alone_registers_the_same_functions_and_scripts(
    lite_file: Path, tmp_path: Path
) -> None:
    main = tmp_path / "main.py"
    main.write_text(str(lite_code(read_parts(lite_file))["main.py"]), encoding="utf-8")
    lite = _run(_LITE, str(main), str(REPO), cwd=tmp_path)
    desktop = _run(_DESKTOP, cwd=REPO)
    assert lite["from_elsewhere"] == []
    assert lite["loaded"] > 20
    assert lite["functions"] == desktop["functions"]
    assert lite["scripts"] == desktop["scripts"]
    assert {f["id"] for f in lite["functions"]["functions"]} >= {"PA_SPLIT", "PA_BALANCE", "PA_FPG"}
    assert {s["function_name"] for s in lite["scripts"]} >= {"post_payments", "refresh_accounts"}
    assert lite["fpg"] == [[32150]]
