"""Writes of the activities app, one module per concern (as Zulip's
``zerver/actions/``). Every change to events, projects, learning, publications,
platform items, engagement facts, action plans and the cities' submissions goes
through a function here (``<entity>_<verb>``, keyword-only, atomic, validated
with ``full_clean()`` before anything is written).

A function that saves a record together with its rows (an event with its
participations, a project with its member cities) validates all of them first
and writes only when every one passes: a refusal leaves the database as it was.
"""
