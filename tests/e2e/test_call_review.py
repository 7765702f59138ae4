"""The review engine end to end, in the browser: a person of a city signs up,
verifies the address and, in French, submits to the Guangzhou Award with an
attachment; the secretariat screens the submission and assigns it; a juror
scores it; the secretariat shortlists it, records the winners and publishes
the results, which the public reads."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Call, CallPhase, CallSubmission, QuestionKind
from tests.activities.call_factories import (
    CallFactory,
    CallQuestionFactory,
    JurorFactory,
    RubricCriterionFactory,
)
from tests.activities.factories import sdg_goal
from tests.e2e.conftest import log_in
from tests.members.factories import JurorAccountFactory, SecretariatFactory, region

# Serialized rollback: each test starts with the rows of the data migrations (the role
# groups, the regions, the SDG goals), which the previous transactional test flushed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"  # the factories' password
APPLICANT_PASSWORD = "Rua-da-Aurora-2021"
# No step of this test renders a report: half a minute is plenty.
STEP_MS = 30_000
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _context(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    return page


def _move(page, call: Call, phase_label: str) -> None:
    page.goto(f"/admin/activities/call/{call.pk}/phase/")
    page.get_by_label(phase_label, exact=True).check()
    page.get_by_role("button", name="Move the call").click()
    expect(page.locator(".messagelist")).to_contain_text("is now in the phase")


def test_an_applicant_submits_in_french_a_juror_scores_and_the_secretariat_publishes_the_winners(
    page, phone, browser, live_server, screenshot
):
    for window in (page, phone):
        window.set_default_timeout(STEP_MS)
    call = CallFactory(
        slug="guangzhou-award-2025",
        title="6th Guangzhou International Award for Urban Innovation",
        title_en="6th Guangzhou International Award for Urban Innovation",
        title_fr="6e Prix international de Guangzhou pour l'innovation urbaine",
        phase=CallPhase.OPEN,
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() + datetime.timedelta(days=30),
        reviews_per_submission=1,
    )
    story = CallQuestionFactory(
        call=call, position=1, kind=QuestionKind.LONG_TEXT, text="What did your city change?"
    )
    goals = CallQuestionFactory(
        call=call, position=2, kind=QuestionKind.SDG_GOALS, text="Which goals does it advance?"
    )
    dossier = CallQuestionFactory(call=call, position=3, kind=QuestionKind.ATTACHMENT, text="Your dossier")
    RubricCriterionFactory(
        call=call, position=1, name="Innovation", name_en="Innovation", weight=3, max_score=10
    )
    RubricCriterionFactory(call=call, position=2, name="Impact", name_en="Impact", weight=1, max_score=5)
    juror = JurorFactory(
        call=call, user=JurorAccountFactory(email="jury@stockholm.example.org"), country="SE"
    )
    staff = SecretariatFactory(email="secretariat@metropolis.example")

    # --- The applicant signs up, on a phone, and confirms the address.
    applicant = phone
    applicant.goto("/calls/")
    applicant.get_by_role("link", name="6th Guangzhou International Award for Urban Innovation").click()
    applicant.get_by_role("link", name="Sign up to apply").click()
    applicant.get_by_label("Full name").fill("Ana Souza")
    applicant.get_by_label("E-mail address").fill("ana@recife.example.org")
    applicant.get_by_label("Password:", exact=True).fill(APPLICANT_PASSWORD)
    applicant.get_by_label("The same password again").fill(APPLICANT_PASSWORD)
    applicant.get_by_label("Language of the e-mails you receive").select_option("fr")
    applicant.get_by_role("button", name="Sign up").click()
    expect(applicant.get_by_role("heading", name="Check your inbox")).to_be_visible()
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    applicant.goto(link)
    applicant.get_by_role("button", name="Confirm my address").click()
    expect(applicant.locator(".messages")).to_contain_text("Your address is verified")

    # --- In French, the submission with its attachment: a draft first, then submitted.
    applicant.select_option("#language-select", "fr")
    applicant.locator(".language-switcher button").click()
    expect(applicant.locator("html")).to_have_attribute("lang", "fr")
    applicant.goto(f"/calls/{call.slug}/apply/")
    applicant.fill("#id_title", "Autoroutes cyclables de la métropole")
    applicant.fill("#id_summary", "850 km d'autoroutes cyclables relient les communes de la région.")
    applicant.select_option("#id_language", "fr")
    applicant.fill("#id_city_name", "Recife")
    applicant.select_option("#id_country", "BR")
    applicant.select_option("#id_region", str(region("latin-america-caribbean").pk))
    applicant.fill(
        f"#id_{story.field_name}", "Nous avons relié les communes par des pistes sûres et éclairées."
    )
    applicant.check(f"input[name={goals.field_name}][value='{sdg_goal(11).pk}']")
    applicant.check(f"input[name={goals.field_name}][value='{sdg_goal(13).pk}']")
    applicant.check("#id_library_consent")
    assert _fits_the_screen(applicant)
    screenshot(applicant, "01-applicant-form-fr")
    applicant.locator("button[name=save]").click()
    expect(applicant.locator(".messages")).to_be_visible()
    assert CallSubmission.objects.get().status == "draft"
    applicant.set_input_files(
        f"input[name={dossier.field_name}]",
        files=[{"name": "dossier-recife.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    applicant.locator("button[name=submit]").click()
    expect(applicant.locator(".status-submitted")).to_be_visible()
    submission = CallSubmission.objects.get()
    assert (submission.status, submission.language, submission.attachments.get().original_name) == (
        "submitted",
        "fr",
        "dossier-recife.pdf",
    )
    assert any("ana@recife.example.org" in message.to for message in mail.outbox[1:])
    assert _fits_the_screen(applicant)
    screenshot(applicant, "02-applicant-submitted-fr")

    # The deadline passes.
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))

    # --- The secretariat screens it and assigns it.
    secretariat = page
    log_in(secretariat, staff.email, PASSWORD)
    _move(secretariat, call, "Eligibility screening")
    secretariat.goto(f"/admin/activities/callsubmission/?call__id__exact={call.pk}")
    secretariat.locator("input[name=_selected_action]").first.check()
    secretariat.select_option("select[name=action]", "mark_eligible")
    secretariat.locator(".actions button[type=submit]").click()
    expect(secretariat.locator(".messagelist")).to_contain_text("is screened")
    _move(secretariat, call, "Jury review")
    secretariat.goto(f"/admin/activities/call/{call.pk}/jury/")
    secretariat.get_by_role("button", name="Assign automatically").click()
    expect(secretariat.locator(".messagelist")).to_contain_text("1 assignment made")
    screenshot(secretariat, "03-secretariat-jury")

    # --- The juror scores it.
    jury = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    log_in(jury, juror.user.email, PASSWORD)
    jury.goto("/calls/review/")
    jury.get_by_role("link", name="Autoroutes cyclables de la métropole").click()
    expect(jury.get_by_text("Nous avons relié les communes")).to_be_visible()
    jury.get_by_label("Innovation").fill("11")
    jury.get_by_label("Impact").fill("4")
    jury.get_by_role("button", name="Submit the review").click()
    # Out of range: refused, nothing saved.
    expect(jury.locator(".errors")).to_contain_text("Nothing was saved")
    jury.get_by_label("Innovation").fill("9")
    jury.get_by_role("button", name="Submit the review").click()
    expect(jury.locator(".messages")).to_contain_text("Your review is submitted")
    expect(jury.locator(".progress-line")).to_contain_text("1 of 1 review submitted")
    screenshot(jury, "04-juror-progress")

    # --- The secretariat shortlists it, records the winners and publishes.
    _move(secretariat, call, "Choosing the finalists")
    secretariat.goto(f"/admin/activities/call/{call.pk}/ranking/")
    expect(secretariat.locator("#ranking")).to_contain_text("Autoroutes cyclables")
    secretariat.check(f"#chosen-{submission.pk}")
    secretariat.fill("#id_minutes", "The jury met online and shortlisted the submission unanimously.")
    secretariat.get_by_role("button", name="Record the decision").click()
    expect(secretariat.locator(".messagelist")).to_contain_text("The jury's decision is recorded")
    screenshot(secretariat, "05-secretariat-shortlist")
    _move(secretariat, call, "Choosing the winners")
    secretariat.goto(f"/admin/activities/call/{call.pk}/ranking/")
    secretariat.check(f"#chosen-{submission.pk}")
    secretariat.fill("#id_minutes", "Winner chosen after the finalist sessions in Guangzhou.")
    secretariat.get_by_role("button", name="Record the decision").click()
    expect(secretariat.locator(".messagelist")).to_contain_text("The jury's decision is recorded")
    _move(secretariat, call, "Results published")

    call.refresh_from_db()
    submission.refresh_from_db()
    assert call.is_published and (submission.is_finalist, submission.is_winner) == (True, True)
    # The applicant wrote in French: the winner's e-mail is in French.
    assert mail.outbox[-1].to == ["ana@recife.example.org"] and "lauréate" in mail.outbox[-1].subject

    # --- The public reads the winners; the applicant follows the status.
    public = _context(browser, live_server, viewport={"width": 1280, "height": 900})
    public.goto(f"/calls/{call.slug}/")
    results = public.locator("#results")
    expect(results).to_contain_text("Autoroutes cyclables de la métropole")
    expect(results).to_contain_text("Recife")
    screenshot(public, "06-public-winners")
    applicant.goto(f"/calls/my-submissions/{submission.pk}/")
    expect(applicant.locator(".status-winner")).to_be_visible()
    assert _fits_the_screen(applicant)
    screenshot(applicant, "07-applicant-winner-fr")
    applicant.goto("/calls/library/?sdg=11")
    expect(applicant.locator(".result-card")).to_contain_text("Autoroutes cyclables")
    assert _fits_the_screen(applicant)
    screenshot(applicant, "08-library-fr")
