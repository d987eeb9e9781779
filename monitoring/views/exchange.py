"""Downloads and uploads of a scheda: Excel (.xlsx) round-trip with preview, and the PDF; the import of many
schede of an Ambito (a job)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from accounts.scoping import EDIT, can
from core.exports import XLSX_CONTENT_TYPE
from monitoring.navigation import scheda_trail, schede_ambito_trail

from .. import pdf
from ..excel import ExcelImportError, parse_scheda_xlsx, preview_changes, scheda_to_xlsx
from ..forms import SchedeImportForm, UploadForm
from ..import_jobs import request_import
from ..selectors import editable_comuni, overview_comuni
from ..services import Conflict, SchedaError, scheda_save
from .common import ManagedAmbitoMixin, SchedaObjectMixin

logger = logging.getLogger(__name__)
SESSION_KEY = "scheda_upload"


def _filename(scheda, ext: str) -> str:
    return f"{scheda.modello.codice}-{scheda.comune.pk}-{scheda.comune.nome}.{ext}".replace(" ", "_").replace("'", "")


class XlsxDownloadView(SchedaObjectMixin, View):
    def get(self, request, pk):
        scheda = self.scheda
        response = HttpResponse(scheda_to_xlsx(scheda), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{_filename(scheda, "xlsx")}"'
        return response


class PdfDownloadView(SchedaObjectMixin, View):
    def get(self, request, pk):
        scheda = self.scheda
        try:
            data = pdf.scheda_pdf(scheda)
        except Exception:  # a broken PDF is never returned: log and tell the user
            logger.exception("PDF della scheda %s non generato", scheda.pk)
            messages.error(request, _("Non è stato possibile generare il PDF. L'errore è stato registrato."))
            return redirect(scheda.get_absolute_url())
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{_filename(scheda, "pdf")}"'
        return response


class XlsxUploadView(SchedaObjectMixin, View):
    """Step 1: upload and check the whole file, then show every value that would change. Step 2: apply."""

    template_name = "monitoring/upload.html"

    def render_page(self, request, scheda, context, status=200):
        trail = scheda_trail(request.user, scheda).then(_("Carica Excel"))
        return render(request, self.template_name, {"scheda": scheda, "breadcrumbs": trail, **context}, status=status)

    def get(self, request, pk):
        scheda = self._scheda(request, pk)
        return self.render_page(request, scheda, {"form": UploadForm()})

    def _scheda(self, request, pk):
        scheda = self.scheda
        if not can(request.user, EDIT, scheda):
            raise PermissionDenied(_("Non può modificare questa scheda."))
        return scheda

    def post(self, request, pk):
        scheda = self._scheda(request, pk)
        if "conferma" in request.POST:
            return self.apply(request, scheda)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(request, scheda, {"form": form}, status=400)
        data = form.cleaned_data["file"].read()
        try:
            values = parse_scheda_xlsx(data, scheda)
        except ExcelImportError as exc:
            return self.render_page(request, scheda, {"form": form, "errors": exc.errors}, status=400)
        changes = preview_changes(scheda, values)
        request.session[SESSION_KEY] = {
            "scheda": scheda.pk,
            "version": scheda.versione,
            "values": [[r, c, v] for (r, c), v in values.items()],
            "name": form.cleaned_data["file"].name,
        }
        return self.render_page(request, scheda, {"changes": changes, "preview": True})

    def apply(self, request, scheda):
        pending = request.session.get(SESSION_KEY)
        if not pending or pending["scheda"] != scheda.pk:
            messages.error(request, _("Nessun caricamento in attesa di conferma: ricaricare il file."))
            return redirect("monitoring:xlsx_upload", pk=scheda.pk)
        values = {(r, c): v for r, c, v in pending["values"]}
        try:
            scheda_save(scheda=scheda, user=request.user, values=values, expected_version=pending["version"])
        except Conflict:
            messages.error(request, _("La scheda è cambiata dopo il caricamento: ricaricare il file e verificare."))
            return redirect("monitoring:xlsx_upload", pk=scheda.pk)
        except SchedaError as exc:
            messages.error(request, _("Valori non applicati: %(e)s") % {"e": exc})
            return redirect("monitoring:xlsx_upload", pk=scheda.pk)
        finally:
            request.session.pop(SESSION_KEY, None)
        messages.success(request, _("Valori del file applicati alla scheda."))
        return redirect(scheda.get_absolute_url())


class SchedeImportView(ManagedAmbitoMixin, View):
    """«Importa schede» (Ufficio di Piano of the Ambito or administrator): the file of ``import_schede`` (JSON of
    many schede, or the .xlsx of one) is stored and imported by a job, all or nothing; the request only redirects
    to its progress page. Only the Comuni of the Ambito the user may edit are accepted."""

    template_name = "monitoring/schede_import.html"
    refusal = _lazy("Solo l'Ufficio di Piano dell'Ambito può importare le schede.")

    def _render(self, request, ambito, form, status=200):
        trail = schede_ambito_trail(request.user, ambito).then(_("Importa schede"))
        context = {"ambito": ambito, "form": form, "breadcrumbs": trail}
        return render(request, self.template_name, context, status=status)

    def get(self, request, slug):
        return self._render(request, self.ambito, SchedeImportForm())

    def post(self, request, slug):
        ambito = self.ambito
        form = SchedeImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, ambito, form, status=400)
        comuni = overview_comuni(ambito, request.user).filter(pk__in=editable_comuni(request.user).values("pk"))
        back = reverse("monitoring:overview", args=[ambito.slug])
        job = request_import(ambito, comuni, form.cleaned_data["file"], request.user, back)
        return redirect("jobs:detail", pk=job.pk)
