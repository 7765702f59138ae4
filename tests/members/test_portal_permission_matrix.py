"""The permission matrix: every URL pattern of the site, from the resolver,
against eight accounts (anonymous, city A's editor and viewer, city B's editor,
communications, secretariat staff, an applicant to calls with a verified
address, a juror), with GET and, where it matters, POST.

- A URL pattern with no entry here fails the test: a new page needs a decision.
- Anonymous visitors are sent to a login page, except on the short public
  allow-list (``PUBLIC``).
- Another city's object answers 404; a viewer cannot write (POST answers 403
  on every page that changes records); communications read the admin without
  being able to change it; city accounts never get into the admin.
- Another applicant's submission answers 404, and so does a submission not
  assigned to the juror; applicants and jurors never get into the admin nor
  into the pages of "My city".

Each account walks every URL in one test (the database is set up once per
account); the failures are listed together.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token, TokenProxy

from activities.models import (
    AttendanceImport,
    CallAttachment,
    CallDecision,
    CallPhase,
    CallPhaseChange,
    CallSubmissionStatus,
    CertificateBatch,
    ConflictOfInterest,
    JobStatus,
    QuestionKind,
)
from activities.tokens import offer_token, registration_token
from gender.models import Edition, IndicatorValue, ValueKind
from members.models import (
    ConsentRecord,
    ConsentSource,
    DataRequestKind,
    DataSubjectKind,
    Mailing,
    MailingKind,
    MailingRecipient,
    Notification,
    NotificationKind,
    NotificationMute,
    PersonalDataRequest,
    Region,
    User,
)
from members.services.mailings import unsubscribe_token
from members.services.reporting_year import reporting_year_set
from members.tokens import email_verification_token_generator, invitation_token_generator
from reports.models import ReportKind, ReportRun, ReportText, RunStatus
from tests.activities import call_factories as calls
from tests.activities import factories as activities
from tests.gender import factories as gender
from tests.members.factories import (
    AgreementFactory,
    ApplicantFactory,
    BoardMandateFactory,
    CityEditorFactory,
    CityViewerFactory,
    CommunicationsFactory,
    ContactFactory,
    FeeReminderFactory,
    FeeScheduleFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    JurorAccountFactory,
    MemberCityFactory,
    MembershipChangeFactory,
    PartnerFactory,
    PaymentFactory,
    SecretariatFactory,
)

ROLES = ("anonymous", "a_editor", "a_viewer", "b_editor", "communications", "staff", "applicant", "juror")

# Outcomes: a status code, or where a redirect goes.
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
LOGIN = "to the login page"
ADMIN_LOGIN = "to the admin login page"
REDIRECT = "redirect elsewhere"


# Given for an applicant and a juror when an entry does not name them: they are
# logged-in accounts with no city and no staff status, which outside the pages of
# "My city" get what city B's editor gets (the city pages name them: 403).
AS_B_EDITOR = object()


def outcomes(
    anonymous: Any,
    a_editor: Any,
    a_viewer: Any,
    b_editor: Any,
    communications: Any,
    staff: Any,
    *,
    applicant: Any = AS_B_EDITOR,
    juror: Any = AS_B_EDITOR,
) -> dict[str, Any]:
    applicant = b_editor if applicant is AS_B_EDITOR else applicant
    juror = b_editor if juror is AS_B_EDITOR else juror
    return dict(
        zip(
            ROLES,
            (anonymous, a_editor, a_viewer, b_editor, communications, staff, applicant, juror),
            strict=True,
        )
    )


def every(outcome: Any) -> dict[str, Any]:
    return dict.fromkeys(ROLES, outcome)


@dataclass(frozen=True)
class Entry:
    """What each account gets from one URL pattern. ``args`` fills the URL's
    arguments from the world (real objects); ``post`` is checked only where given."""

    get: dict[str, Any]
    post: dict[str, Any] = field(default_factory=dict)
    args: Callable[["World"], Any] | None = None
    query: str = ""


# --- The site's own pages --------------------------------------------------------------------

# Reached without logging in. Everything else sends an anonymous visitor to a login page.
PUBLIC = {
    "home",
    "healthz",
    "set_language",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    "sign_up",
    "sign_up_done",
    "email_verify",
    "calls:list",
    "calls:detail",
    "calls:library",
    "calls:case",
    "admin:login",
    "admin:logout",
    "api:schema",
    "api:docs",
    "api:redoc",
    # The member directory, its map and each city's page; unsubscribing from a mailing.
    "directory:list",
    "directory:map",
    "directory:city",
    "mailings:unsubscribe",
    # The public event pages, and a registrant's pages reached through their signed link.
    "events:list",
    "events:feed",
    "events:detail",
    "events:ics",
    "events:offer",
    "events:registration",
    "events:registration-data",
    "events:registration-certificate",
    "events:registration-cancel",
    "events:registration-erase",
    "api:public-event-list",
    "api:public-event-detail",
    "api:public-registration",
}

# A viewer's POST succeeds only on these, none of which changes the city's records.
VIEWER_MAY_POST = {
    "set_language",
    "login",
    "logout",
    "password_change",  # their own password
    "password_reset",
    "password_reset_confirm",
    "invitation_accept",
    "two_factor_verify",  # their own sign-in
    "two_factor_setup",
    "two_factor_manage",
    "notifications",  # their own choice of notifications
    "sign_up",  # the sign-up form re-renders on empty data
    "email_verify",  # the link of a sign-up verifies that account's address (and logs it in)
    "portal:scorecard-request",  # a PDF of the records; reading, not writing
    "admin:login",  # the admin's login form answers, and refuses a city account
    "admin:logout",
    "portal:my-data",  # their own choices about mailings, not the city's records
    "mailings:unsubscribe",  # a person unsubscribing from a kind of mailing
    # Public pages anyone may post to: registering for an event, and a registrant's
    # own registration through their link (none changes a city's records).
    "events:detail",
    "events:offer",
    "events:registration-cancel",
    "events:registration-erase",
}

# Staff-only pages outside the admin: city accounts are refused.
SECRETARIAT_PAGE = outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
DESK_POST = outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED)
# The secretariat alone (an event's door, imports, certificates, messages; the form re-renders on empty data).
DOOR_PAGE = outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
# staff_member_required sends every account without staff status to the admin login.
INDICATOR_PAGE = outcomes(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK, OK)
# A page of "My city" that reads: the three city accounts see their own city.
CITY_READ = outcomes(LOGIN, OK, OK, OK, FORBIDDEN, FORBIDDEN, applicant=FORBIDDEN, juror=FORBIDDEN)
CITY_READ_POST = outcomes(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)
# A page of "My city" that writes: editors only; the form re-renders on empty data.
CITY_WRITE = outcomes(LOGIN, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, applicant=FORBIDDEN, juror=FORBIDDEN)
# The same with one of city A's objects in the address: city B's editor gets 404.
CITY_A_OBJECT_READ = outcomes(
    LOGIN, OK, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, applicant=FORBIDDEN, juror=FORBIDDEN
)
CITY_A_OBJECT_WRITE = outcomes(
    LOGIN, OK, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, applicant=FORBIDDEN, juror=FORBIDDEN
)

SITE: dict[str, Entry] = {
    "home": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "healthz": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "set_language": Entry(get=every(REDIRECT), post=every(REDIRECT)),
    "login": Entry(get=every(OK), post=every(OK)),
    "logout": Entry(get=every(NOT_ALLOWED), post=every(REDIRECT)),
    "password_change": Entry(
        get=outcomes(LOGIN, OK, OK, OK, OK, OK), post=outcomes(LOGIN, OK, OK, OK, OK, OK)
    ),
    "password_change_done": Entry(
        get=outcomes(LOGIN, OK, OK, OK, OK, OK),
        post=outcomes(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "password_reset": Entry(get=every(OK), post=every(OK)),
    "password_reset_done": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "password_reset_confirm": Entry(
        get=every(REDIRECT), post=every(REDIRECT), args=lambda w: w.reset_link_kwargs
    ),
    "password_reset_complete": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "invitation_accept": Entry(get=every(REDIRECT), post=every(REDIRECT), args=lambda w: w.invitation_kwargs),
    # Two-factor sign-in (not required by these settings, no account has an authenticator yet):
    # the second step sends to the set-up; setting up and managing are each account's own.
    "two_factor_verify": Entry(get=outcomes(LOGIN, *[REDIRECT] * 5), post=outcomes(LOGIN, *[REDIRECT] * 5)),
    "two_factor_setup": Entry(get=outcomes(LOGIN, *[OK] * 5), post=outcomes(LOGIN, *[OK] * 5)),
    "two_factor_manage": Entry(get=outcomes(LOGIN, *[OK] * 5), post=outcomes(LOGIN, *[REDIRECT] * 5)),
    # Each account's own notices and choice of notifications (empty: every kind kept).
    "notifications": Entry(get=outcomes(LOGIN, *[OK] * 5), post=outcomes(LOGIN, *[REDIRECT] * 5)),
    # Inviting a communications user is the secretariat's (the form re-renders on empty data).
    "admin:members_user_invite_communications": Entry(
        get=outcomes(*[ADMIN_LOGIN] * 4, FORBIDDEN, OK, applicant=ADMIN_LOGIN, juror=ADMIN_LOGIN),
        post={"anonymous": ADMIN_LOGIN, "a_viewer": ADMIN_LOGIN, "communications": FORBIDDEN, "staff": OK},
    ),
    "activities:calendar-current": Entry(
        get=outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT), post=every(NOT_ALLOWED)
    ),
    "activities:calendar": Entry(get=SECRETARIAT_PAGE, post=every(NOT_ALLOWED), args=lambda w: [2021]),
    "activities:calendar-ics": Entry(get=SECRETARIAT_PAGE, post=every(NOT_ALLOWED), args=lambda w: [2021, 5]),
    "gender:key-results": Entry(get=INDICATOR_PAGE, args=lambda w: [2021]),
    "gender:indicator": Entry(get=INDICATOR_PAGE, args=lambda w: [2021, "new_member_cities"]),
    "reports:list": Entry(get=SECRETARIAT_PAGE, post=SECRETARIAT_PAGE),
    "reports:run": Entry(get=SECRETARIAT_PAGE, args=lambda w: [w.a_run.pk]),
    "reports:status": Entry(get=SECRETARIAT_PAGE, args=lambda w: [w.a_run.pk]),
    "reports:download": Entry(get=SECRETARIAT_PAGE, args=lambda w: [w.a_run.pk]),
    # POST only; a finished run is not cancelled (a message says so).
    "reports:cancel": Entry(
        get=outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED),
        post=outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT),
        args=lambda w: [w.a_run.pk],
    ),
    # My city
    "portal:home": Entry(get=CITY_READ, post=CITY_READ_POST),
    "portal:profile": Entry(get=CITY_WRITE, post=CITY_WRITE),
    "portal:head-new": Entry(get=CITY_WRITE, post=CITY_WRITE),
    "portal:head-edit": Entry(
        get=CITY_A_OBJECT_WRITE, post=CITY_A_OBJECT_WRITE, args=lambda w: [w.a_head.pk]
    ),
    "portal:contact-new": Entry(get=CITY_WRITE, post=CITY_WRITE),
    "portal:contact-edit": Entry(
        get=CITY_A_OBJECT_WRITE, post=CITY_A_OBJECT_WRITE, args=lambda w: [w.a_primary.pk]
    ),
    # The editor's POST removes the contact (and goes back to the profile).
    "portal:contact-delete": Entry(
        get=CITY_A_OBJECT_WRITE,
        post=outcomes(
            LOGIN, REDIRECT, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, applicant=FORBIDDEN, juror=FORBIDDEN
        ),
        args=lambda w: [w.a_second.pk],
    ),
    "portal:fees": Entry(get=CITY_READ, post=CITY_READ_POST),
    "portal:engagement": Entry(get=CITY_READ, post=CITY_READ_POST, query="?year=2021"),
    # POST only; an incomplete request goes back to the engagement page with a message.
    "portal:scorecard-request": Entry(
        get=outcomes(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        post=outcomes(
            LOGIN, REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, applicant=FORBIDDEN, juror=FORBIDDEN
        ),
    ),
    "portal:scorecard-run": Entry(get=CITY_A_OBJECT_READ, args=lambda w: [w.a_run.pk]),
    "portal:scorecard-status": Entry(get=CITY_A_OBJECT_READ, args=lambda w: [w.a_run.pk]),
    "portal:scorecard-download": Entry(get=CITY_A_OBJECT_READ, args=lambda w: [w.a_run.pk]),
    # Only its requester (or staff, in the reports page) cancels a run; a GET goes back to the run.
    "portal:scorecard-cancel": Entry(
        get=outcomes(
            LOGIN, REDIRECT, REDIRECT, NOT_FOUND, FORBIDDEN, FORBIDDEN, applicant=FORBIDDEN, juror=FORBIDDEN
        ),
        post=outcomes(
            LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, applicant=FORBIDDEN, juror=FORBIDDEN
        ),
        args=lambda w: [w.a_run.pk],
    ),
    "portal:submissions": Entry(get=CITY_READ, post=CITY_READ_POST),
    "portal:submission-new": Entry(get=CITY_WRITE, post=CITY_WRITE),
    "portal:changes": Entry(get=CITY_READ, post=CITY_READ_POST),
    # Their own data: every city account (a viewer too) sees it and chooses its mailings.
    "portal:my-data": Entry(
        get=CITY_READ,
        post=outcomes(
            LOGIN, REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN, applicant=FORBIDDEN, juror=FORBIDDEN
        ),
    ),
    "portal:my-data-download": Entry(get=CITY_READ, post=CITY_READ_POST, query="?format=csv"),
    # Public: anyone, logged in or not, the same page.
    "directory:list": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "directory:map": Entry(get=every(OK), post=every(NOT_ALLOWED), query="?region=europe"),
    "directory:city": Entry(get=every(OK), post=every(NOT_ALLOWED), args=lambda w: [w.city_a.slug]),
    "mailings:unsubscribe": Entry(get=every(OK), post=every(OK), args=lambda w: [w.unsubscribe_token]),
    # Public event pages: anyone, logged in or not.
    "events:list": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "events:feed": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "events:ics": Entry(get=every(OK), post=every(NOT_ALLOWED), args=lambda w: [w.event.slug]),
    # The registration form re-renders on empty data.
    "events:detail": Entry(get=every(OK), post=every(OK), args=lambda w: [w.event.slug]),
    # A registrant's pages, through the signed links of their e-mails (the last two
    # change the registration: cancel it, then erase its data, in this order).
    "events:offer": Entry(get=every(OK), post=every(OK), args=lambda w: [w.offer_token]),
    "events:registration": Entry(
        get=every(OK), post=every(NOT_ALLOWED), args=lambda w: [w.registration_token]
    ),
    "events:registration-data": Entry(get=every(OK), args=lambda w: [w.registration_token]),
    "events:registration-certificate": Entry(get=every(OK), args=lambda w: [w.registration_token]),
    "events:registration-cancel": Entry(
        get=every(NOT_ALLOWED), post=every(REDIRECT), args=lambda w: [w.registration_token]
    ),
    "events:registration-erase": Entry(get=every(OK), post=every(OK), args=lambda w: [w.registration_token]),
    # The event desk: read by the secretariat and communications; the door,
    # imports, certificates and messages are the secretariat's.
    "activities:event-desk": Entry(get=SECRETARIAT_PAGE, post=DESK_POST, args=lambda w: [w.event.slug]),
    "activities:check-in": Entry(get=DOOR_PAGE, post=DOOR_PAGE, args=lambda w: [w.event.slug]),
    "activities:check-in-scan": Entry(
        get=outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED),
        # (An empty POST is a bad request: 400.)
        post=outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 400),
        args=lambda w: [w.event.slug],
    ),
    "activities:attendance-upload": Entry(get=DOOR_PAGE, post=DOOR_PAGE, args=lambda w: [w.event.slug]),
    "activities:attendance-preview": Entry(
        get=DOOR_PAGE,
        post=outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT),
        args=lambda w: [w.event.slug, w.attendance_import.pk],
    ),
    # POST only; an event without attendees goes back to the desk with a message.
    "activities:certificates-request": Entry(
        get=outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED),
        post=outcomes(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT),
        args=lambda w: [w.event.slug],
    ),
    "activities:event-message": Entry(get=DOOR_PAGE, post=DOOR_PAGE, args=lambda w: [w.event.slug]),
    "activities:certificate-batch": Entry(get=DOOR_PAGE, args=lambda w: [w.certificate_batch.pk]),
    "activities:certificate-batch-status": Entry(get=DOOR_PAGE, args=lambda w: [w.certificate_batch.pk]),
    "activities:certificate-batch-download": Entry(get=DOOR_PAGE, args=lambda w: [w.certificate_batch.pk]),
}

# --- Calls and awards -------------------------------------------------------------------------

# Any logged-in account; GET only.
LOGGED_IN = outcomes(LOGIN, OK, OK, OK, OK, OK, applicant=OK, juror=OK)
LOGGED_IN_GET_ONLY = outcomes(LOGIN, *[NOT_ALLOWED] * 5, applicant=NOT_ALLOWED, juror=NOT_ALLOWED)
# Applying to an open call: an account with a verified address (the form re-renders on empty data).
APPLY = outcomes(LOGIN, *[FORBIDDEN] * 5, applicant=OK, juror=FORBIDDEN)
# The applicant's own submission: any other account does not find it.
OWN_SUBMISSION = outcomes(LOGIN, *[NOT_FOUND] * 5, applicant=OK, juror=NOT_FOUND)
# The jury's pages: the juror role; another account gets 403.
JURY_PAGE = outcomes(LOGIN, *[FORBIDDEN] * 5, applicant=FORBIDDEN, juror=OK)
# A juror's write goes back to their pages.
JURY_WRITE = outcomes(LOGIN, *[FORBIDDEN] * 5, applicant=FORBIDDEN, juror=REDIRECT)

CALLS: dict[str, Entry] = {
    "sign_up": Entry(get=every(OK), post=every(OK)),
    "sign_up_done": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "email_verify": Entry(get=every(OK), post=every(REDIRECT), args=lambda w: w.verify_kwargs),
    "calls:list": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "calls:library": Entry(get=every(OK), post=every(NOT_ALLOWED)),
    "calls:case": Entry(get=every(OK), post=every(NOT_ALLOWED), args=lambda w: [w.case.pk]),
    "calls:detail": Entry(get=every(OK), post=every(NOT_ALLOWED), args=lambda w: [w.open_call.slug]),
    "calls:apply": Entry(get=APPLY, post=APPLY, args=lambda w: [w.open_call.slug]),
    "calls:my-submissions": Entry(get=LOGGED_IN, post=LOGGED_IN_GET_ONLY),
    "calls:submission": Entry(get=OWN_SUBMISSION, post=LOGGED_IN_GET_ONLY, args=lambda w: [w.draft.pk]),
    "calls:submission-edit": Entry(get=OWN_SUBMISSION, post=OWN_SUBMISSION, args=lambda w: [w.draft.pk]),
    "calls:submission-attachment": Entry(
        get=OWN_SUBMISSION, args=lambda w: [w.draft.pk, w.draft_attachment.pk]
    ),
    "calls:review-home": Entry(
        get=JURY_PAGE, post=outcomes(LOGIN, *[FORBIDDEN] * 5, applicant=FORBIDDEN, juror=NOT_ALLOWED)
    ),
    "calls:review-conflicts": Entry(get=JURY_PAGE, post=JURY_WRITE, args=lambda w: [w.review_call.slug]),
    "calls:review-score": Entry(get=JURY_PAGE, post=JURY_WRITE, args=lambda w: [w.assignment.pk]),
    # POST only: the juror declares a conflict with another of their assignments, which ends.
    "calls:review-conflict": Entry(
        get=outcomes(LOGIN, *[FORBIDDEN] * 5, applicant=FORBIDDEN, juror=NOT_ALLOWED),
        post=JURY_WRITE,
        args=lambda w: [w.other_assignment.pk],
    ),
    "calls:review-attachment": Entry(
        get=JURY_PAGE, args=lambda w: [w.assignment.pk, w.assigned_attachment.pk]
    ),
}

# Pages of "My city" that change the city's records.
CITY_WRITES = {
    "portal:profile",
    "portal:head-new",
    "portal:head-edit",
    "portal:contact-new",
    "portal:contact-edit",
    "portal:contact-delete",
    "portal:submission-new",
}


# --- The API (/api/v1/) ----------------------------------------------------------------------------

# An API answers 401 to a request without credentials rather than redirecting to a
# login page. Reads need an account, writes the secretariat (a POST of nothing
# is refused before it is validated: 403; the secretariat gets 400 or 405).
UNAUTHORIZED, BAD_REQUEST = 401, 400
API_READ = outcomes(UNAUTHORIZED, OK, OK, OK, OK, OK)
# A record of city A: city B's account does not find it.
API_CITY_A_RECORD = outcomes(UNAUTHORIZED, OK, OK, NOT_FOUND, OK, OK)
API_SECRETARIAT_WRITES = outcomes(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED)
API_SECRETARIAT_CREATES = outcomes(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD_REQUEST)
# Read by the accounts that see every city (secretariat, communications).
API_EVERY_CITY = outcomes(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)


def _record(label: str) -> Callable[["World"], Any]:
    return lambda w: {"pk": w.records[label].pk}


def _api_entries() -> dict[str, Entry]:
    entries = {
        "api:member-list": Entry(get=API_READ, post=API_SECRETARIAT_CREATES),
        "api:member-detail": Entry(
            get=API_CITY_A_RECORD, post=API_SECRETARIAT_WRITES, args=lambda w: {"pk": w.city_a.pk}
        ),
        # Lifecycle steps and payments are POST only; the secretariat's empty POST is invalid.
        "api:member-lifecycle": Entry(
            get=outcomes(UNAUTHORIZED, *[NOT_ALLOWED] * 5),
            post=API_SECRETARIAT_CREATES,
            args=lambda w: {"pk": w.city_a.pk},
        ),
        "api:invoice-payments": Entry(
            get=outcomes(UNAUTHORIZED, *[NOT_ALLOWED] * 5),
            post=API_SECRETARIAT_CREATES,
            args=_record("members.invoice"),
        ),
        "api:indicator-list": Entry(get=API_READ, post=API_SECRETARIAT_WRITES),
        "api:indicator-detail": Entry(
            get=API_READ, post=API_SECRETARIAT_WRITES, args=lambda w: {"code": "new_member_cities"}
        ),
        "api:indicator-values": Entry(
            get=API_READ, args=lambda w: {"code": "new_member_cities"}, query="?year=2021"
        ),
        # The records behind a figure name every city's records.
        "api:indicator-records": Entry(
            get=API_EVERY_CITY, args=lambda w: {"code": "new_member_cities"}, query="?year=2021"
        ),
        "api:action-plan-rollups": Entry(get=API_READ, query="?year=2021"),
        "api:action-plan-rollup": Entry(
            get=API_READ, args=_record("activities.actionplan"), query="?year=2021"
        ),
        # Report runs: the reports page's accounts see every run, a city account its scorecards.
        "api:report-run-list": Entry(
            get=API_READ,
            post=outcomes(UNAUTHORIZED, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST),
        ),
        "api:report-run-detail": Entry(get=API_CITY_A_RECORD, args=lambda w: {"pk": w.a_run.pk}),
        # Calls: any account reads the calls that are not drafts; the ranking is the secretariat's.
        "api:call-list": Entry(get=API_READ, post=API_SECRETARIAT_WRITES),
        "api:call-detail": Entry(
            get=API_READ, post=API_SECRETARIAT_WRITES, args=lambda w: {"pk": w.open_call.pk}
        ),
        "api:call-ranking": Entry(
            get=outcomes(UNAUTHORIZED, *[FORBIDDEN] * 4, OK, applicant=FORBIDDEN, juror=FORBIDDEN),
            args=lambda w: {"pk": w.review_call.pk},
        ),
        # Submissions and reviews: every account lists what it reads (its own, its
        # assignments); a submission assigned to the juror and its review.
        "api:call-submission-list": Entry(get=API_READ, post=API_SECRETARIAT_WRITES),
        "api:call-submission-detail": Entry(
            get=outcomes(UNAUTHORIZED, *[NOT_FOUND] * 3, OK, OK, applicant=NOT_FOUND, juror=OK),
            post=API_SECRETARIAT_WRITES,
            args=lambda w: {"pk": w.assignment.submission_id},
        ),
        "api:call-review-list": Entry(get=API_READ, post=API_SECRETARIAT_WRITES),
        "api:call-review-detail": Entry(
            get=outcomes(UNAUTHORIZED, *[NOT_FOUND] * 4, OK, applicant=NOT_FOUND, juror=OK),
            post=API_SECRETARIAT_WRITES,
            args=lambda w: {"pk": w.assignment.pk},
        ),
        "api:report-run-download": Entry(get=API_CITY_A_RECORD, args=lambda w: {"pk": w.a_run.pk}),
        # POST only: the requester or the reports page's accounts; a finished run is refused (400).
        "api:report-run-cancel": Entry(
            get=outcomes(UNAUTHORIZED, *[NOT_ALLOWED] * 5),
            post=outcomes(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, NOT_FOUND, BAD_REQUEST, BAD_REQUEST),
            args=lambda w: {"pk": w.a_run.pk},
        ),
        # The description of the API and its two readers: public (drf-spectacular's
        # default), they hold no record.
        "api:schema": Entry(get=every(OK)),
        "api:docs": Entry(get=every(OK)),
        "api:redoc": Entry(get=every(OK)),
    }
    # Read-only records: lists any account reads (scoped to its city where the
    # records belong to one), and single records of city A or shared ones.
    read_only = {
        "region": ("members.region", API_READ),
        "head-of-government": ("members.headofgovernment", API_CITY_A_RECORD),
        "contact": ("members.contact", API_CITY_A_RECORD),
        "invoice": ("members.invoice", API_CITY_A_RECORD),
        "payment": ("members.payment", API_CITY_A_RECORD),
        "event": ("activities.event", API_READ),
        "participation": ("activities.participation", API_CITY_A_RECORD),
        "pilot-project": ("activities.pilotproject", API_READ),
        "learning-activity": ("activities.learningactivity", API_READ),
        "learning-participation": ("activities.learningparticipation", API_CITY_A_RECORD),
        "publication": ("activities.publication", API_READ),
        "platform-contribution": ("activities.platformcontribution", API_CITY_A_RECORD),
        "action-plan": ("activities.actionplan", API_READ),
        "event-session": ("activities.eventsession", API_READ),
    }
    for name, (label, detail) in read_only.items():
        entries[f"api:{name}-list"] = Entry(get=API_READ, post=API_SECRETARIAT_WRITES)
        entries[f"api:{name}-detail"] = Entry(get=detail, post=API_SECRETARIAT_WRITES, args=_record(label))
    # Registrations hold personal data: the secretariat alone reads them.
    secretariat_reads = outcomes(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
    secretariat_no_write = outcomes(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED)
    entries.update(
        {
            "api:registration-list": Entry(get=secretariat_reads, post=secretariat_no_write),
            "api:registration-detail": Entry(
                get=secretariat_reads, post=secretariat_no_write, args=_record("activities.registration")
            ),
            "api:registration-check-in": Entry(
                get=secretariat_no_write,
                post=outcomes(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD_REQUEST),
            ),
            # Public: anyone reads the public events and registers (an empty POST is invalid).
            "api:public-event-list": Entry(get=every(OK), post=every(NOT_ALLOWED)),
            "api:public-event-detail": Entry(
                get=every(OK), post=every(NOT_ALLOWED), args=lambda w: {"slug": w.event.slug}
            ),
            "api:public-registration": Entry(
                get=every(NOT_ALLOWED), post=every(BAD_REQUEST), args=lambda w: {"slug": w.event.slug}
            ),
        }
    )
    return entries


# --- The admin --------------------------------------------------------------------------------

# Every model in the admin, with the admin pages it has beyond the list, add,
# change, delete and history pages; and whether secretariat staff may add and
# delete there (the admin refuses what the services own: invoices are issued,
# payments recorded, submissions come from the portal, ...). A model added to
# the admin without an entry here fails the matrix.
STANDARD_PAGES = ("changelist", "add", "change", "delete", "history")


@dataclass(frozen=True)
class AdminModel:
    extra_pages: tuple[str, ...] = ()
    staff_adds: bool = True
    staff_deletes: bool = True
    # The communications group has the view permission of the records, not of accounts or logs.
    communications_reads: bool = True


SIMPLE_HISTORY = ("simple_history",)
MAILING_PAGES = ("preview", "test", "send", "cancel", "progress", "progress_status")
IMPORT_EXPORT = ("import", "process_import", "export", "simple_history")

ADMIN_MODELS: dict[str, AdminModel] = {
    "auth.group": AdminModel(communications_reads=False),
    # API tokens: created and revoked by the secretariat (never changed).
    "authtoken.tokenproxy": AdminModel(communications_reads=False),
    "axes.accessattempt": AdminModel(communications_reads=False, staff_adds=False),
    "axes.accesslog": AdminModel(communications_reads=False, staff_adds=False),
    "axes.accessfailurelog": AdminModel(communications_reads=False, staff_adds=False),
    # A member with a history is withdrawn, never deleted.
    # A payment is recorded from the member's and the invoice's pages, and from a bank statement.
    "members.membercity": AdminModel((*IMPORT_EXPORT, "portal_changes", "payment"), staff_deletes=False),
    "members.invoice": AdminModel(
        ("export", "simple_history", "payment", "pdf", "statement"), staff_adds=False, staff_deletes=False
    ),
    "members.payment": AdminModel((*SIMPLE_HISTORY, "receipt"), staff_adds=False, staff_deletes=False),
    "members.feereminder": AdminModel(staff_adds=False, staff_deletes=False),
    "members.feeschedule": AdminModel(SIMPLE_HISTORY),
    "members.membershipchange": AdminModel(SIMPLE_HISTORY, staff_adds=False, staff_deletes=False),
    "members.headofgovernment": AdminModel((*IMPORT_EXPORT, "personal_data")),
    "members.contact": AdminModel((*IMPORT_EXPORT, "personal_data")),
    "members.boardmandate": AdminModel(SIMPLE_HISTORY),
    "members.region": AdminModel(SIMPLE_HISTORY),
    "members.partner": AdminModel(SIMPLE_HISTORY),
    "members.agreement": AdminModel(SIMPLE_HISTORY),
    "activities.submission": AdminModel(SIMPLE_HISTORY, staff_adds=False, staff_deletes=False),
    "members.user": AdminModel(("password_change", "personal_data"), communications_reads=False),
    # Mailings: communications read them (not their recipients); sending is the secretariat's.
    "members.mailing": AdminModel(MAILING_PAGES),
    "members.mailingrecipient": AdminModel(staff_adds=False, staff_deletes=False, communications_reads=False),
    "members.consentrecord": AdminModel(staff_deletes=False, communications_reads=False),
    "members.personaldatarequest": AdminModel(
        staff_adds=False, staff_deletes=False, communications_reads=False
    ),
    # The reporting year: the secretariat's setting, read by communications.
    "members.reportingyear": AdminModel(),
    # Notifications are the notification task's, and about people's accounts.
    "members.notification": AdminModel(staff_adds=False, staff_deletes=False, communications_reads=False),
    "members.notificationmute": AdminModel(staff_adds=False, staff_deletes=False, communications_reads=False),
    "activities.sdggoal": AdminModel(staff_adds=False, staff_deletes=False),
    "activities.sdgtarget": AdminModel(),
    "activities.actionplan": AdminModel(),
    "activities.actionline": AdminModel(),
    "activities.planmeasure": AdminModel(),
    "activities.deliverable": AdminModel(),
    "activities.deliverablestatus": AdminModel(),
    "activities.event": AdminModel(),
    "activities.participation": AdminModel(),
    "activities.bilateralmeeting": AdminModel(),
    "activities.pilotproject": AdminModel(),
    "activities.pilotprojectreport": AdminModel(),
    # The review engine: submissions come from the public form; the logs are the services';
    # the jury's work (jurors, conflicts, assignments) is the secretariat's, not communications'.
    "activities.call": AdminModel(),
    "activities.callsubmission": AdminModel(SIMPLE_HISTORY, staff_adds=False, staff_deletes=False),
    "activities.callphasechange": AdminModel(staff_adds=False, staff_deletes=False),
    "activities.calldecision": AdminModel(SIMPLE_HISTORY, staff_adds=False, staff_deletes=False),
    "activities.juror": AdminModel(SIMPLE_HISTORY, staff_adds=False, communications_reads=False),
    "activities.conflictofinterest": AdminModel(
        staff_adds=False, staff_deletes=False, communications_reads=False
    ),
    "activities.reviewassignment": AdminModel(SIMPLE_HISTORY, communications_reads=False),
    "activities.learningactivity": AdminModel(),
    "activities.learningparticipation": AdminModel(),
    "activities.publication": AdminModel(),
    "activities.publicationmention": AdminModel(),
    "activities.policystatement": AdminModel(),
    "activities.platformcontribution": AdminModel(),
    "activities.metropolitanindicatoranalysis": AdminModel(),
    "activities.activememberyear": AdminModel(),
    # The printed order comes from the dataset: shown, not edited.
    "activities.memberprofileposition": AdminModel(staff_adds=False, staff_deletes=False),
    # Registrations change through their actions (services), and are erased
    # (anonymised), never deleted; personal data: not for communications.
    "activities.registration": AdminModel(staff_adds=False, staff_deletes=False, communications_reads=False),
    # A consent text in use is never changed nor deleted: a new version is added.
    "activities.consenttext": AdminModel(staff_deletes=False),
    "gender.indicatorvalue": AdminModel(),
    "gender.edition": AdminModel(staff_adds=False),
    "gender.programme": AdminModel(),
    "gender.programmeyear": AdminModel(),
    "gender.fundingentry": AdminModel(),
    "gender.staffmember": AdminModel(),
    "gender.gendermainstreamingengagement": AdminModel(),
    "gender.internalgendertraining": AdminModel(),
    "gender.internalgendertool": AdminModel(),
    "reports.reportrun": AdminModel(staff_adds=False),
    "reports.reporttext": AdminModel(),
}

CITY_KEPT_OUT = {
    "anonymous": ADMIN_LOGIN,
    "a_editor": ADMIN_LOGIN,
    "a_viewer": ADMIN_LOGIN,
    "b_editor": ADMIN_LOGIN,
    "applicant": ADMIN_LOGIN,
    "juror": ADMIN_LOGIN,
}
# Django's UserAdmin names its password page after auth's user model, whatever the user model.
PAGE_NAMES = {("members.user", "password_change"): "admin:auth_user_password_change"}


def _admin_entries() -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for label, model in ADMIN_MODELS.items():
        app, name = label.split(".")
        reads = OK if model.communications_reads else FORBIDDEN
        record = lambda w, label=label: [w.records[label].pk]  # noqa: E731
        # Writing in the admin: refused to communications, and city accounts never get in.
        refused = {"anonymous": ADMIN_LOGIN, "a_viewer": ADMIN_LOGIN, "communications": FORBIDDEN}
        pages = {
            "changelist": Entry(get={**CITY_KEPT_OUT, "communications": reads, "staff": OK}),
            "add": Entry(
                get={
                    **CITY_KEPT_OUT,
                    "communications": FORBIDDEN,
                    "staff": OK if model.staff_adds else FORBIDDEN,
                },
                post=refused,
            ),
            "change": Entry(
                get={**CITY_KEPT_OUT, "communications": reads, "staff": OK}, post=refused, args=record
            ),
            "delete": Entry(
                get={
                    **CITY_KEPT_OUT,
                    "communications": FORBIDDEN,
                    "staff": OK if model.staff_deletes else FORBIDDEN,
                },
                post=refused,
                args=record,
            ),
            "history": Entry(get={**CITY_KEPT_OUT, "communications": reads, "staff": OK}, args=record),
            "simple_history": Entry(
                get={**CITY_KEPT_OUT, "communications": reads, "staff": OK},
                post=refused,
                args=lambda w, label=label: [w.records[label].pk, w.records[label].history.latest().pk],
            ),
            # Importing writes: it needs the change permission.
            "import": Entry(get={**CITY_KEPT_OUT, "communications": FORBIDDEN, "staff": OK}),
            "process_import": Entry(
                get={**CITY_KEPT_OUT, "communications": NOT_ALLOWED, "staff": NOT_ALLOWED}, post=refused
            ),
            "export": Entry(get={**CITY_KEPT_OUT, "communications": OK, "staff": OK}),
            "password_change": Entry(
                get={**CITY_KEPT_OUT, "communications": FORBIDDEN, "staff": OK}, post=refused, args=record
            ),
            "portal_changes": Entry(get={**CITY_KEPT_OUT, "communications": reads, "staff": OK}, args=record),
            # Recording payments writes: the change permission; the PDFs are read like the records.
            "payment": Entry(
                get={**CITY_KEPT_OUT, "communications": FORBIDDEN, "staff": OK}, post=refused, args=record
            ),
            "statement": Entry(get={**CITY_KEPT_OUT, "communications": FORBIDDEN, "staff": OK}, post=refused),
            "pdf": Entry(get={**CITY_KEPT_OUT, "communications": reads, "staff": OK}, args=record),
            "receipt": Entry(get={**CITY_KEPT_OUT, "communications": reads, "staff": OK}, args=record),
            # A copy of a person's data: the secretariat's.
            "personal_data": Entry(
                get={**CITY_KEPT_OUT, "communications": FORBIDDEN, "staff": OK},
                args=lambda w, label=label: [w.records[label].pk, "json"],
            ),
            # A mailing's pages: reading them is viewing the mailing; testing,
            # sending and cancelling need the right to send (a draft: cancelling refuses).
            "preview": Entry(get={**CITY_KEPT_OUT, "communications": OK, "staff": OK}, args=record),
            "progress": Entry(get={**CITY_KEPT_OUT, "communications": OK, "staff": OK}, args=record),
            "progress_status": Entry(get={**CITY_KEPT_OUT, "communications": OK, "staff": OK}, args=record),
            "test": Entry(
                get={**CITY_KEPT_OUT, "communications": FORBIDDEN, "staff": OK},
                post={**refused, "staff": OK},
                args=record,
            ),
            "send": Entry(
                get={**CITY_KEPT_OUT, "communications": FORBIDDEN, "staff": OK},
                post={**refused, "staff": OK},
                args=record,
            ),
            "cancel": Entry(
                get={**CITY_KEPT_OUT, "communications": NOT_ALLOWED, "staff": NOT_ALLOWED},
                post={**refused, "staff": REDIRECT},
                args=record,
            ),
        }
        for page in (*STANDARD_PAGES, *model.extra_pages):
            entries[PAGE_NAMES.get((label, page), f"admin:{app}_{name}_{page}")] = pages[page]
        # The bare address of a record redirects to its change page.
        entries[f"admin/{app}/{name}/<path:object_id>/"] = Entry(
            get={**CITY_KEPT_OUT, "communications": REDIRECT, "staff": REDIRECT},
            args=lambda w, label=label: f"/admin/{label.replace('.', '/')}/{w.records[label].pk}/",
        )
    admin_page = {**CITY_KEPT_OUT, "communications": OK, "staff": OK}
    entries.update(
        {
            "admin:index": Entry(get=admin_page),
            "admin:app_list": Entry(get=admin_page, args=lambda w: ["members"]),
            # The header's search and its link to the indicators of the reporting year.
            "admin:search": Entry(get=admin_page, query="?q=me"),
            "admin:indicators": Entry(get={**CITY_KEPT_OUT, "communications": REDIRECT, "staff": REDIRECT}),
            "admin:login": Entry(get=outcomes(OK, OK, OK, OK, REDIRECT, REDIRECT), post=every(OK)),
            "admin:logout": Entry(
                get=outcomes(REDIRECT, REDIRECT, REDIRECT, REDIRECT, NOT_ALLOWED, NOT_ALLOWED),
                post=every(REDIRECT),
            ),
            "admin:password_change": Entry(get=admin_page),
            "admin:password_change_done": Entry(get=admin_page),
            "admin:jsi18n": Entry(get=admin_page),
            "admin:autocomplete": Entry(
                get=admin_page, query="?app_label=members&model_name=user&field_name=member_city&term=a"
            ),
            # No record of the portal has a public page.
            "admin:view_on_site": Entry(
                get={**CITY_KEPT_OUT, "communications": NOT_FOUND, "staff": NOT_FOUND},
                args=lambda w: [ContentType.objects.get_for_model(w.city_a).pk, w.city_a.pk],
            ),
            # The admin's catch-all: unknown addresses are not revealed to anyone logged out.
            "admin/(?P<url>.*)$": Entry(
                get={**CITY_KEPT_OUT, "communications": NOT_FOUND, "staff": NOT_FOUND},
                args=lambda w: "/admin/no-such-page/",
            ),
        }
    )
    return entries


def _calls_admin_entries() -> dict[str, Entry]:
    """The secretariat's pages of a call (phase, jury, ranking, export) and a
    submission's attachment: refused to communications (the jury's work), the
    attachment read like the submission."""
    secretariat = {**CITY_KEPT_OUT, "communications": FORBIDDEN, "staff": OK}
    refused = {"anonymous": ADMIN_LOGIN, "a_viewer": ADMIN_LOGIN, "communications": FORBIDDEN}
    call = lambda w: [w.records["activities.call"].pk]  # noqa: E731
    return {
        # An empty POST re-renders the form.
        "admin:activities_call_phase": Entry(get=secretariat, post={**refused, "staff": OK}, args=call),
        "admin:activities_call_jury": Entry(get=secretariat, post={**refused, "staff": OK}, args=call),
        # No decision to record while the call is open: back to the page with a message.
        "admin:activities_call_ranking": Entry(
            get=secretariat, post={**refused, "staff": REDIRECT}, args=call
        ),
        "admin:activities_call_export": Entry(get=secretariat, args=call),
        "admin:activities_callsubmission_attachment": Entry(
            get={**CITY_KEPT_OUT, "communications": OK, "staff": OK},
            args=lambda w: [w.records["activities.callsubmission"].pk, w.records["attachment"].pk],
        ),
    }


MATRIX: dict[str, Entry] = {**SITE, **CALLS, **_api_entries(), **_admin_entries(), **_calls_admin_entries()}


# --- The world the accounts walk ----------------------------------------------------------------


@dataclass
class World:
    city_a: Any
    city_b: Any
    users: dict[str, User | None]
    a_primary: Any
    a_second: Any
    a_head: Any
    a_run: Any
    reset_link_kwargs: dict[str, str]
    invitation_kwargs: dict[str, str]
    records: dict[str, Any]
    verify_kwargs: dict[str, str]
    open_call: Any
    draft: Any
    draft_attachment: Any
    case: Any
    review_call: Any
    assignment: Any
    assigned_attachment: Any
    other_assignment: Any

    unsubscribe_token: str = ""

    # The public event of the registration records, and the registrant's links.
    @property
    def event(self) -> Any:
        return self.records["activities.registration"].event

    @property
    def registration_token(self) -> str:
        return registration_token(self.records["activities.registration"].pk)

    @property
    def offer_token(self) -> str:
        return offer_token(self.records["activities.registration"].pk)

    @property
    def attendance_import(self) -> Any:
        return self.records["activities.attendanceimport"]

    @property
    def certificate_batch(self) -> Any:
        return self.records["activities.certificatebatch"]


def _attachment(submission: Any) -> CallAttachment:
    question = calls.CallQuestionFactory(call=submission.call, kind=QuestionKind.ATTACHMENT)
    attachment = CallAttachment(
        submission=submission,
        question=question,
        original_name="plan.pdf",
        content_type="application/pdf",
        size=20,
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4 matrix %%EOF"), save=True)
    return attachment


def _records(world_city: Any, a_run: Any) -> dict[str, Any]:
    """One record of every model in the admin."""
    member = world_city
    invoice = InvoiceFactory(member=member)
    FeeScheduleFactory()
    plan = activities.ActionPlanFactory()
    indicator_value = IndicatorValue.objects.create(
        indicator_code="new_member_cities", year=2021, kind=ValueKind.PUBLISHED, value=Decimal(3)
    )
    mailing = Mailing.objects.create(
        kind=MailingKind.NEWS, segment="active-members", subject_en="News", body_en="The news."
    )
    recipient = MailingRecipient.objects.create(
        mailing=mailing, email="focal@barcelona.example.org", name="Focal point", language="es"
    )
    attempt = AccessAttempt.objects.create(
        username="someone@example.org", ip_address="10.0.0.1", user_agent="test", failures_since_start=1
    )
    records = {
        "auth.group": Group.objects.get(name="communications"),
        # The admin names a token by its account.
        "authtoken.tokenproxy": TokenProxy.objects.get(
            key=Token.objects.create(user=SecretariatFactory()).key
        ),
        "axes.accessattempt": attempt,
        "axes.accesslog": AccessLog.objects.create(
            username="someone@example.org", ip_address="10.0.0.1", user_agent="test"
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="someone@example.org", ip_address="10.0.0.1", user_agent="test"
        ),
        "members.membercity": member,
        "members.invoice": invoice,
        "members.payment": PaymentFactory(invoice=invoice, amount=Decimal("10.00")),
        "members.feereminder": FeeReminderFactory(invoice=invoice),
        "members.feeschedule": FeeScheduleFactory(),
        "members.membershipchange": MembershipChangeFactory(member=member),
        "members.headofgovernment": HeadOfGovernmentFactory(
            member=member, term_start=datetime.date(2010, 1, 1), term_end=datetime.date(2014, 12, 31)
        ),
        "members.contact": ContactFactory(member=member, is_primary=False),
        "members.boardmandate": BoardMandateFactory(member=member),
        "members.region": Region.objects.create(
            code="test-region", name="Test region", name_en="Test region"
        ),
        "members.partner": PartnerFactory(),
        "members.agreement": AgreementFactory(member=member),
        "activities.submission": activities.SubmissionFactory(member=member),
        "members.user": CityViewerFactory(member_city=member),
        "members.reportingyear": reporting_year_set(year=2021),
        "members.notification": Notification.objects.create(
            recipient=SecretariatFactory(),
            kind=NotificationKind.HEAD_CHANGED,
            member=member,
            subject="Mayor",
            key="k",
        ),
        "members.notificationmute": NotificationMute.objects.create(
            user=SecretariatFactory(), kind=NotificationKind.SUBMISSION_RECEIVED
        ),
        "members.mailing": mailing,
        "members.mailingrecipient": recipient,
        "members.consentrecord": ConsentRecord.objects.create(
            email="someone@example.org", kind=MailingKind.NEWS, given=False, source=ConsentSource.ON_REQUEST
        ),
        "members.personaldatarequest": PersonalDataRequest.objects.create(
            kind=DataRequestKind.EXPORT, subject_kind=DataSubjectKind.CONTACT, subject_id=1
        ),
        "activities.sdggoal": activities.sdg_goal(11),
        "activities.sdgtarget": activities.SdgTargetFactory(),
        "activities.actionplan": plan,
        "activities.actionline": activities.ActionLineFactory(plan=plan),
        "activities.planmeasure": activities.PlanMeasureFactory(),
        "activities.deliverable": activities.DeliverableFactory(),
        "activities.deliverablestatus": activities.DeliverableStatusFactory(),
        "activities.event": activities.EventFactory(),
        "activities.participation": activities.ParticipationFactory(member=member),
        "activities.bilateralmeeting": activities.BilateralMeetingFactory(member=member),
        "activities.pilotproject": activities.PilotProjectMemberFactory(member=member).project,
        "activities.pilotprojectreport": activities.PilotProjectReportFactory(),
        "activities.call": calls.CallFactory(),
        "activities.callsubmission": (submission := calls.CallSubmissionFactory()),
        "attachment": _attachment(submission),
        "activities.callphasechange": CallPhaseChange.objects.create(
            call=submission.call, from_phase="draft", to_phase="open"
        ),
        "activities.calldecision": CallDecision.objects.create(
            call=submission.call,
            kind="shortlist",
            decided_on=datetime.date(2025, 6, 1),
            minutes="The jury met.",
        ),
        "activities.juror": calls.JurorFactory(),
        "activities.conflictofinterest": ConflictOfInterest.objects.create(
            juror=calls.JurorFactory(call=submission.call), submission=submission
        ),
        "activities.reviewassignment": calls.ReviewAssignmentFactory(
            juror__call__phase=CallPhase.REVIEW, submission__country="CN"
        ),
        "activities.learningactivity": activities.LearningActivityFactory(),
        "activities.learningparticipation": activities.LearningParticipationFactory(member=member),
        "activities.publication": activities.PublicationFactory(),
        "activities.publicationmention": activities.PublicationMentionFactory(member=member),
        "activities.policystatement": activities.PolicyStatementFactory(),
        "activities.platformcontribution": activities.PlatformContributionFactory(member=member),
        "activities.metropolitanindicatoranalysis": activities.MetropolitanIndicatorAnalysisFactory(
            member=member
        ),
        "activities.activememberyear": activities.ActiveMemberYearFactory(member=member),
        "activities.memberprofileposition": activities.MemberProfilePositionFactory(member=member),
        **_registration_records(member),
        "gender.indicatorvalue": indicator_value,
        "gender.edition": Edition.objects.create(year=2021, title="Annual report 2021"),
        "gender.programme": gender.ProgrammeFactory(),
        "gender.programmeyear": gender.ProgrammeYearFactory(),
        "gender.fundingentry": gender.FundingEntryFactory(),
        "gender.staffmember": gender.StaffMemberFactory(),
        "gender.gendermainstreamingengagement": gender.GenderMainstreamingEngagementFactory(member=member),
        "gender.internalgendertraining": gender.InternalGenderTrainingFactory(),
        "gender.internalgendertool": gender.InternalGenderToolFactory(),
        "reports.reportrun": a_run,
        "reports.reporttext": ReportText.objects.create(
            year=2021, key="secretary-general-message", title="Message", body="Text"
        ),
    }
    return records


def _registration_records(member: Any) -> dict[str, Any]:
    """A public event that takes registrations, with a registration (its
    certificate made, not attended), a session, an attendance import and a
    finished certificate batch."""
    registration = activities.RegistrationFactory(member_city=member)
    registration.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    event = registration.event
    batch = CertificateBatch.objects.create(event=event, status=JobStatus.SUCCEEDED, progress=100)
    batch.output.save("certificates.zip", ContentFile(b"PK matrix"), save=True)
    return {
        "activities.registration": registration,
        "activities.consenttext": activities.current_consent(),
        "activities.eventsession": activities.EventSessionFactory(event=event),
        "activities.attendanceimport": AttendanceImport.objects.create(event=event, file_name="zoom.csv"),
        "activities.certificatebatch": batch,
    }


@pytest.fixture
def world(db) -> World:
    city_a = MemberCityFactory(name="Barcelona", name_en="Barcelona", slug="barcelona")
    city_b = MemberCityFactory(name="Seoul", name_en="Seoul", slug="seoul")
    a_editor = CityEditorFactory(member_city=city_a)
    users: dict[str, User | None] = {
        "anonymous": None,
        "a_editor": a_editor,
        "a_viewer": CityViewerFactory(member_city=city_a),
        "b_editor": CityEditorFactory(member_city=city_b),
        "communications": CommunicationsFactory(),
        "staff": SecretariatFactory(),
        "applicant": (applicant := ApplicantFactory()),
        "juror": (juror := JurorAccountFactory()),
    }
    a_run = ReportRun.objects.create(
        kind=ReportKind.SCORECARD,
        year=2021,
        member=city_a,
        language="en",
        status=RunStatus.SUCCEEDED,
        progress=100,
        params_key="matrix",
    )
    a_run.output.save("run.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    invited = User.objects.create_user(
        email="invited@barcelona.example.org", member_city=city_a, is_active=False
    )
    forgetful = CityViewerFactory(member_city=city_a)
    # The calls: an open call with the applicant's draft, a call in its jury review
    # with two submissions assigned to the juror, a published call with a case.
    open_call = calls.CallFactory(phase=CallPhase.OPEN)
    draft = calls.CallSubmissionFactory(
        call=open_call, applicant=applicant, status=CallSubmissionStatus.DRAFT
    )
    review_call = calls.CallFactory(phase=CallPhase.REVIEW)
    calls.RubricCriterionFactory(call=review_call)
    seat = calls.JurorFactory(call=review_call, user=juror, country="FR")
    assignment = calls.ReviewAssignmentFactory(juror=seat, submission__country="CN")
    other_assignment = calls.ReviewAssignmentFactory(juror=seat, submission__country="CN")
    pending = User.objects.create_user(
        email="new@recife.example.org", password="Rua-da-Aurora-1", is_active=False
    )
    records = _records(city_a, a_run)
    return World(
        city_a=city_a,
        city_b=city_b,
        users=users,
        a_primary=ContactFactory(member=city_a, is_primary=True),
        a_second=ContactFactory(member=city_a, is_primary=False),
        a_head=HeadOfGovernmentFactory(member=city_a),
        a_run=a_run,
        # Of an account no request logs in: a login changes the hash of a reset token.
        reset_link_kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(forgetful.pk)),
            "token": default_token_generator.make_token(forgetful),
        },
        invitation_kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
            "token": invitation_token_generator.make_token(invited),
        },
        records=records,
        unsubscribe_token=unsubscribe_token(records["members.mailingrecipient"]),
        verify_kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(pending.pk)),
            "token": email_verification_token_generator.make_token(pending),
        },
        open_call=open_call,
        draft=draft,
        draft_attachment=_attachment(draft),
        case=calls.CallSubmissionFactory(call=calls.CallFactory(phase=CallPhase.PUBLISHED), is_finalist=True),
        review_call=review_call,
        assignment=assignment,
        assigned_attachment=_attachment(assignment.submission),
        other_assignment=other_assignment,
    )


# --- Walking the resolver ------------------------------------------------------------------------


def url_patterns() -> Iterator[tuple[str, str]]:
    """(key, route) of every URL pattern, recursively: the key is the pattern's
    namespaced name, or its full route when it has no name."""

    def walk(patterns: list, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                yield from walk(pattern.url_patterns, route, inner)
            elif pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
            else:
                yield route, route

    yield from walk(get_resolver().url_patterns, "", "")


def _url(key: str, entry: Entry, world: World) -> str:
    args = entry.args(world) if entry.args else None
    if isinstance(args, str):
        url = args
    elif isinstance(args, dict):
        url = reverse(key, kwargs=args)
    else:
        url = reverse(key, args=args or [])
    return url + entry.query


def _outcome(response: Any) -> Any:
    if response.status_code == 302:
        if response.url.startswith(reverse("login")):
            return LOGIN
        if response.url.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        return REDIRECT
    return response.status_code


# --- The tests ---------------------------------------------------------------------------------------


def test_every_url_pattern_has_an_entry_and_every_entry_a_pattern():
    keys = [key for key, _route in url_patterns()]
    assert len(keys) == len(set(keys)), "two URL patterns share a name"
    missing = sorted(set(keys) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(keys))
    assert missing == [], f"URL patterns without an entry in the permission matrix: {missing}"
    assert stale == [], f"entries of the permission matrix without a URL pattern: {stale}"


def test_every_model_in_the_admin_is_in_the_matrix():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


def test_every_entry_gives_an_outcome_for_every_account():
    incomplete = [key for key, entry in MATRIX.items() if set(entry.get) != set(ROLES)]
    assert incomplete == []


def test_anonymous_visitors_go_to_a_login_page_except_on_the_public_allow_list():
    # The API answers 401 (an integration has no login page to go to).
    not_sent_to_login = sorted(
        key
        for key, entry in MATRIX.items()
        if key not in PUBLIC
        and entry.get["anonymous"] not in (LOGIN, ADMIN_LOGIN)
        and not (key.startswith("api:") and entry.get["anonymous"] == UNAUTHORIZED)
    )
    public_behind_login = sorted(
        key for key in PUBLIC if MATRIX[key].get["anonymous"] in (LOGIN, ADMIN_LOGIN)
    )
    assert not_sent_to_login == []
    assert public_behind_login == []


def test_another_citys_object_answers_404_to_city_b():
    portal_objects = [key for key, entry in SITE.items() if key.startswith("portal:") and entry.args]
    assert portal_objects, "the portal has pages of single records"
    assert {key: SITE[key].get["b_editor"] for key in portal_objects} == dict.fromkeys(
        portal_objects, NOT_FOUND
    )


def test_a_viewer_cannot_write():
    assert {key: SITE[key].post["a_viewer"] for key in CITY_WRITES} == dict.fromkeys(CITY_WRITES, FORBIDDEN)
    allowed = {OK, REDIRECT, 201}
    posting = sorted(
        key
        for key, entry in MATRIX.items()
        if entry.post.get("a_viewer") in allowed and key not in VIEWER_MAY_POST
    )
    assert posting == []


def test_city_accounts_never_get_into_the_admin():
    city_roles = ("a_editor", "a_viewer", "b_editor")
    let_in = sorted(
        key
        for key, entry in MATRIX.items()
        if key.startswith("admin")
        and key not in PUBLIC
        and any(entry.get[role] != ADMIN_LOGIN for role in city_roles)
    )
    assert let_in == []


def test_applicants_and_jurors_never_get_into_the_admin_nor_the_pages_of_my_city():
    outsiders = ("applicant", "juror")
    let_in = sorted(
        key
        for key, entry in MATRIX.items()
        if (
            key.startswith("admin")
            and key not in PUBLIC
            and any(entry.get[r] != ADMIN_LOGIN for r in outsiders)
        )
        or (
            key.startswith("portal:") and any(entry.get[r] not in (FORBIDDEN, NOT_ALLOWED) for r in outsiders)
        )
    )
    assert let_in == []


def test_another_applicants_submission_and_a_submission_not_assigned_answer_404():
    own = [
        key
        for key, entry in CALLS.items()
        if entry.get["applicant"] == OK and key.startswith("calls:submission")
    ]
    assert own and {key: CALLS[key].get["juror"] for key in own} == dict.fromkeys(own, NOT_FOUND)
    assert MATRIX["api:call-submission-detail"].get["applicant"] == NOT_FOUND
    assert MATRIX["api:call-review-detail"].get["applicant"] == NOT_FOUND


@pytest.mark.parametrize("role", ROLES)
def test_each_account_gets_what_the_matrix_says_from_every_url(client, world, role, settings):
    # Who may reach /healthz is checked here; whether workers answer it is not
    # (no worker runs here, even on a broker): tests/project/test_healthz.py.
    settings.CELERY_BROKER_URL = ""
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    differences = []
    for key, _route in url_patterns():
        entry = MATRIX[key]
        url = _url(key, entry, world)
        for method, expected in (("GET", entry.get.get(role)), ("POST", entry.post.get(role))):
            if expected is None:
                continue
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, {})
                # A POST may log out or change the session: the next address
                # is checked with a fresh login.
                client.logout()
                if user is not None:
                    client.force_login(user)
            got = _outcome(response)
            if got != expected:
                differences.append(f"{method} {url} ({key}): expected {expected}, got {got}")
    assert differences == [], "\n".join(differences)


def test_the_public_pages_show_no_private_field(client, world):
    """The directory, its map, a city's page and the unsubscribe page show no
    contact's e-mail address or phone (the unsubscribe page shows the address
    its link was sent to masked: a forwarded link does not reveal it)."""
    from members.models import Contact

    Contact.objects.filter(pk=world.a_primary.pk).update(phone="+34 934 02 70 00")
    private = [
        value for contact in Contact.objects.all() for value in (contact.email, contact.phone) if value
    ]
    assert private
    public = [key for key in sorted(PUBLIC) if key.startswith(("directory:", "mailings:"))]
    assert public == ["directory:city", "directory:list", "directory:map", "mailings:unsubscribe"]
    for key in public:
        response = client.get(_url(key, MATRIX[key], world))
        assert response.status_code == 200
        page = response.content.decode()
        shown = [value for value in private if value in page]
        assert shown == [], f"{key} shows {shown}"
