"""HTML to PDF with WeasyPrint, fetching nothing outside the project's own static
and media files."""

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


def render_pdf(html: str) -> tuple[bytes, int]:
    """Render ``html`` to PDF; returns the PDF and its page count. Title,
    language and author come from the document's <title>, <html lang> and
    <meta name="author">."""
    base_url = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=RestrictedURLFetcher()).render()
    return document.write_pdf(), len(document.pages)
