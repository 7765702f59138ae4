"""Who may do what with reports (rules predicates)."""

import rules

# The communications role is defined once, with the portal's other roles.
from members.permissions import is_communications

# The communications team (a group) and the secretariat staff generate reports.
can_generate_reports = rules.is_staff | is_communications

rules.add_perm("reports.generate_report", can_generate_reports)

__all__ = ["can_generate_reports", "is_communications"]
