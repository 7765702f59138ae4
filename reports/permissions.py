"""Who may do what with reports (``rules`` predicates over the portal's roles,
which ``members.permissions`` defines once)."""

import rules

from members.permissions import is_city_user, is_own_city, reads_every_city

# The communications team and the secretariat generate the reports and read
# every run.
can_generate_reports = reads_every_city
rules.add_perm("reports.generate_report", can_generate_reports)
# A city account (a viewer too) may ask for its own city's scorecard PDF: it
# reads the records, it changes none.
rules.add_perm("reports.request_city_scorecard", is_city_user & is_own_city)


@rules.predicate
def is_requester(user, run) -> bool:
    """The account that asked for the report run."""
    return (
        run is not None
        and run.requested_by_id is not None
        and run.requested_by_id == getattr(user, "pk", None)
    )


# The secretariat and communications stop any run; a person their own request.
rules.add_perm("reports.cancel_run", can_generate_reports | (rules.is_active & is_requester))
