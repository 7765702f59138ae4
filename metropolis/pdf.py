"""HTML to PDF with WeasyPrint, fetching nothing outside the project's own static
and media files."""

import gc
import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class ForbiddenResource(ValueError):
    """A report asked for a resource outside the project's static and media files."""


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


class RestrictedURLFetcher(URLFetcher):
    """Serves ``file:`` URLs under the static and media folders and ``data:``
    URLs; refuses everything else, so a report never reaches the network."""

    def __init__(self):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = _allowed_roots()

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ForbiddenResource(f"Reports may only use the portal's own files, not {url}")
        elif parsed.scheme != "data":
            raise ForbiddenResource(f"Reports may only use the portal's own files, not {url}")
        return super().fetch(url, headers)


def static_file_url(path: str) -> str:
    """The ``file:`` URL of a static file, for use inside a report."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).resolve().as_uri()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector during a layout: WeasyPrint builds
    millions of short-lived objects, few of them in cycles, and a full
    collection each time the young generation fills took about a sixth of a
    render. The thresholds are raised for the render and restored after it,
    with one collection at the end."""
    thresholds = gc.get_threshold()
    gc.freeze()  # what was alive before the render is not scanned again
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        gc.collect()


def render_document(html: str):
    """Lay out ``html``: the WeasyPrint document, for callers that join documents."""
    base_url = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=RestrictedURLFetcher()).render()


def write_document(document) -> bytes:
    """The PDF of a laid-out document. Its identifier is a digest of the
    document's own content, not random, so that the same HTML gives the same
    bytes (the creation date comes from the document's metadata)."""
    digest = hashlib.sha256(
        "\x00".join(
            [document.metadata.title or "", str(document.metadata.created or ""), str(len(document.pages))]
        ).encode()
    ).hexdigest()[:32]
    return document.write_pdf(pdf_identifier=digest.encode())


def render_pdf(html: str) -> tuple[bytes, int]:
    """Render ``html`` to PDF; returns the PDF and its page count. Title,
    language and author come from the document's <title>, <html lang> and
    <meta name="author">."""
    with fewer_collections():
        document = render_document(html)
        return write_document(document), len(document.pages)


def join_pdfs(files: list[bytes], *, title: str | None, created) -> bytes:
    """One PDF of the pages of ``files`` in order (a report laid out in parts).
    Its identifier is a digest of the parts, so that the same parts give the
    same bytes."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter()
    digest = hashlib.sha256()
    for content in files:
        digest.update(hashlib.sha256(content).digest())
        writer.append(io.BytesIO(content))
    writer.add_metadata(
        {"/Title": title or "", "/Producer": "Metropolis Portal", "/CreationDate": _pdf_date(created)}
    )
    identifier = ByteStringObject(digest.digest()[:16])
    writer._ID = ArrayObject([identifier, identifier])  # noqa: SLF001 - pypdf draws a random one otherwise
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _pdf_date(moment) -> str:
    if not moment:
        return ""
    return "D:" + str(moment).replace("-", "").replace(":", "").replace("T", "").replace(" ", "")[:14]
