"""Who may see what in the activities app (``rules`` predicates)."""

import rules

# The secretariat: staff accounts. The calendar and the exports are theirs.
is_secretariat = rules.is_staff
