"""Who may do what through the API, from the portal's own roles
(``members.permissions``): reads need an account, writes the secretariat.
Which records an account reads is decided by the selectors it is given, not
here."""

import rules
from rest_framework.permissions import SAFE_METHODS, BasePermission

from members.permissions import is_secretariat


class SecretariatWrites(BasePermission):
    """Any logged-in account reads (what its selectors give it); only the
    secretariat writes."""

    message = "Only the secretariat changes records through the API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or is_secretariat(user)


# API tokens (rest_framework.authtoken) are created and revoked by the
# secretariat in the admin ("Tokens"): Django asks for these permissions there,
# and the rules backend answers them from the portal's role.
rules.set_perm("authtoken", is_secretariat)
for _action in ("view", "add", "delete"):
    rules.set_perm(f"authtoken.{_action}_tokenproxy", is_secretariat)
    rules.set_perm(f"authtoken.{_action}_token", is_secretariat)


class ReadsEveryCity(BasePermission):
    """The secretariat and the communications team: the accounts that read
    every city's records (the records behind a published figure are such)."""

    message = "Only the secretariat and the communications team read this."

    def has_permission(self, request, view) -> bool:
        from members.selectors import reads_every_city

        user = request.user
        return bool(user and user.is_authenticated and reads_every_city(user))
