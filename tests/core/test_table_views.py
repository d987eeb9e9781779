"""core.table_views and core.tables.table_meta: a table page and a table declared once."""

import django_tables2 as tables

from core.table_views import TablePage, TablePageView
from core.tables import TABLE_CLASSES, table_meta
from territory.models import Comune


def _rows(owner):
    return Comune.objects.filter(ambito=owner)


class _Table(tables.Table):
    nome = tables.Column()

    Meta = table_meta(Comune, ("nome",), testid="tabella-prova", empty_text="Nessun Comune.")


class _Filters:
    pass


class _Page(TablePageView):
    page = TablePage("prova.html", _Table, _Filters, _rows, "Comuni di prova", export="comuni", per_page=25)

    def table_owner(self):
        return "owner"


class _DefaultPage(_Page):
    page = TablePage("prova.html", _Table, _Filters, _rows, "Comuni")


def test_the_page_sets_what_django_tables2_django_filter_and_the_exports_read():
    assert _Page.template_name == "prova.html"
    assert _Page.table_class is _Table
    assert _Page.filterset_class is _Filters
    assert _Page.table_pagination == {"per_page": 25}
    assert (_Page.sheet_title, _Page.export_name) == ("Comuni di prova", "comuni")
    assert (_DefaultPage.table_pagination, _DefaultPage.export_name) == ({"per_page": 100}, "dati")


def test_no_rows_per_page_leaves_django_tables2_its_default():
    class Unpaged(_Page):
        page = TablePage("prova.html", _Table, _Filters, _rows, "Comuni", per_page=None)

    assert Unpaged.table_pagination is None


def test_the_rows_are_the_selector_applied_to_the_owner(db, magentino):
    view = _Page()
    view.table_owner = lambda: magentino
    assert list(view.get_queryset()) == list(Comune.objects.filter(ambito=magentino))


def test_table_meta_shows_only_the_declared_columns_in_order():
    meta = _Table._meta
    assert meta.model is Comune
    assert meta.fields == ()
    assert meta.sequence == ("nome",)
    assert meta.attrs == {"class": TABLE_CLASSES, "data-testid": "tabella-prova"}
    assert meta.empty_text == "Nessun Comune."
