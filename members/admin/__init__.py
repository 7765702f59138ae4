"""Secretariat admin for the members app, one module per task.

Thin by design: lists read through the selectors (one query per page, whatever
the number of rows), and every lifecycle step, invoice, payment and reminder is
an admin action that collects its input on an intermediate page and calls one
service. Models with translated names use modeltranslation's ``TranslationAdmin``
(the tabbed variant loads jQuery UI from a CDN). Every model registered with
django-simple-history shows its change history, with the acting user.

For the member-city portal: contacts are invited to the portal with an action,
deactivating an account ends its sessions (through the service), and a member
city's page links to the change log of its portal accounts. The communications
team reads all of it without changing anything (view permissions; reverting a
version needs the change permission here)."""

# Importing the modules registers their ModelAdmins with the admin site.
from . import accounts, cities, fees, mailings, notifications, partners, people, personal_data, reporting  # noqa: F401
