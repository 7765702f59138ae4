"""Submitting to a call through the public form: drafts saved, submitted
before the deadline and read-only afterwards, attachments checked by content
and size, a late submission refused with the deadline shown, nothing saved on
a refusal; likely duplicates flagged; the applicant's receipt by e-mail."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activities.models import (
    CallAnswer,
    CallAttachment,
    CallPhase,
    CallSubmission,
    CallSubmissionStatus,
    QuestionKind,
)
from activities.services.call_submissions import call_duplicates_flag, similar_titles
from tests.activities.call_factories import CallFactory, CallQuestionFactory, CallSubmissionFactory
from tests.activities.factories import sdg_goal
from tests.members.factories import ApplicantFactory, MemberCityFactory, UserFactory, region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def call():
    call = CallFactory(
        slug="guangzhou-award-2025", title="Guangzhou Award 2025", title_en="Guangzhou Award 2025"
    )
    CallQuestionFactory(call=call, position=1, kind=QuestionKind.LONG_TEXT, text="What did you change?")
    CallQuestionFactory(call=call, position=2, kind=QuestionKind.SDG_GOALS, text="Which goals?")
    CallQuestionFactory(call=call, position=3, kind=QuestionKind.BUDGET, text="Budget", required=False)
    CallQuestionFactory(call=call, position=4, kind=QuestionKind.ATTACHMENT, text="Your dossier")
    return call


@pytest.fixture
def applicant(client):
    user = ApplicantFactory(email="ana@recife.example.org")
    client.force_login(user)
    return user


def _q(call, position):
    return call.questions.get(position=position)


def _form(call, *, title="Bicycle superhighways", attachment=None, **extra):
    data = {
        "title": title,
        "summary": "850 km of cycle superhighways between the municipalities.",
        "language": "fr",
        "city_name": "Recife",
        "country": "BR",
        "region": region("latin-america-caribbean").pk,
        "library_consent": "on",
        _q(call, 1).field_name: "Nous avons relié les communes.",
        _q(call, 2).field_name: [sdg_goal(11).pk, sdg_goal(13).pk],
        _q(call, 3).field_name: "125000.50",
        f"{_q(call, 3).field_name}_currency": "eur",
    }
    if attachment is not None:
        data[_q(call, 4).field_name] = attachment
    data.update(extra)
    return data


def test_a_draft_is_saved_then_submitted_before_the_deadline_and_is_read_only_after(client, call, applicant):
    response = client.post(reverse("calls:apply", args=[call.slug]), _form(call, save="1"))

    submission = CallSubmission.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "calls:submission-edit", args=[submission.pk]
    )
    assert (submission.status, submission.number, submission.applicant) == (
        CallSubmissionStatus.DRAFT,
        1,
        applicant,
    )
    assert mail.outbox == []
    answer = CallAnswer.objects.get(question=_q(call, 2))
    assert sorted(goal.number for goal in answer.sdg_goals.all()) == [11, 13]
    budget = CallAnswer.objects.get(question=_q(call, 3))
    assert (str(budget.amount), budget.currency) == ("125000.50", "EUR")

    # Submitting needs the required attachment.
    refused = client.post(reverse("calls:submission-edit", args=[submission.pk]), _form(call, submit="1"))
    assert refused.status_code == 200
    assert "Answer this question to submit." in refused.content.decode()
    submission.refresh_from_db()
    assert submission.status == CallSubmissionStatus.DRAFT

    pdf = SimpleUploadedFile("dossier.pdf", PDF, content_type="application/pdf")
    done = client.post(
        reverse("calls:submission-edit", args=[submission.pk]), _form(call, attachment=pdf, submit="1")
    )

    assert done.status_code == 302 and done.url == reverse("calls:submission", args=[submission.pk])
    submission.refresh_from_db()
    assert submission.status == CallSubmissionStatus.SUBMITTED and submission.submitted_at is not None
    attachment = CallAttachment.objects.get()
    assert (attachment.content_type, attachment.original_name, attachment.size) == (
        "application/pdf",
        "dossier.pdf",
        len(PDF),
    )
    # Stored under a generated name in the private storage.
    assert "dossier" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    [receipt] = mail.outbox
    assert receipt.to == ["ana@recife.example.org"]
    assert "Bicycle superhighways" in receipt.body

    # Read-only from now on: the edit page sends back to the submission, a post changes nothing.
    again = client.post(
        reverse("calls:submission-edit", args=[submission.pk]), _form(call, title="Changed", submit="1")
    )
    assert again.status_code == 302
    submission.refresh_from_db()
    assert submission.title == "Bicycle superhighways"
    page = client.get(reverse("calls:submission", args=[submission.pk]))
    assert "Submitted" in page.content.decode()


def test_a_late_submission_is_refused_with_the_deadline_shown_and_nothing_is_saved(client, call, applicant):
    draft = CallSubmissionFactory(
        call=call, applicant=applicant, status=CallSubmissionStatus.DRAFT, title="Draft"
    )
    call.closes_at = datetime.datetime(2025, 3, 31, 15, 59, tzinfo=datetime.UTC)
    call.save()
    pdf = SimpleUploadedFile("dossier.pdf", PDF, content_type="application/pdf")

    response = client.post(
        reverse("calls:submission-edit", args=[draft.pk]),
        _form(call, title="Late", attachment=pdf, submit="1"),
    )

    assert response.status_code == 200
    text = response.content.decode()
    # The deadline in the call's time zone: 15:59 UTC is 23:59 in Shanghai.
    assert "The deadline was March 31, 2025, 11:59 p.m. (Asia/Shanghai)" in text
    # What was typed stays in the form; nothing is saved.
    assert 'value="Late"' in text
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Draft", CallSubmissionStatus.DRAFT)
    assert not CallAttachment.objects.exists() and not CallAnswer.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("dossier.pdf", b"MZ\x90\x00 this is a program", "Attach a PDF, JPEG or PNG file"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"rubbish" * 10, "Attach a PDF, JPEG or PNG file"),
    ],
)
def test_an_attachment_that_is_not_a_pdf_jpeg_or_png_is_refused_whatever_its_name(
    client, call, applicant, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    response = client.post(reverse("calls:apply", args=[call.slug]), _form(call, attachment=upload, save="1"))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CallSubmission.objects.exists() and not CallAttachment.objects.exists()


def test_an_oversize_attachment_is_refused(client, call, applicant):
    call.attachment_max_mb = 1
    call.save()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n")

    response = client.post(reverse("calls:apply", args=[call.slug]), _form(call, attachment=big, save="1"))

    assert response.status_code == 200
    assert "at most 1 MB is accepted" in response.content.decode()
    assert not CallSubmission.objects.exists()


def test_a_png_and_a_jpeg_are_accepted(client, call, applicant):
    png = SimpleUploadedFile("plan.png", _png(), content_type="image/png")

    client.post(reverse("calls:apply", args=[call.slug]), _form(call, attachment=png, save="1"))

    assert CallAttachment.objects.get().content_type == "image/png"


def test_an_account_without_a_verified_address_cannot_apply(client, call):
    client.force_login(UserFactory())

    assert client.get(reverse("calls:apply", args=[call.slug])).status_code == 403
    assert client.post(reverse("calls:apply", args=[call.slug]), _form(call, save="1")).status_code == 403
    assert not CallSubmission.objects.exists()


def test_an_applicant_sees_only_their_own_submissions(client, call, applicant):
    own = CallSubmissionFactory(call=call, applicant=applicant, status=CallSubmissionStatus.DRAFT)
    other = CallSubmissionFactory(call=call)

    assert client.get(reverse("calls:submission", args=[own.pk])).status_code == 200
    for name in ("calls:submission", "calls:submission-edit"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    listing = client.get(reverse("calls:my-submissions")).content.decode()
    assert own.title in listing and other.title not in listing


def test_a_member_city_applies_under_its_own_country_and_region(client, call, applicant):
    member = MemberCityFactory(name="Barcelona", country="ES")
    pdf = SimpleUploadedFile("dossier.pdf", PDF)

    client.post(
        reverse("calls:apply", args=[call.slug]),
        _form(call, attachment=pdf, member=member.pk, country="BR", region="", submit="1"),
    )

    submission = CallSubmission.objects.get()
    assert (submission.member, str(submission.country), submission.region) == (member, "ES", member.region)


def test_the_same_city_with_a_similar_title_is_flagged_as_a_likely_duplicate(call):
    first = CallSubmissionFactory(call=call, city_name="Recife", country="BR", title="Bicycle superhighways")
    again = CallSubmissionFactory(
        call=call, city_name="recife ", country="BR", title="Bicycle super-highways!"
    )
    elsewhere = CallSubmissionFactory(
        call=call, city_name="Curitiba", country="BR", title="Bicycle superhighways"
    )
    other = CallSubmissionFactory(call=call, city_name="Recife", country="BR", title="Night markets")
    call.phase = CallPhase.SCREENING

    assert call_duplicates_flag(call=call) == 1

    flagged = {s.pk: s.possible_duplicate_of_id for s in CallSubmission.objects.all()}
    assert flagged == {first.pk: None, again.pk: first.pk, elsewhere.pk: None, other.pk: None}
    assert similar_titles("Mobility for all", "Mobility for all citizens in the metropolitan area")
    assert not similar_titles("Green roofs", "Night buses")
