"""Who may do what in the activities app. The roles are the portal's own,
defined once in ``members.permissions``; this module only names the decisions
of the activities pages."""

import rules

from members.permissions import is_city_editor, is_own_city, is_secretariat, reads_every_city

# The calendar of international events and its exports: staff pages, for the
# accounts that read every city's records (the secretariat and communications).
can_view_calendar = reads_every_city

# An event's registrations: the event desk (figures, lists) is read by the accounts
# that read every city's records; the door (check-in), attendance imports,
# certificates and messages to registrants are the secretariat's.
can_view_event_desk = reads_every_city
can_manage_registrations = is_secretariat

# A city's submissions (proposed activity records) and their review.
rules.add_perm("activities.submit_city_items", is_city_editor & is_own_city)
rules.add_perm("activities.review_submissions", is_secretariat)

# --- Calls and awards (the review engine) -------------------------------------------------

# The juror role: a group created by the data migration of the review engine.
# Staff invite jurors to a call (activities.services.jury.juror_invite).
JUROR_GROUP = "juror"


@rules.predicate
def has_verified_email(user) -> bool:
    return getattr(user, "email_verified_at", None) is not None


# An applicant: anyone whose address is verified (a person of a city, member or not).
is_applicant = rules.is_active & has_verified_email
is_juror = rules.is_active & rules.is_group_member(JUROR_GROUP)

# Which submission an applicant or a juror reads is decided by the selectors
# (activities.selectors.calls: another's answers 404), not by object permissions.
# For the templates' ``{% test_rule %}`` (user.has_perm would say yes to any superuser).
rules.add_rule("activities.is_juror", is_juror)
rules.add_perm("activities.apply_to_calls", is_applicant)
rules.add_perm("activities.review_as_juror", is_juror)
# Phases, screening, assignment, ranking, decisions, publication, reminders and exports.
rules.add_perm("activities.manage_calls", is_secretariat)
