"""The personal QR code of a registration (segno): it holds the registration's
personal code, which the check-in page at the door reads with the phone's
camera. PNG for e-mails, SVG for pages."""

import io

import segno

# Error correction "M": a code on a cracked phone screen still reads.
ERROR_CORRECTION = "m"


def qr_png(code: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error=ERROR_CORRECTION, micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(code: str, *, scale: int = 6, title: str = "") -> str:
    """An inline SVG element (no XML declaration), for a page."""
    buffer = io.BytesIO()
    segno.make(code, error=ERROR_CORRECTION, micro=False).save(
        buffer,
        kind="svg",
        scale=scale,
        border=4,
        xmldecl=False,
        svgns=True,
        title=title or None,
        svgclass="qr-code",
        lineclass=None,
    )
    return buffer.getvalue().decode()
