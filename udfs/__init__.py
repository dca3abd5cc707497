"""paxl's Excel functions (``PA_SPLIT``, ``PA_BALANCE``, ...): thin wrappers over the core.

Excel registers every function found on this package: set ``UDF Modules`` to ``udfs`` (Windows
desktop), or hand this package to ``xlwings.server.custom_functions_meta`` /
``custom_functions_call`` (xlwings Lite and Server). Called from Python the functions take plain
numbers, dates and lists and return the same values Excel shows. Argument and result conventions
are in :mod:`udfs.convert`.
"""

from udfs._host import mark_pyodide_absent
from udfs.aging import pa_age_bucket, pa_aging, pa_dunning_level, pa_eca_dates
from udfs.assistance import pa_assistance, pa_fpg, pa_fpl_percent
from udfs.balances import pa_balance
from udfs.codes import pa_code_check
from udfs.estimate import pa_estimate
from udfs.insurance import pa_cob, pa_split
from udfs.plans import pa_amortize, pa_income_plan, pa_installments, pa_plan_options

# outside Pyodide, spare xlwings a failing `import pyodide.ffi` per cell and per argument
mark_pyodide_absent()

__all__ = [
    "pa_age_bucket",
    "pa_aging",
    "pa_amortize",
    "pa_assistance",
    "pa_balance",
    "pa_cob",
    "pa_code_check",
    "pa_dunning_level",
    "pa_eca_dates",
    "pa_estimate",
    "pa_fpg",
    "pa_fpl_percent",
    "pa_income_plan",
    "pa_installments",
    "pa_plan_options",
    "pa_split",
]
