"""Reads of the activities app that are more than a lookup, one module per
concern: the per-member engagement of a year (every column of the member
profile tables) and its comparison with the network, the calendar of events,
the roll-ups of the strategic action plans, and the cities' submissions.

Each figure is defined once, here, as a count or an existence test over rows;
reports, the portal and the API read it from these functions.
"""
