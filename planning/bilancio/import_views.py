"""«Importa impegni e liquidazioni» (issue 14, point 4): upload of the Ambito's accounting export, preview of every
row and every error, then apply, all or nothing (planning.bilancio.movimenti_import). A file above
MOVIMENTI_IMPORT_JOB_KB is imported by a job of the task queue instead (planning.bilancio.movimenti_jobs).

Only the Ufficio di Piano (EDIT on the plan's Ambito) on a modifiable plan: the Dirigente gets 403, the Operatore
comunale and another Ambito's users 404 (the plan is not among those they read).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.uploads import CheckedFileForm
from planning.navigation import bilancio_trail

from ..piano.views.mixins import PianoMixin
from . import movimenti_file
from . import movimenti_import as imp
from . import movimenti_jobs as jobs
from .views import assert_can_edit

SESSION_KEY = "movimenti_import"


class MovimentiImportForm(CheckedFileForm):
    """The accounting export: extension and size checked as every upload's (core.uploads)."""

    extensions = movimenti_file.EXTENSIONS
    file = forms.FileField(
        label=gettext_lazy("File della contabilità (.csv o .xlsx)"),
        help_text=gettext_lazy(
            "Colonne: fondo, annualità, intervento, anno, tipo, natura, data, atto, importo. "
            "CSV separato da «;» o «,», in UTF-8."
        ),
    )


class MovimentiImportView(PianoMixin, View):
    """GET: the upload form. POST with a file: check and preview (nothing saved). POST «conferma»: apply."""

    template_name = "planning/bilancio_files/movimenti_import.html"

    def check_scoped_object(self, obj) -> None:
        """403 without EDIT on the plan's Ambito (the Dirigente) or on a locked plan."""
        assert_can_edit(self.request.user, self.piano)

    def trail(self, piano):
        return bilancio_trail(self.request.user, piano).then(_("Importa impegni e liquidazioni"))

    def render_page(self, context: dict, status: int = 200):
        piano = self.piano
        soglia = jobs.job_threshold_bytes() // 1024
        context = {**self.piano_context(piano), "colonne": movimenti_file.COLUMNS, "soglia_kb": soglia, **context}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page({"form": MovimentiImportForm()})

    def post(self, request, *args, **kwargs):
        if "conferma" in request.POST:
            return self.apply()
        form = MovimentiImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page({"form": form}, status=400)
        upload = form.cleaned_data["file"]
        request.session.pop(SESSION_KEY, None)
        if jobs.as_job(upload):  # a large file: checked and written by the task queue, progress on the job's page
            back = reverse("planning:bilancio", args=[self.piano.slug])
            job = jobs.request_movimenti_import(self.piano, upload, request.user, back)
            return redirect("jobs:detail", pk=job.pk)
        try:
            raw_rows = movimenti_file.read_file(upload.name, upload.read())
        except movimenti_file.ImportFileError as exc:
            return self.render_page({"form": form, "errors": exc.errors, "nome": upload.name}, status=400)
        result = imp.check_rows(self.piano, raw_rows, user=request.user)
        context = {"form": form, "nome": upload.name, "rows": result.rows, "errors": result.errors, "preview": True}
        if result.errors:
            return self.render_page(context, status=400)
        request.session[SESSION_KEY] = {
            "piano": self.piano.pk,
            "nome": upload.name,
            "rows": [row.as_dict() for row in result.rows],
        }
        return self.render_page(context)

    def apply(self):
        request = self.request
        pending = request.session.pop(SESSION_KEY, None)
        here = reverse("planning:movimenti_import", args=[self.piano.slug])
        if not pending or pending.get("piano") != self.piano.pk:
            messages.error(request, _("Nessun file in attesa di conferma: caricarlo di nuovo."))
            return redirect(here)
        rows = [imp.CheckedRow(**row) for row in pending["rows"]]
        try:
            count = imp.apply_rows(self.piano, rows, user=request.user)
        except imp.ApplyError as exc:
            messages.error(request, str(exc))
            return redirect(here)
        messages.success(
            request,
            _("%(n)s impegni e liquidazioni del file «%(f)s» registrati.") % {"n": count, "f": pending["nome"]},
        )
        return redirect(reverse("planning:bilancio", args=[self.piano.slug]))
