"""Reads of the members app, one module per concern. The admin, the portal, the
API and the reports take their member and fee figures from the querysets here,
so that each figure (the current head of government, "fee for year Y paid",
arrears, invoice status, the members of a year) has one definition.

- ``fees``: invoice status, fee of a year, arrears (annotations);
- ``membership``: the members of a day or a year, heads of government, Board
  mandates, members led by women;
- ``scoping``: what an account reads (a city account its own city only);
- ``change_log``: what a city's accounts changed.
"""
