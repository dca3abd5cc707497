"""Reports for managers: the accounts-receivable figures and the slide deck drawn from them.

* :mod:`addin.reports.figures` — :func:`~addin.reports.figures.report_figures`, the numbers from
  the ledger (pure), and :func:`~addin.reports.figures.report_tables`, the same as plain tables;
* :mod:`addin.reports.deck` — :func:`~addin.reports.deck.build_deck`, a PowerPoint deck
  (python-pptx) with matplotlib charts, as bytes.

Accounts appear by ID only: no names, addresses or birth dates (PHI minimisation).
"""
