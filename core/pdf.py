"""PDF rendering with WeasyPrint from a Django template, shared by every PDF of the portal.

:func:`render_pdf` renders ``template_name`` (which extends ``reports/pdf/base.html``: A4 ``@page``, running
header, "Pagina X di Y" footer) and returns the PDF bytes. Resources are fetched by
:class:`StaticFilesFetcher`, which serves only the portal's own static files from disk (through the
staticfiles finders, or the collected files of ``STATIC_ROOT``), the uploaded images under the folders of
``settings.PDF_MEDIA_FOLDERS`` in ``MEDIA_ROOT`` (the Ambiti's logos; PNG and JPEG only, through
:func:`media_url`) and ``data:`` URLs; any other URL
(http, https, file, other media files such as the generated reports, ...) is refused, so a template can never make
the server fetch a remote or arbitrary local file.

The PDF is written as PDF/UA-1 (tagged, accessible) with its title, author and language (``it``) in the
document metadata.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["BASE_URL", "PDF_VARIANT", "StaticFilesFetcher", "media_url", "render_pdf"]

# Relative URLs in PDF templates (``{% static %}`` gives ``/static/...``) resolve against this fictitious
# origin (``.invalid`` never resolves), which the fetcher maps to files on disk.
BASE_URL = "https://portale.invalid/"
PDF_VARIANT = "pdf/ua-1"
# Uploaded files a PDF may show: under this URL prefix of the fictitious origin, only the logos' folder of
# MEDIA_ROOT and only these image types.
MEDIA_PREFIX = "/media/"
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _media_folders() -> tuple[str, ...]:
    return tuple(getattr(settings, "PDF_MEDIA_FOLDERS", ()))


def media_url(name: str) -> str:
    """The URL a PDF template uses for an uploaded file (e.g. ``ambito.logo.name``), served by the fetcher."""
    return f"{BASE_URL.rstrip('/')}{MEDIA_PREFIX}{quote(name)}" if name else ""


class StaticFilesFetcher(URLFetcher):
    """Serve ``https://portale.invalid/static/...`` from static files on disk, the logos of
    ``https://portale.invalid/media/ambiti/loghi/...`` from MEDIA_ROOT, and ``data:`` URLs; refuse the rest."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.static_path(url) or self.media_path(url)
        if path is None:
            raise ValueError(f"Risorsa non consentita nel PDF: {url}")
        mime, _ = mimetypes.guess_type(path.name)
        headers = {"Content-Type": mime or "application/octet-stream"}
        return URLFetcherResponse(url, body=path.read_bytes(), headers=headers)

    @staticmethod
    def static_path(url: str) -> Path | None:
        """The file on disk for a static URL of the fictitious origin, or ``None``."""
        base, parts = urlsplit(BASE_URL), urlsplit(url)
        prefix = urlsplit(settings.STATIC_URL).path
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(prefix):
            return None
        name = unquote(parts.path[len(prefix) :])
        if not name or ".." in Path(name).parts:
            return None
        found = finders.find(name)
        if found:
            return Path(found)
        try:  # collected (hashed) names in production, e.g. css/pdf.1a2b3c.css
            collected = Path(staticfiles_storage.path(name))
        except (NotImplementedError, ValueError):
            return None
        return collected if collected.is_file() else None

    @staticmethod
    def media_path(url: str) -> Path | None:
        """The uploaded image on disk for a media URL of the fictitious origin (see `media_url`), or ``None``:
        only PNG/JPEG files inside the allowed folders of MEDIA_ROOT (no ``..``, no link leading outside)."""
        base, parts = urlsplit(BASE_URL), urlsplit(url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(MEDIA_PREFIX):
            return None
        name = unquote(parts.path[len(MEDIA_PREFIX) :])
        if not name or "\\" in name or "\x00" in name or ".." in Path(name).parts or Path(name).is_absolute():
            return None
        if Path(name).suffix.lower() not in MEDIA_TYPES or not name.startswith(_media_folders()):
            return None
        root = Path(settings.MEDIA_ROOT).resolve()
        path = (root / name).resolve()
        if not any(path.is_relative_to(root / folder) for folder in _media_folders()) or not path.is_file():
            return None
        return path


def render_pdf(template_name: str, context: dict[str, Any], *, title: str, author: str) -> bytes:
    """Render a template extending ``reports/pdf/base.html`` to PDF bytes (PDF/UA-1, A4, page numbers).

    ``title`` and ``author`` go to the running header and the PDF metadata (``<title>``, ``<meta name=author>``).
    """
    html = render_to_string(template_name, {**context, "pdf_title": title, "pdf_author": author})
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)
