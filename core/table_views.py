"""A page with one filtered, paginated django-tables2 table and its CSV/XLSX exports (core.exports), written once.

A view declares what its page shows in one `TablePage`: template, table, filters, where the rows come from (`rows`,
a selector applied to the page's object, `table_owner()`: the plan, the Ambito, the snapshot of the URL), the
names of its exports and the rows per page. The rest (queryset, pagination, filters, exports
and their file name) is the same for every table page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import QuerySet
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .exports import ExportMixin


@dataclass(frozen=True)
class TablePage:
    """What a table page shows: its template, table class and filterset class, its rows (a selector: the page's
    object → queryset), the title of the exported sheet, the first part of the exported file's name and the rows
    per page (None: django-tables2's default)."""

    template: str
    table: type
    filters: type
    rows: Callable[[Any], QuerySet]
    sheet: str
    export: str = "dati"
    per_page: int | None = 100


class TablePageView(ExportMixin, SingleTableMixin, FilterView):
    """The table page `page`: the rows are `page.rows(table_owner())`, the filters get `filter_kwargs()` as well, and an
    export is named after the page's export name and the owner's slug (override `export_filename()` otherwise)."""

    page: ClassVar[TablePage]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """The attributes django-filter, django-tables2 and ExportMixin read, from the class's own `page`."""
        super().__init_subclass__(**kwargs)
        page = cls.__dict__.get("page")
        if page is not None:
            cls.template_name = page.template
            cls.table_class = page.table
            cls.filterset_class = page.filters
            cls.table_pagination = None if page.per_page is None else {"per_page": page.per_page}
            cls.sheet_title = page.sheet
            cls.export_name = page.export

    def table_owner(self) -> Any:
        """The object whose rows the table shows."""
        raise NotImplementedError

    def filter_kwargs(self) -> dict[str, Any]:
        """What the filterset needs besides the data (for instance the plan whose areas it offers)."""
        return {}

    def get_queryset(self) -> QuerySet:
        return self.page.rows(self.table_owner())

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        return {**super().get_filterset_kwargs(filterset_class), **self.filter_kwargs()}

    def export_filename(self) -> str:
        return f"{self.export_name}-{self.table_owner().slug}"
