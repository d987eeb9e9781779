"""Fixtures of the report tests: the Magentino plan, text extraction from PDFs."""

import io
import re

from pypdf import PdfReader

PIANO_SLUG = "magentino-2025-2027"


def normalize(text: str) -> str:
    """PDF text as one line: hyphenated line ends joined, runs of whitespace collapsed."""
    text = re.sub(r"[\u2010\u00ad-]\s*\n\s*(?=[a-zà-ù])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(data: bytes) -> list[str]:
    return [normalize(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
