"""Who may do what through the API. The roles are the portal's own (the
``members`` app defines them as ``rules`` predicates and names them in the shared
rule set); this module asks for them by name, so the API's base classes depend
on no app. Which records an account reads is decided by the selectors a view is
given, not here."""

import rules
from rest_framework.permissions import SAFE_METHODS, BasePermission

# The names under which the members app registers its role predicates
# (``members.permissions``). An unknown name answers False: closed by default.
SECRETARIAT_RULE = "is_secretariat"
READS_EVERY_CITY_RULE = "reads_every_city"


class SecretariatWrites(BasePermission):
    """Any logged-in account reads (what its selectors give it); only the
    secretariat writes."""

    message = "Only the secretariat changes records through the API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or rules.test_rule(SECRETARIAT_RULE, user)


class ReadsEveryCity(BasePermission):
    """The secretariat and the communications team: the accounts that read
    every city's records (the records behind a published figure are such)."""

    message = "Only the secretariat and the communications team read this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and rules.test_rule(READS_EVERY_CITY_RULE, user))


class SecretariatOnly(BasePermission):
    """The secretariat alone, reading and writing: records of people's personal
    data (event registrations) that no other account reads."""

    message = "Only the secretariat reads and changes these records."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and rules.test_rule(SECRETARIAT_RULE, user))
