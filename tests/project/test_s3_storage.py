"""Files in S3-compatible buckets (FILE_STORAGE=s3), against moto's in-process
S3: logos are public at a plain address, private files (reports, attachments)
carry no public grant, have no address, and reach people only through the
portal's permission-checked views."""

import io

import boto3
import environ
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.urls import reverse
from moto import mock_aws
from PIL import Image

from metropolis.settings.base import s3_storages
from metropolis.storage import NoPublicAddress, PrivateS3Storage, PublicS3Storage
from reports.models import ReportKind, ReportRun, RunStatus
from tests.members.factories import CommunicationsFactory, MemberCityFactory

pytestmark = pytest.mark.django_db

PUBLIC, PRIVATE = "metropolis-public", "metropolis-private"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def buckets(settings, monkeypatch):
    """Two buckets in moto's S3, and the portal's storages on them, built from
    the environment variables exactly as the settings build them."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name, value in {
        "S3_PUBLIC_BUCKET": PUBLIC,
        "S3_PRIVATE_BUCKET": PRIVATE,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
        client.create_bucket(Bucket=PUBLIC)
        client.create_bucket(Bucket=PRIVATE)
        settings.STORAGES = {**settings.STORAGES, **s3_storages(environ.Env())}
        # A FileField resolves its storage callable once, when the model is
        # defined (a deployment's settings are read before that): point it anew.
        monkeypatch.setattr(ReportRun._meta.get_field("output"), "storage", storages["private"])
        yield client


def _anonymous():
    return boto3.client("s3", region_name="us-east-1", config=Config(signature_version=UNSIGNED))


def _grantees(client, bucket: str, key: str) -> set[str]:
    acl = client.get_object_acl(Bucket=bucket, Key=key)
    return {grant["Grantee"].get("URI") or grant["Grantee"].get("ID") for grant in acl["Grants"]}


def test_the_storages_are_the_buckets(buckets):
    assert isinstance(storages["private"], PrivateS3Storage)
    assert storages["private"].bucket_name == PRIVATE
    assert isinstance(default_storage, PublicS3Storage)
    assert default_storage.bucket_name == PUBLIC


def test_a_report_in_the_private_bucket_has_no_address_and_the_portal_serves_it(buckets, client):
    run = ReportRun.objects.create(
        kind=ReportKind.ANNUAL, year=2021, language="en", params_key="s3", status=RunStatus.SUCCEEDED
    )
    run.output.save("anything.pdf", ContentFile(b"%PDF-1.4 in the bucket"), save=True)

    stored = buckets.get_object(Bucket=PRIVATE, Key=run.output.name)
    assert stored["Body"].read() == b"%PDF-1.4 in the bucket"
    # Only the owner is granted anything: no public grant on the object.
    assert ALL_USERS not in _grantees(buckets, PRIVATE, run.output.name)
    # Nothing in the public bucket.
    assert buckets.list_objects_v2(Bucket=PUBLIC).get("KeyCount", 0) == 0
    # An anonymous request for the object is refused by the bucket.
    with pytest.raises(ClientError) as refused:
        _anonymous().get_object(Bucket=PRIVATE, Key=run.output.name)
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    # No address, signed or not, is ever made for it.
    with pytest.raises(NoPublicAddress):
        run.output.url  # noqa: B018

    # The permission-checked view streams it from the bucket...
    client.force_login(CommunicationsFactory())
    download = client.get(reverse("reports:download", args=[run.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 in the bucket"
    # ...and to nobody else.
    client.logout()
    assert client.get(reverse("reports:download", args=[run.pk])).status_code in (302, 403, 404)


def test_a_logo_in_the_public_bucket_is_readable_by_anyone_at_a_plain_address(buckets):
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(png, format="PNG")
    member = MemberCityFactory()
    member.logo.save("logo.png", ContentFile(png.getvalue()), save=True)

    url = member.logo.url
    assert url.startswith(f"https://{PUBLIC}.s3.amazonaws.com/") and "?" not in url
    assert ALL_USERS in _grantees(buckets, PUBLIC, member.logo.name)
    assert _anonymous().get_object(Bucket=PUBLIC, Key=member.logo.name)["Body"].read() == png.getvalue()
    assert buckets.list_objects_v2(Bucket=PRIVATE).get("KeyCount", 0) == 0
