"""Who may do what: the roles of the portal as ``rules`` predicates, and the
permissions the portal's views and the admin ask for.

Four roles, each a group (created by the ``0006_portal_role_groups`` migration):

- secretariat: staff accounts; everything, in the admin;
- communications: the reports page, and every record read-only in the admin
  (staff status with view permissions only);
- city-editor: their own city's records, read and write (profile, head of
  government, contacts, submissions);
- city-viewer: their own city's records, read only.

A city role counts only for an active account bound to a city
(``User.member_city``); the selectors scope every list to that city first.
"""

import rules

SECRETARIAT_GROUP = "secretariat"
COMMUNICATIONS_GROUP = "communications"
CITY_EDITOR_GROUP = "city-editor"
CITY_VIEWER_GROUP = "city-viewer"

# The roles a focal point can be invited with, and their groups.
CITY_ROLE_GROUPS = {"editor": CITY_EDITOR_GROUP, "viewer": CITY_VIEWER_GROUP}


@rules.predicate
def has_member_city(user) -> bool:
    return getattr(user, "member_city_id", None) is not None


@rules.predicate
def is_own_city(user, member) -> bool:
    """``member`` (a MemberCity) is the city the account is bound to."""
    return member is not None and has_member_city(user) and user.member_city_id == member.pk


# Superusers are secretariat whatever their groups (the demo and first accounts).
is_secretariat = rules.is_active & (
    rules.is_superuser | (rules.is_staff & rules.is_group_member(SECRETARIAT_GROUP))
)
is_communications = rules.is_active & rules.is_group_member(COMMUNICATIONS_GROUP)
is_city_editor = rules.is_active & has_member_city & rules.is_group_member(CITY_EDITOR_GROUP)
is_city_viewer = rules.is_active & has_member_city & rules.is_group_member(CITY_VIEWER_GROUP)
is_city_user = is_city_editor | is_city_viewer

# The portal's decisions. The names are not Django model permissions
# (``members.change_membercity`` is the admin's): rules answers for them alone.
rules.add_perm("members.view_city_portal", is_city_user & is_own_city)
rules.add_perm("members.change_city_profile", is_city_editor & is_own_city)
rules.add_perm("members.submit_city_items", is_city_editor & is_own_city)
# A viewer may ask for the city's scorecard PDF: it reads the records, it changes none.
rules.add_perm("members.request_city_scorecard", is_city_user & is_own_city)
rules.add_perm(
    "members.view_city_change_log", (is_city_user & is_own_city) | is_secretariat | is_communications
)
rules.add_perm("members.review_submissions", is_secretariat)
rules.add_perm("members.invite_portal_users", is_secretariat)
rules.add_perm("members.deactivate_users", is_secretariat)
