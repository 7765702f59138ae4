"""Who may do what: the roles of the portal as ``rules`` predicates, and the
permissions the portal's views and the admin ask for.

Four roles, each a group (created by the ``0006_portal_role_groups`` migration):

- secretariat: staff accounts; everything, in the admin;
- communications: the reports page, and every record read-only in the admin
  (view permissions only; the group is enough: staff status follows it);
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

# The roles that work in the admin: their accounts have staff status
# (members.services.accounts.user_staff_status_sync keeps it so).
STAFF_ROLE_GROUPS = (SECRETARIAT_GROUP, COMMUNICATIONS_GROUP)

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
# The accounts that read every city's records (in the admin, the API and the
# reports); a city account reads its own city's only.
reads_every_city = is_secretariat | is_communications

# The names the API's base classes ask for (``metropolis.api.permissions``),
# which depend on no app.
rules.add_rule("is_secretariat", is_secretariat)
rules.add_rule("reads_every_city", reads_every_city)

# The portal's decisions. The names are not Django model permissions
# (``members.change_membercity`` is the admin's): rules answers for them alone.
rules.add_perm("members.view_city_portal", is_city_user & is_own_city)
rules.add_perm("members.change_city_profile", is_city_editor & is_own_city)
rules.add_perm(
    "members.view_city_change_log", (is_city_user & is_own_city) | is_secretariat | is_communications
)
rules.add_perm("members.invite_portal_users", is_secretariat)
rules.add_perm("members.deactivate_users", is_secretariat)
rules.add_perm("members.reset_two_factor", is_secretariat)
# A person's data: a copy, or its erasure on request (members.admin.personal_data).
rules.add_perm("members.handle_personal_data", is_secretariat)
# A city account's own data, from the portal ("My data").
rules.add_perm("members.view_own_data", is_city_user)

# API tokens (rest_framework.authtoken) are created and revoked by the
# secretariat in the admin ("Tokens"): Django asks for these permissions there,
# and the rules backend answers them from the portal's role.
rules.set_perm("authtoken", is_secretariat)
for _action in ("view", "add", "delete"):
    rules.set_perm(f"authtoken.{_action}_tokenproxy", is_secretariat)
    rules.set_perm(f"authtoken.{_action}_token", is_secretariat)
