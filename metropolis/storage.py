"""Where the portal keeps files.

- ``default`` storage: public files only, such as city logos. On one machine
  ``MEDIA_ROOT``, served under ``MEDIA_URL`` by the HTTPS front; on several, a
  public S3-compatible bucket (``PublicS3Storage``).
- ``private`` storage: rendered reports, attachments, certificates,
  personal-data exports. On one machine ``PRIVATE_MEDIA_ROOT``, on several a
  private bucket (``PrivateS3Storage``). Either way it has no public address:
  its ``url()`` refuses, and a view that checks the permission streams each
  file (``private_file_response``).
"""

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse
from storages.backends.s3 import S3Storage


class NoPublicAddress(ValueError):
    """A private file was asked for a URL: it has none, a view serves it."""


class _PrivateFiles:
    def url(self, name, *args, **kwargs):
        raise NoPublicAddress(f"{name} is a private file: a view that checks the permission serves it")


class PrivateFileSystemStorage(_PrivateFiles, FileSystemStorage):
    """Private files on this machine's disk, outside ``MEDIA_ROOT``."""


class PrivateS3Storage(_PrivateFiles, S3Storage):
    """Private files in a bucket: every object is written with the ``private``
    canned ACL (no public grant, whatever the bucket's defaults), and no
    address, signed or not, is ever handed out."""

    default_acl = "private"
    querystring_auth = True


class PublicS3Storage(S3Storage):
    """Public files (logos) in a bucket, readable by anyone at a plain URL."""

    default_acl = "public-read"
    querystring_auth = False


def private_storage() -> Storage:
    """The private storage (a callable, so that a FileField's ``storage=``
    follows the settings, tests and deployments included)."""
    return storages["private"]


def private_file_response(file, *, filename: str, content_type: str) -> FileResponse:
    """Stream a private file as an attachment named ``filename`` (Django quotes
    it safely in ``Content-Disposition``), never cached by a shared cache."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
