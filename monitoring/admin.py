"""Admin of the schede: templates (JSON definition checked by the engine on save), schede and values."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_lists import CompactListMixin
from monitoring.engine import FormulaError, TemplateError, compile_template

from .models import ModelloScheda, Scheda, ValoreCella


class ModelloSchedaForm(forms.ModelForm):
    class Meta:
        model = ModelloScheda
        fields = ["codice", "titolo", "servizio", "anno_riferimento", "scadenza", "versione", "attivo", "definizione"]
        widgets = {"definizione": forms.Textarea(attrs={"rows": 30, "cols": 120, "style": "font-family: monospace"})}

    def clean_definizione(self):
        definition = self.cleaned_data["definizione"]
        try:
            compiled = compile_template(definition)
        except (TemplateError, FormulaError) as exc:
            raise forms.ValidationError(_("Definizione non valida: %(e)s") % {"e": exc}) from exc
        code = self.cleaned_data.get("codice")
        if code and compiled.definition.code != code:
            raise forms.ValidationError(
                _("Il codice nella definizione (%(d)s) è diverso dal codice del modello (%(c)s).")
                % {"d": compiled.definition.code, "c": code}
            )
        return definition


@admin.register(ModelloScheda)
class ModelloSchedaAdmin(CompactListMixin, SimpleHistoryAdmin):
    form = ModelloSchedaForm
    list_display = ["codice", "servizio", "anno_riferimento", "scadenza", "versione", "attivo", "aggiornato_il"]
    list_filter = ["attivo", "anno_riferimento", "servizio"]
    search_fields = ["codice", "titolo"]
    readonly_fields = ["struttura", "aggiornato_il"]
    fieldsets = [
        (None, {"fields": ["codice", "titolo", "servizio", "anno_riferimento", "scadenza", "versione", "attivo"]}),
        (_("Struttura (quadri, righe, colonne, celle)"), {"fields": ["struttura"]}),
        (_("Definizione JSON (verificata dal motore di calcolo al salvataggio)"), {"fields": ["definizione"]}),
    ]

    @admin.display(description=_("struttura"))
    def struttura(self, obj):
        if not obj or not obj.pk:
            return "—"
        compiled = obj.compiled()
        labels = {c.code: c.label for c in compiled.definition.columns}
        rows = []
        for quadro in compiled.definition.quadri:
            rows.append((f"Quadro {quadro.number}", quadro.title, quadro.applies_if or "sempre", ""))
            for row in quadro.rows():
                cells = "; ".join(
                    f"{c.col} ({labels.get(c.col, '')}): {c.kind}{' = ' + c.formula if c.formula else ''}"
                    for c in row.cells
                )
                rows.append((row.display_code, row.label[:90], row.unit, cells))
        body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td><td><code>{}</code></td></tr>", rows)
        return format_html(
            "<table><thead><tr><th>Codice</th><th>Voce</th><th>Unità / condizione</th><th>Celle</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            body,
        )


class ValoreCellaInline(admin.TabularInline):
    model = ValoreCella
    extra = 0
    fields = ["riga", "colonna", "valore", "commento", "precompilato"]


@admin.register(Scheda)
class SchedaAdmin(CompactListMixin, SimpleHistoryAdmin):
    list_display = ["modello", "comune", "stato", "completezza", "n_errori", "n_avvisi", "modificata_il"]
    list_filter = ["stato", "modello", "comune__ambito"]
    search_fields = ["comune__nome", "comune__codice_istat"]
    autocomplete_fields = ["comune"]
    list_select_related = ["modello", "comune"]
    readonly_fields = ["risultati", "n_errori", "n_avvisi", "completezza", "versione"]
    inlines = [ValoreCellaInline]


@admin.register(ValoreCella)
class ValoreCellaAdmin(CompactListMixin, SimpleHistoryAdmin):
    list_display = ["scheda", "riga", "colonna", "valore", "precompilato", "modificato_il"]
    list_filter = ["scheda__modello", "precompilato"]
    search_fields = ["scheda__comune__nome", "riga", "colonna"]
    list_select_related = ["scheda", "scheda__modello", "scheda__comune"]


# --- Quarterly snapshots of the Piano di Zona (monitoring/snapshots) --------------------------------
from .snapshots.models import Rilevazione, StatoAzioneRilevato, ValoreIndicatoreRilevato  # noqa: E402


class _ClosedReadOnly(CompactListMixin):
    """Entries of a closed snapshot cannot be changed, not even here (lists as in core.admin_lists)."""

    def _closed(self, obj) -> bool:
        rilevazione = obj if isinstance(obj, Rilevazione) else getattr(obj, "rilevazione", None)
        return bool(rilevazione and rilevazione.chiusa)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and not (obj is not None and self._closed(obj))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and not (obj is not None and self._closed(obj))


@admin.register(Rilevazione)
class RilevazioneAdmin(_ClosedReadOnly, SimpleHistoryAdmin):
    list_display = ["piano", "anno", "trimestre", "stato", "dimostrativa", "chiusa_il"]
    list_filter = ["stato", "piano"]
    list_select_related = ["piano"]


@admin.register(StatoAzioneRilevato)
class StatoAzioneRilevatoAdmin(_ClosedReadOnly, SimpleHistoryAdmin):
    list_display = ["rilevazione", "azione", "stato"]
    list_filter = ["rilevazione", "stato"]
    list_select_related = ["rilevazione__piano", "azione"]
    raw_id_fields = ["azione"]


@admin.register(ValoreIndicatoreRilevato)
class ValoreIndicatoreRilevatoAdmin(_ClosedReadOnly, SimpleHistoryAdmin):
    list_display = ["rilevazione", "indicatore", "valore"]
    list_filter = ["rilevazione"]
    list_select_related = ["rilevazione__piano", "indicatore"]
    raw_id_fields = ["indicatore"]
