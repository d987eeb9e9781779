"""Pagination of the API's lists: `page` and `page_size` (at most 200 rows), with the total `count`."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Pagine(PageNumberPagination):
    """ninja's page-number pagination with bounded parameters (a page number too large is an empty page)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, description="Numero della pagina (dalla prima)")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="Righe per pagina")

    def __init__(self, **kwargs) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)
