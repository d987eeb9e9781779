"""URLs of the budget's files (issue 14, points 4 and 5): the import of commitments and payments, the fund
reports (XLSX) and the budget deadlines. Included by planning/urls.py (app «planning»)."""

from django.urls import path

from . import import_views, report_views

urlpatterns_bilancio_files = [
    path(
        "piani-di-zona/<slug:slug>/bilancio/importa-movimenti/",
        import_views.MovimentiImportView.as_view(),
        name="movimenti_import",
    ),
    path("piani-di-zona/<slug:slug>/bilancio/rendiconti/", report_views.RendicontiView.as_view(), name="rendiconti"),
    path(
        "piani-di-zona/<slug:slug>/bilancio/rendiconti/<int:pk>.xlsx",
        report_views.RendicontoFondoView.as_view(),
        name="rendiconto_fondo",
    ),
    path(
        "piani-di-zona/<slug:slug>/bilancio/scadenze.ics", report_views.BilancioIcsView.as_view(), name="bilancio_ics"
    ),
]
