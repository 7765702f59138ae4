"""Writes of the members app, one module per concern (as Zulip's
``zerver/actions/``): every change to members' records goes through a function
here (``<entity>_<verb>``, keyword-only, atomic, validated).

- ``lifecycle``: recording a member, the secretariat's changes, ratify,
  suspend, reinstate, withdraw, delete;
- ``fees``: fee schedules, invoices and payments; ``reminders``: fee reminders;
- ``profile``: the profile a city keeps up to date (optimistic locking);
- ``heads``: heads of government; ``contacts``: contact persons;
- ``board``: Board mandates and the other statutory roles;
- ``accounts``: portal accounts and invitations;
- ``history``: saving on behalf of an account (the change log's "who").

The portal's writes take only the fields a city may change, and record the
acting account on the history rows (``by``), so that the city's change log does
not depend on the request that made the change.
"""
