"""Who may do what with reports (rules predicates)."""

import rules

# The communications team (a group) and the secretariat staff generate reports.
is_communications = rules.is_group_member("communications")
can_generate_reports = rules.is_staff | is_communications

rules.add_perm("reports.generate_report", can_generate_reports)
