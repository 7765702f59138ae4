"""A registrant's certificate is a private file: the admin names it, never links to it."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.activities.factories import RegistrationFactory
from tests.members.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_registration_admin_names_the_certificate_without_an_address(client):
    registration = RegistrationFactory()
    registration.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4 certificate"), save=True)
    client.force_login(StaffFactory())

    response = client.get(reverse("admin:activities_registration_change", args=[registration.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    file_name = registration.certificate.name.rsplit("/", 1)[-1]
    assert file_name in page
    assert f'href="/media/{registration.certificate.name}"' not in page
