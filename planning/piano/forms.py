"""Forms of the Piano di Zona: plan, approval, variazione, chapter (Markdown), structure, intervention card
(core fields + template answers) and inline formsets for actions, indicators and resources."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.formatting import it_number
from core.forms import ItalianDecimalField, PortalForm, PortalModelForm

from .. import models

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AmountField(ItalianDecimalField):
    """An amount typed the Italian way (1.234,56), with two decimals."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)


def non_negative(value, label) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError(
            _("«%(campo)s»: l'importo non può essere negativo (indicato %(valore)s).")
            % {"campo": label, "valore": it_number(value, 2)}
        )


class PianoForm(PortalModelForm):
    # Who signs the approved plan and where (the approval block of the PDF): edited once the plan exists.
    FIRME = ["presidente_assemblea", "responsabile_ufficio_piano", "luogo_approvazione"]

    class Meta:
        model = models.PianoDiZona
        fields = [
            "ambito", "titolo", "anno_inizio", "anno_fine", "note",
            "presidente_assemblea", "responsabile_ufficio_piano", "luogo_approvazione",
        ]  # fmt: skip
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, ambiti=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["ambito"]
        else:
            self.fields["ambito"].queryset = ambiti
            for name in self.FIRME:
                del self.fields[name]


class StatoPianoForm(PortalForm):
    """The next state of the plan and its approval details, pre-filled with the stored ones.

    The page carries the state it was shown in (``da_stato``) and the details as shown (Django's hidden initial
    values), so a page loaded before somebody else's change neither moves the plan from a state it has left nor
    writes back details it merely displayed: :meth:`approvazione` holds only those the user changed.
    """

    APPROVAZIONE = ("atto_approvazione", "data_approvazione", "accordo_programma", "data_accordo")

    da_stato = forms.ChoiceField(choices=models.StatoPiano.choices, required=False, widget=forms.HiddenInput)
    stato = forms.ChoiceField(label=_("Nuovo stato"), choices=models.StatoPiano.choices)
    atto_approvazione = forms.CharField(label=_("Atto di approvazione"), required=False, max_length=300)
    data_approvazione = forms.DateField(label=_("Data di approvazione"), required=False, widget=DATE_WIDGET)
    accordo_programma = forms.CharField(label=_("Accordo di programma"), required=False, max_length=300)
    data_accordo = forms.DateField(label=_("Data dell'Accordo di programma"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, piano: models.PianoDiZona, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["da_stato"].initial = piano.stato
        shown = self.data.get(self.add_prefix("da_stato")) if self.is_bound else None
        da = models.StatoPiano(shown if shown in models.StatoPiano.values else piano.stato)
        # The choices the page offered: a move from a state the plan has left is refused by piano_transition.
        self.fields["stato"].choices = [(s.value, s.label) for s in models.TRANSIZIONI[da]]
        for name in self.APPROVAZIONE:
            self.fields[name].initial = getattr(piano, name)
            self.fields[name].show_hidden_initial = True  # the value as shown travels with the page

    def approvazione(self) -> dict:
        """The approval details the user changed on the page (after ``is_valid()``)."""
        return {name: self.cleaned_data[name] for name in self.APPROVAZIONE if name in self.changed_data}


class VariazioneForm(PortalForm):
    motivazione = forms.CharField(label=_("Motivazione della variazione"), widget=forms.Textarea(attrs={"rows": 3}))
    atto = forms.CharField(label=_("Atto che autorizza la variazione"), required=False, max_length=300)


class CapitoloForm(PortalModelForm):
    """Title, type, order and Markdown text of a chapter. The instance carries its plan (also when new), so the
    model's `clean()` can refuse a typed kind the plan already has, with the error on the type field."""

    class Meta:
        model = models.Capitolo
        fields = ["titolo", "tipo", "ordine", "corpo"]
        widgets = {"corpo": forms.Textarea(attrs={"rows": 18, "class": "form-control font-monospace"})}
        help_texts = {
            "corpo": _("Markdown: **grassetto**, *corsivo*, elenchi con «- », tabelle. HTML e script sono rimossi.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tipo"].required = False  # not sent: the chapter keeps its type (a new one is «Testo libero»)

    def clean_tipo(self) -> str:
        return self.cleaned_data.get("tipo") or self.instance.tipo or models.TipoCapitolo.LIBERO


class AreaForm(PortalModelForm):
    class Meta:
        model = models.Area
        fields = ["codice", "titolo", "descrizione", "ordine"]
        widgets = {"descrizione": forms.Textarea(attrs={"rows": 3})}


class ObiettivoForm(PortalModelForm):
    class Meta:
        model = models.Obiettivo
        fields = ["area", "parent", "sub_ambito", "livello", "codice", "titolo", "descrizione", "ordine"]
        widgets = {"titolo": forms.Textarea(attrs={"rows": 2}), "descrizione": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, piano: models.PianoDiZona, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.piano = piano
        self.fields["area"].queryset = piano.aree.all()
        self.fields["parent"].queryset = piano.obiettivi.filter(parent__isnull=True).exclude(pk=self.instance.pk)
        sub = piano.ambito.sub_ambiti.all()
        if sub:
            self.fields["sub_ambito"].queryset = sub
        else:
            del self.fields["sub_ambito"]


class InterventoForm(PortalModelForm):
    """Core facts of an intervention card."""

    class Meta:
        model = models.Intervento
        fields = [
            "obiettivo", "codice", "titolo", "stato", "descrizione", "target",
            "risorse_descrizione", "personale", "fondi", "leps", "partner",
        ]  # fmt: skip
        widgets = {
            "titolo": forms.TextInput(),
            "descrizione": forms.Textarea(attrs={"rows": 3}),
            "target": forms.Textarea(attrs={"rows": 2}),
            "risorse_descrizione": forms.Textarea(attrs={"rows": 2}),
            "personale": forms.Textarea(attrs={"rows": 2}),
            "fondi": forms.CheckboxSelectMultiple,
            "leps": forms.CheckboxSelectMultiple,
            "partner": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, piano: models.PianoDiZona, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.piano = piano
        self.fields["obiettivo"].queryset = piano.obiettivi.select_related("area", "parent")
        self.fields["obiettivo"].label_from_instance = lambda o: (f"{o.area.codice} · {o}" if o.area_id else str(o))[
            :160
        ]
        self.fields["fondi"].queryset = models.Fondo.objects.all()
        self.fields["leps"].queryset = models.Leps.objects.all()
        self.fields["partner"].queryset = models.AttoreRete.objects.filter(ambito=piano.ambito)
        self.fields["partner"].help_text = _("Tenere premuto Ctrl (⌘ su Mac) per sceglierne più d'uno.")


class ValoriSchedaForm(PortalForm):
    """The template's typed questions, built from the models.CampoModello rows in order."""

    SI_NO = [("", _("— non indicato —")), ("si", _("Sì")), ("no", _("No"))]

    def __init__(
        self,
        *args,
        modello: models.ModelloIntervento,
        intervento: models.Intervento | None = None,
        campi=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.modello = modello
        self.campi = [
            c for c in (campi if campi is not None else modello.campi.all()) if c.tipo != models.TipoCampo.BASE
        ]
        existing = {}
        if intervento is not None and intervento.pk:
            existing = {
                v.campo_id: v for v in intervento.valori.prefetch_related("macro_aree", "voci_punti_chiave__punto")
            }
        for campo in self.campi:
            self._add_fields(campo, existing.get(campo.pk))

    def _add_fields(self, campo: models.CampoModello, valore: models.ValoreCampo | None) -> None:
        name, label = campo.chiave, campo.etichetta
        nota_label = _("Nota a «%(campo)s»") % {"campo": label[:60]}
        textarea = forms.Textarea(attrs={"rows": 2})
        if campo.tipo == models.TipoCampo.TESTO:
            self.fields[name] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
            self.initial[name] = valore.testo if valore else ""
            return
        if campo.tipo == models.TipoCampo.SI_NO:
            self.fields[name] = forms.ChoiceField(label=label, required=False, choices=self.SI_NO)
            self.initial[name] = "" if not valore or valore.si_no is None else ("si" if valore.si_no else "no")
        elif campo.tipo == models.TipoCampo.SCELTA:
            self.fields[name] = forms.ChoiceField(
                label=label, required=False, choices=[("", _("— non indicato —")), *campo.opzioni]
            )
            self.initial[name] = (valore.scelte or [""])[0] if valore else ""
        elif campo.tipo == models.TipoCampo.SCELTA_MULTIPLA:
            self.fields[name] = forms.MultipleChoiceField(
                label=label, required=False, choices=campo.opzioni, widget=forms.CheckboxSelectMultiple
            )
            self.initial[name] = valore.scelte if valore else []
        elif campo.tipo == models.TipoCampo.MACRO_AREE:
            self.fields[name] = forms.ModelMultipleChoiceField(
                label=label,
                required=False,
                queryset=models.MacroArea.objects.all(),
                widget=forms.CheckboxSelectMultiple,
            )
            self.initial[name] = [m.pk for m in valore.macro_aree.all()] if valore else []
        elif campo.tipo == models.TipoCampo.PUNTI_CHIAVE:
            field = forms.ModelMultipleChoiceField(
                label=label,
                required=False,
                queryset=models.PuntoChiave.objects.select_related("macro_area"),
                widget=forms.SelectMultiple(attrs={"size": 10}),
            )
            field.label_from_instance = lambda p: f"{p.macro_area} · {p.testo}" if p.macro_area_id else p.testo
            self.fields[name] = field
            self.initial[name] = [v.punto_id for v in valore.voci_punti_chiave.all()] if valore else []
        elif campo.tipo == models.TipoCampo.IMPORTO:
            self.fields[name] = AmountField(label=f"{label} (€)", required=False)
            self.initial[name] = valore.importo if valore else None
        self.fields[f"{name}__nota"] = forms.CharField(label=nota_label, required=False, widget=textarea)
        self.initial[f"{name}__nota"] = valore.testo if valore else ""

    def clean(self):
        cleaned = super().clean()
        for campo in self.campi:
            if campo.tipo == models.TipoCampo.IMPORTO:
                try:
                    non_negative(cleaned.get(campo.chiave), campo.etichetta)
                except forms.ValidationError as exc:
                    self.add_error(campo.chiave, exc)
        return cleaned

    def grouped(self):
        """(campo, field, nota field) in template order, for the template."""
        for campo in self.campi:
            nota = f"{campo.chiave}__nota"
            yield campo, self[campo.chiave], (self[nota] if nota in self.fields else None)


class PianoRowForm(PortalModelForm):
    """A row of an inline formset of the plan: it knows the plan, and its year (`anno`, if any) must fall within
    the plan's period."""

    def __init__(self, *args, piano: models.PianoDiZona | None = None, **kwargs):
        self.piano = piano
        super().__init__(*args, **kwargs)

    def clean_anno(self):
        anno = self.cleaned_data.get("anno")
        if self.piano and (error := self.piano.errore_anno(anno)):
            raise forms.ValidationError(error)
        return anno


class OrdinatoForm(PianoRowForm):
    """Inline row with a visible position number (reordering works without JavaScript too)."""

    ordine = forms.IntegerField(
        label=_("Posizione"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm ordine", "style": "width:5rem"}),
    )


class AzioneForm(OrdinatoForm):
    class Meta:
        model = models.Azione
        fields = ["ordine", "titolo", "stato", "responsabile", "data_inizio", "data_fine"]
        widgets = {"titolo": forms.Textarea(attrs={"rows": 2}), "data_inizio": DATE_WIDGET, "data_fine": DATE_WIDGET}


class IndicatoreForm(OrdinatoForm):
    baseline = AmountField(label=_("Valore di partenza"), required=False)

    class Meta:
        model = models.Indicatore
        fields = ["ordine", "tipo", "descrizione", "unita", "baseline", "anno_baseline", "fonte"]
        widgets = {"descrizione": forms.Textarea(attrs={"rows": 2}), "fonte": forms.Textarea(attrs={"rows": 2})}


class RisorsaForm(OrdinatoForm):
    previsto = AmountField(label=_("Previsto (€)"))
    impegnato = AmountField(label=_("Impegnato (€)"), required=False)
    liquidato = AmountField(label=_("Liquidato (€)"), required=False)

    class Meta:
        model = models.Risorsa
        fields = ["ordine", "fondo", "anno", "previsto", "impegnato", "liquidato", "note"]

    def _amount(self, name: str):
        value = self.cleaned_data.get(name)
        non_negative(value, self.fields[name].label.replace(" (€)", ""))
        return value if value is not None else Decimal("0")

    def clean_previsto(self):
        return self._amount("previsto")

    def clean_impegnato(self):
        return self._amount("impegnato")

    def clean_liquidato(self):
        return self._amount("liquidato")


class PianoInlineFormSet(BaseInlineFormSet):
    """Passes the plan to each row (validation of years) and keeps rows ordered by position."""

    def __init__(self, *args, piano: models.PianoDiZona, **kwargs):
        self.piano = piano
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "piano": self.piano}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            piano=self.piano,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


def _formset(model, form, extra):
    return inlineformset_factory(
        models.Intervento, model, form=form, formset=PianoInlineFormSet, extra=extra, can_delete=True
    )


AzioneFormSet = _formset(models.Azione, AzioneForm, 1)
IndicatoreFormSet = _formset(models.Indicatore, IndicatoreForm, 1)
RisorsaFormSet = _formset(models.Risorsa, RisorsaForm, 1)


class TargetForm(PianoRowForm):
    valore = AmountField(label=_("Valore obiettivo"))

    class Meta:
        model = models.TargetIndicatore
        fields = ["anno", "valore"]


TargetFormSet = inlineformset_factory(
    models.Indicatore, models.TargetIndicatore, form=TargetForm, formset=PianoInlineFormSet, extra=2, can_delete=True
)


# --- The plan's registries: projects of the network, PNRR lines, gestione associata, governance ---------------

ORDINE_HELP = _("Posizione nell'elenco (vuoto: in fondo).")


class RegistroForm(PortalModelForm):
    """A row of one of the plan's registries: it belongs to `piano`, its area (if any) is one of the plan's areas,
    its position may stay empty (the row goes last) and its funds are chosen from the catalogue."""

    def __init__(self, *args, piano: models.PianoDiZona, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.piano = piano
        if "area" in self.fields:
            self.fields["area"].queryset = piano.aree.all()
            self.fields["area"].empty_label = _("— nessuna area (azioni di sistema) —")
        if "fondi" in self.fields:
            self.fields["fondi"].queryset = models.Fondo.objects.all()
        if "ordine" in self.fields:
            self.fields["ordine"].required = False
            self.fields["ordine"].help_text = ORDINE_HELP

    def clean_ordine(self):
        return self.cleaned_data.get("ordine") or 0


TEXTAREA = {"rows": 3}


class ProgettoForm(RegistroForm):
    class Meta:
        model = models.Progetto
        fields = [
            "area", "titolo", "fonte_finanziamento", "fondi", "stato_realizzazione", "aree_lavoro", "capofila",
            "partenariato", "ordine",
        ]  # fmt: skip
        widgets = {
            "titolo": forms.TextInput(),
            "fonte_finanziamento": forms.Textarea(attrs={"rows": 2}),
            "stato_realizzazione": forms.Textarea(attrs={"rows": 2}),
            "aree_lavoro": forms.Textarea(attrs={"rows": 6}),
            "partenariato": forms.Textarea(attrs=TEXTAREA),
            "fondi": forms.CheckboxSelectMultiple,
        }


class ServizioAssociatoForm(RegistroForm):
    class Meta:
        model = models.ServizioAssociato
        fields = [
            "area", "nome", "attivita_target", "canali_finanziamento", "fondi", "strumenti", "tempistica", "ordine",
        ]  # fmt: skip
        widgets = {
            "attivita_target": forms.Textarea(attrs={"rows": 6}),
            "canali_finanziamento": forms.Textarea(attrs=TEXTAREA),
            "strumenti": forms.Textarea(attrs=TEXTAREA),
            "fondi": forms.CheckboxSelectMultiple,
        }


class OrganismoGovernanceForm(RegistroForm):
    class Meta:
        model = models.OrganismoGovernance
        fields = ["livello", "nome", "composizione", "funzioni", "ordine"]
        widgets = {"composizione": forms.Textarea(attrs=TEXTAREA), "funzioni": forms.Textarea(attrs={"rows": 8})}


class LineaPNRRForm(RegistroForm):
    totale_stampato = AmountField(
        label=_("Totale indicato nel documento (€)"),
        required=False,
        help_text=_("Il totale come scritto nella fonte: il portale lo confronta con la somma delle voci."),
    )

    class Meta:
        model = models.LineaPNRR
        fields = ["codice", "titolo", "fondo", "intervento", "totale_stampato", "ordine"]
        widgets = {"intervento": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fondo"].queryset = models.Fondo.objects.all()

    def clean_totale_stampato(self):
        value = self.cleaned_data.get("totale_stampato")
        non_negative(value, _("Totale indicato nel documento"))
        return value


class VocePNRRForm(OrdinatoForm):
    investimento = AmountField(label=_("Investimento (€)"), required=False)
    gestione_annua = AmountField(label=_("Gestione annua (€)"), required=False)
    totale_stampato = AmountField(label=_("Totale nel documento (€)"), required=False)

    class Meta:
        model = models.VocePNRR
        fields = ["ordine", "nome", "investimento", "gestione_annua", "anni_gestione", "totale_stampato"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anni_gestione"].required = False

    def clean_anni_gestione(self):
        return self.cleaned_data.get("anni_gestione") or 0

    def _amount(self, name: str, default: Decimal | None = Decimal("0")):
        value = self.cleaned_data.get(name)
        non_negative(value, self.fields[name].label.replace(" (€)", ""))
        return value if value is not None else default

    def clean_investimento(self):
        return self._amount("investimento")

    def clean_gestione_annua(self):
        return self._amount("gestione_annua")

    def clean_totale_stampato(self):
        return self._amount("totale_stampato", None)


VocePNRRFormSet = inlineformset_factory(
    models.LineaPNRR, models.VocePNRR, form=VocePNRRForm, formset=PianoInlineFormSet, extra=1, can_delete=True
)
