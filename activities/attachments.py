"""What an attachment to a submission may be: a PDF, JPEG or PNG file no
larger than the call allows, recognised from its content, never from its
name or from the type the browser declares. The forms check a file with
:func:`attachment_check` before anything is saved, and the services check it
again."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.validators import logo_format

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
# Pillow's name of each accepted image format and its media type.
IMAGE_TYPES = {"JPEG": JPEG, "PNG": PNG}
# How far from its end a PDF's end-of-file marker may be (trailing whitespace, an
# incremental-update comment).
PDF_TAIL = 2048


def _is_pdf(file: Any) -> bool:
    """A PDF starts with ``%PDF-`` and ends with ``%%EOF``."""
    try:
        file.seek(0)
        head = file.read(5)
        file.seek(0, 2)
        size = file.tell()
        file.seek(max(0, size - PDF_TAIL))
        tail = file.read()
    except OSError:
        return False
    finally:
        file.seek(0)
    return head == b"%PDF-" and b"%%EOF" in tail


def attachment_type(file: Any) -> str | None:
    """The media type of ``file`` (PDF, JPEG or PNG) read from its content;
    None for anything else."""
    if _is_pdf(file):
        return PDF
    return IMAGE_TYPES.get(logo_format(file) or "")


def attachment_check(file: Any, *, max_mb: int) -> str:
    """The media type of an acceptable attachment; refused: a file over
    ``max_mb`` megabytes, or one that is not a PDF, JPEG or PNG whatever its
    name says."""
    if file.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB is accepted."),
            code="attachment_too_big",
            params={"size": f"{file.size / (1024 * 1024):.1f}", "max": max_mb},
        )
    found = attachment_type(file)
    if found is None:
        raise ValidationError(
            _("Attach a PDF, JPEG or PNG file; this file is none of them, whatever its name says."),
            code="attachment_wrong_type",
        )
    return found
