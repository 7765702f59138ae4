"""Secretariat admin for the activities app, one module per kind of record.

Every save goes through the app's services (inline rows included), so that the
rules they keep hold for what the secretariat types. The cities' submissions
wait in a review queue (approve / reject actions). Registrations change only
through their actions (approve, reject, cancel, check in, erase, export)."""

# Importing the modules registers their ModelAdmins with the admin site.
from . import calls, engagement, events, learning, plans, projects, publications, registrations, submissions  # noqa: F401
