"""Forms of the schede pages (PortalForm: the Bootstrap Italia classes come from core.forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm
from core.uploads import CheckedFileForm

from .models import ModelloScheda, Stato


class SchedaCreateForm(PortalForm):
    modello = forms.ModelChoiceField(label=_("Modello"), queryset=ModelloScheda.objects.filter(attivo=True))
    comune = forms.ChoiceField(label=_("Comune"))
    copia = forms.BooleanField(
        label=_("Precompila con i valori della scheda dell'anno precedente (stessi codici di riga e colonna)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, comuni=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comune"].choices = [(c.pk, f"{c.nome} ({c.pk})") for c in comuni]


class TransitionForm(forms.Form):
    azione = forms.ChoiceField(choices=[(a, a) for a in ("invia", "valida", "rimanda", "riapri")])
    motivo = forms.CharField(label=_("Motivazione"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(CheckedFileForm):
    """A scheda's workbook: extension and size checked as ``import_schede`` does (core.uploads)."""

    extensions = (".xlsx",)
    file = forms.FileField(label=_("File Excel della scheda (.xlsx)"))


class SchedeImportForm(CheckedFileForm):
    """A file of schede: extension and size checked as ``import_schede`` does (core.uploads)."""

    extensions = (".json", ".xlsx")
    file = forms.FileField(label=_("File delle schede (.json o .xlsx)"))


class OverviewFilterForm(PortalForm):
    q = forms.CharField(label=_("Comune"), required=False)
    modello = forms.ChoiceField(label=_("Modello"), required=False)
    stato = forms.ChoiceField(
        label=_("Stato"),
        required=False,
        choices=[("", _("Tutti")), ("non_iniziata", _("Non iniziata")), *Stato.choices],
    )
    scadute = forms.BooleanField(label=_("Solo scadute e non inviate"), required=False)

    def __init__(self, *args, modelli=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modello"].choices = [("", _("Tutti")), *((m.codice, m.codice) for m in modelli)]


class OutlierFilterForm(PortalForm):
    """Filters of the page «Anomalie rispetto allo storico» of an Ambito (GET)."""

    modello = forms.ChoiceField(label=_("Modello"), required=False)
    comune = forms.ChoiceField(label=_("Comune"), required=False)
    quadro = forms.TypedChoiceField(label=_("Quadro"), required=False, coerce=int, empty_value=None)
    giustificati = forms.ChoiceField(
        label=_("Giustificazione"),
        required=False,
        choices=[("", _("Tutti")), ("no", _("Da giustificare")), ("si", _("Giustificati"))],
    )

    def __init__(self, *args, modelli=(), comuni=(), quadri=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modello"].choices = [(m.codice, str(m)) for m in modelli]
        self.fields["comune"].choices = [("", _("Tutti")), *((codice, nome) for codice, nome in comuni)]
        self.fields["quadro"].choices = [("", _("Tutti")), *((q.number, f"{q.number} — {q.title}") for q in quadri)]
