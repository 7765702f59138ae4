"""Checks of what member cities upload: a logo is a PNG or JPEG image of at most
2 MB, recognised from its content (Pillow), never from its file name, and stored
under a generated name."""

import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
# A logo is shown at most a few hundred pixels wide: 4,000 x 4,000 is ample, and
# it keeps the decoded image (4 bytes a pixel) under 64 MB. A small file can
# declare a huge image (a PNG of one colour compresses to almost nothing).
LOGO_MAX_PIXELS = 4000 * 4000
# Pillow's name of each accepted format and the extension the stored file gets.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def logo_pixels(file: Any) -> int | None:
    """Width times height as the image's header declares them, read without
    decoding the image; None when it is not an image Pillow can read."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            width, height = image.size
    except Image.DecompressionBombError as bomb:
        # Pillow refuses to open an image this large; its message gives the size.
        declared = re.search(r"\((\d+) pixels\)", str(bomb))
        return int(declared.group(1)) if declared else LOGO_MAX_PIXELS + 1
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        file.seek(0)
    return width * height


def logo_format(file: Any) -> str | None:
    """The Pillow format of ``file`` ("PNG", "JPEG", ...), None when it is not an
    image Pillow can read. The file is read from its start and rewound."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            found = image.format
            # verify() reads the whole file: a PNG header followed by rubbish fails here.
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        file.seek(0)
    return found


def validate_logo(value: Any) -> None:
    """Refuse a new logo that is over 2 MB, declares more than 16 megapixels,
    or is not a PNG or JPEG image.

    Only a file being uploaded is checked: a logo already stored passed this
    check when it arrived, and re-reading it on every ``full_clean()`` of the
    member (a lifecycle step, an invoice) would make those depend on the storage.
    """
    if not value or getattr(value, "_committed", True):
        return
    if value.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s MB; at most 2 MB is accepted."),
            code="logo_too_big",
            params={"size": f"{value.size / (1024 * 1024):.1f}"},
        )
    pixels = logo_pixels(value)
    if pixels is not None and pixels > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The logo is %(megapixels)s megapixels; at most 16 megapixels (4,000 × 4,000) are accepted."),
            code="logo_too_many_pixels",
            params={"megapixels": f"{pixels / 1_000_000:,.0f}"},
        )
    if logo_format(value) not in LOGO_FORMATS:
        raise ValidationError(
            _("The logo must be a PNG or JPEG image; this file is not one, whatever its name says."),
            code="logo_not_an_image",
        )


def logo_upload_to(instance: Any, filename: str) -> str:
    """A generated name: nothing of the uploader's file name reaches the storage,
    and the extension follows the content."""
    found = logo_format(instance.logo) if instance.logo else None
    return f"logos/{uuid.uuid4().hex}.{LOGO_FORMATS.get(found or '', 'img')}"
