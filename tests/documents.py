"""Reading back what the portal sends: a response's bytes, a PDF's text and metadata (pypdf), a workbook's rows
(openpyxl)."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook
from pypdf import PdfReader


def body(response) -> bytes:
    """The bytes of a response, streamed or not."""
    return b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content


def normalize(text: str) -> str:
    """PDF text as one line: hyphenated line ends joined, runs of whitespace collapsed."""
    text = re.sub(r"[\u2010\u00ad-]\s*\n\s*(?=[a-zà-ù])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, normalized."""
    return [normalize(page.extract_text()) for page in pdf_reader(data).pages]


def pdf_text(data: bytes) -> str:
    """The whole text with whitespace collapsed (lines wrap anywhere)."""
    return " ".join(" ".join(page.extract_text() for page in pdf_reader(data).pages).split())


def assert_tagged_pdf(data: bytes, *, title: str, author: str) -> PdfReader:
    """A PDF with the given title and author, in Italian, tagged (PDF/UA-1); the reader, for further checks."""
    assert data.startswith(b"%PDF")
    reader = pdf_reader(data)
    assert reader.metadata.title == title
    assert reader.metadata.author == author
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "it"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    return reader


def read_xlsx(data: bytes, **options) -> Workbook:
    """The workbook in `data`; `options` as for openpyxl's load_workbook (read_only=True...)."""
    return load_workbook(io.BytesIO(data), **options)


def xlsx_rows(data: bytes, **bounds) -> list[tuple]:
    """The values of the first sheet's rows; `bounds` as for openpyxl's iter_rows (min_row=...)."""
    return list(read_xlsx(data).active.iter_rows(values_only=True, **bounds))
