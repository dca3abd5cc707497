"""Desktop and Lite wiring: the ribbon add-in, the macro-enabled template, the Lite variant.

Sources kept here: ``customUI.xml`` (the "Patient Accounts" ribbon tab), ``PaxlRibbon.bas`` (its
one VBA callback); the Home buttons, the ``xlwings.conf`` sheet and the Lite ``main.py`` are
generated (:mod:`addin.excel.sheet_buttons`, :mod:`addin.excel.conf_sheet`,
:mod:`addin.excel.lite_bundle`). :mod:`addin.excel.build` writes the files
(``paxl build-addin``).
"""
