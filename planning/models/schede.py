"""Intervention cards: card templates as data (typed fields in order), interventions with their actions,
indicators (with yearly targets) and resources per fund and year."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import Labelled, ParentScoped, Storicizzato, Storico, WithDetailPage

from .base import RigaDellIntervento, RigaDelPiano, fondi_m2m, intervento_fk, piano_fk
from .catalogues import AttoreRete, Fondo, Leps, MacroArea, PuntoChiave
from .piano import Obiettivo

ZERO = Decimal("0")


class ModelloIntervento(Labelled, Storicizzato):
    """The template of an intervention card (e.g. the Lombardy 2025-2027 card with its 25 fields, Oglio Po N1/N3);
    not to be confused with monitoring.ModelloScheda, the template of a SOSE scheda."""

    codice = fields.codice()
    nome = models.CharField(_("nome"), max_length=250)
    descrizione = fields.text(_("descrizione"))
    fonte = models.CharField(_("fonte"), max_length=300, blank=True)
    livelli_obiettivo = models.PositiveSmallIntegerField(
        _("livelli di obiettivo"), default=1, help_text=_("2 = obiettivo strategico → obiettivo specifico")
    )

    label_format = "{self.codice} — {self.nome}"

    class Meta:
        verbose_name = _("modello di scheda intervento")
        verbose_name_plural = _("modelli di scheda intervento")
        ordering = ["codice"]


class TipoCampo(models.TextChoices):
    BASE = "base", _("Dato dell'intervento")
    TESTO = "testo", _("Testo")
    SI_NO = "si_no", _("Sì/No con nota")
    SCELTA = "scelta", _("Scelta singola")
    SCELTA_MULTIPLA = "scelta_multipla", _("Scelta multipla")
    MACRO_AREE = "macro_aree", _("Macro-aree di policy (catalogo)")
    PUNTI_CHIAVE = "punti_chiave", _("Punti chiave (catalogo)")
    IMPORTO = "importo", _("Importo in euro")


class AttributoBase(models.TextChoices):
    """Core facts of an intervention, shown by a template field of type BASE."""

    TITOLO = "titolo", _("Titolo")
    OBIETTIVO = "obiettivo", _("Obiettivo")
    OBIETTIVO_STRATEGICO = "obiettivo_strategico", _("Obiettivo strategico")
    DESCRIZIONE = "descrizione", _("Descrizione")
    AZIONI = "azioni", _("Azioni")
    TARGET = "target", _("Target")
    RISORSE = "risorse", _("Risorse economiche")
    PERSONALE = "personale", _("Risorse di personale")
    INDICATORI = "indicatori", _("Indicatori")
    PARTNER = "partner", _("Partner della rete")


class CampoModello(Labelled):
    """One field of a card template, in order. `chiave` names the same question across templates."""

    modello = fields.parent_fk(ModelloIntervento, _("modello"), "campi")
    ordine = models.PositiveSmallIntegerField(_("ordine"))
    chiave = models.SlugField(_("chiave"), max_length=60)
    etichetta = models.TextField(_("domanda / etichetta"))
    aiuto = models.CharField(_("indicazioni"), max_length=300, blank=True)
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoCampo.choices)
    attributo = models.CharField(_("dato dell'intervento"), max_length=30, choices=AttributoBase.choices, blank=True)
    opzioni = models.JSONField(
        _("opzioni"), default=list, blank=True, help_text=_('Per le scelte: [["valore", "etichetta"], …]')
    )
    raggruppa = models.BooleanField(_("raggruppa per macro-area"), default=False)
    obbligatorio = models.BooleanField(_("obbligatorio"), default=False)

    label_format = "{self.ordine}. {self.etichetta}"

    class Meta:
        verbose_name = _("campo del modello")
        verbose_name_plural = _("campi del modello")
        ordering = ["modello", "ordine"]
        constraints = [
            models.UniqueConstraint(fields=["modello", "ordine"], name="campo_ordine_unico"),
            models.UniqueConstraint(fields=["modello", "chiave"], name="campo_chiave_unica"),
        ]

    def clean(self) -> None:
        if self.tipo == TipoCampo.BASE and not self.attributo:
            raise ValidationError({"attributo": _("Un campo di tipo «dato dell'intervento» indica quale dato mostra.")})
        if self.tipo in (TipoCampo.SCELTA, TipoCampo.SCELTA_MULTIPLA) and not self.opzioni:
            raise ValidationError({"opzioni": _("Una scelta ha bisogno di almeno un'opzione.")})

    @property
    def opzioni_dict(self) -> dict[str, str]:
        return {str(valore): str(etichetta) for valore, etichetta in self.opzioni}


class StatoIntervento(models.TextChoices):
    PROGRAMMATO = "programmato", _("Programmato")
    IN_CORSO = "in_corso", _("In corso")
    REALIZZATO = "realizzato", _("Realizzato")
    PARZIALMENTE_REALIZZATO = "parzialmente_realizzato", _("Parzialmente realizzato")
    NON_REALIZZATO = "non_realizzato", _("Non realizzato")
    SOSPESO = "sospeso", _("Sospeso")


class Intervento(WithDetailPage, Labelled, RigaDelPiano):
    """An intervention card. Core facts are fields; the region's questions are ValoreCampo rows."""

    piano = piano_fk("interventi")
    obiettivo = models.ForeignKey(
        Obiettivo, verbose_name=_("obiettivo"), on_delete=models.PROTECT, related_name="interventi"
    )
    modello = models.ForeignKey(
        ModelloIntervento, verbose_name=_("modello di scheda"), on_delete=models.PROTECT, related_name="interventi"
    )
    codice = models.CharField(_("codice"), max_length=20, blank=True)
    titolo = models.CharField(_("titolo"), max_length=400)
    descrizione = fields.text(_("descrizione"))
    target = fields.text(_("target"))
    risorse_descrizione = fields.text(_("risorse economiche preventivate (descrizione)"))
    personale = fields.text(_("risorse di personale dedicate"))
    stato = models.CharField(
        _("stato"), max_length=30, choices=StatoIntervento.choices, default=StatoIntervento.PROGRAMMATO
    )
    ordine = fields.ordine()
    fondi = fondi_m2m("interventi")
    leps = models.ManyToManyField(Leps, verbose_name=_("LEPS"), blank=True, related_name="interventi")
    partner = models.ManyToManyField(
        AttoreRete, verbose_name=_("partner della rete"), blank=True, related_name="interventi"
    )
    history = Storico(m2m_fields=[fondi, leps, partner], excluded_fields=["ordine"])

    label_format = "{self.titolo}"

    detail_url = "planning:intervento_detail"

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("intervento")
        verbose_name_plural = _("interventi")
        ordering = ["piano", "obiettivo__area__ordine", "obiettivo__ordine", "ordine", "pk"]
        indexes = [models.Index(fields=["piano", "stato"])]

    def clean(self) -> None:
        if self.obiettivo_id and self.piano_id and self.obiettivo.piano_id != self.piano_id:
            raise ValidationError({"obiettivo": _("L'obiettivo appartiene a un altro piano.")})


class ValoreCampo(Labelled, RigaDellIntervento):
    """The answer of one intervention to one template field (typed by the field's tipo)."""

    intervento = intervento_fk("valori")
    campo = models.ForeignKey(CampoModello, verbose_name=_("campo"), on_delete=models.PROTECT, related_name="valori")
    testo = fields.text(_("testo / nota"))
    si_no = models.BooleanField(_("sì/no"), null=True, blank=True)
    scelte = models.JSONField(_("scelte"), default=list, blank=True)
    importo = fields.optional_amount(_("importo"), validators=[MinValueValidator(ZERO)])
    macro_aree = models.ManyToManyField(MacroArea, verbose_name=_("macro-aree"), blank=True, related_name="+")
    punti_chiave = models.ManyToManyField(
        PuntoChiave, verbose_name=_("punti chiave"), blank=True, through="ValorePuntoChiave", related_name="+"
    )
    history = Storico(verbose_name=_("storico valore della scheda"))

    label_format = "{self.intervento} — {self.campo.chiave}"

    class Meta(RigaDellIntervento.Meta):
        verbose_name = _("valore di un campo della scheda")
        verbose_name_plural = _("valori dei campi della scheda")
        ordering = ["intervento", "campo__ordine"]
        constraints = [models.UniqueConstraint(fields=["intervento", "campo"], name="valore_unico_per_campo")]

    def clean(self) -> None:
        if self.importo is not None and self.importo < 0:
            raise ValidationError({"importo": _("L'importo non può essere negativo.")})


class ValorePuntoChiave(models.Model):
    """Ordered link between an answer and a punto chiave (the card keeps the printed order)."""

    valore = models.ForeignKey(ValoreCampo, on_delete=models.CASCADE, related_name="voci_punti_chiave")
    punto = models.ForeignKey(PuntoChiave, verbose_name=_("punto chiave"), on_delete=models.PROTECT, related_name="+")
    ordine = fields.ordine()
    testo = models.CharField(
        _("testo come nella scheda"), max_length=300, blank=True, help_text=_("Se diverso dal catalogo (es. apostrofi)")
    )

    class Meta:
        verbose_name = _("punto chiave della scheda")
        verbose_name_plural = _("punti chiave della scheda")
        ordering = ["valore", "ordine"]
        constraints = [models.UniqueConstraint(fields=["valore", "punto"], name="punto_chiave_unico_per_valore")]

    def __str__(self) -> str:
        return self.testo or self.punto.testo


class StatoAzione(models.TextChoices):
    PROGRAMMATA = "programmata", _("Programmata")
    IN_CORSO = "in_corso", _("In corso")
    REALIZZATA = "realizzata", _("Realizzata")
    PARZIALMENTE_REALIZZATA = "parzialmente_realizzata", _("Parzialmente realizzata")
    NON_REALIZZATA = "non_realizzata", _("Non realizzata")
    SOSPESA = "sospesa", _("Sospesa")
    INTERROTTA = "interrotta", _("Interrotta")


class Azione(Labelled, Storicizzato, RigaDellIntervento):
    intervento = intervento_fk("azioni")
    ordine = fields.ordine()
    titolo = models.TextField(_("azione"))
    stato = models.CharField(_("stato"), max_length=30, choices=StatoAzione.choices, default=StatoAzione.PROGRAMMATA)
    responsabile = models.CharField(_("responsabile"), max_length=200, blank=True)
    data_inizio = models.DateField(_("inizio"), null=True, blank=True)
    data_fine = models.DateField(_("fine"), null=True, blank=True)
    note = fields.text(_("note"))

    label_format = "{self.titolo}"

    class Meta(RigaDellIntervento.Meta):
        verbose_name = _("azione")
        verbose_name_plural = _("azioni")
        indexes = [models.Index(fields=["stato"]), models.Index(fields=["responsabile"])]

    def clean(self) -> None:
        if self.data_inizio and self.data_fine and self.data_fine < self.data_inizio:
            raise ValidationError({"data_fine": _("La data di fine non può precedere la data di inizio.")})


class TipoIndicatore(models.TextChoices):
    PROCESSO = "processo", _("Processo")
    RISULTATO = "risultato", _("Risultato")
    IMPATTO = "impatto", _("Impatto")


class Indicatore(Labelled, Storicizzato, RigaDellIntervento):
    intervento = intervento_fk("indicatori")
    ordine = fields.ordine()
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoIndicatore.choices)
    descrizione = models.CharField(_("indicatore"), max_length=400)
    unita = models.CharField(_("unità di misura"), max_length=60, blank=True)
    baseline = fields.optional_amount(_("valore di partenza"))
    anno_baseline = fields.anno(_("anno del valore di partenza"), null=True, blank=True)
    fonte = models.CharField(_("fonte del dato"), max_length=250, blank=True)

    label_format = "{self.descrizione}"

    class Meta(RigaDellIntervento.Meta):
        verbose_name = _("indicatore")
        verbose_name_plural = _("indicatori")


class TargetIndicatore(Labelled, ParentScoped):
    """The target value of an indicator for one year of the plan's period."""

    indicatore = fields.parent_fk(Indicatore, _("indicatore"), "target")
    anno = fields.anno()
    valore = fields.amount(_("valore obiettivo"))
    history = Storico(verbose_name=_("storico target"))

    scope_parent = "indicatore"

    label_format = "{self.indicatore} {self.anno}: {self.valore}"

    class Meta:
        verbose_name = _("target dell'indicatore")
        verbose_name_plural = _("target degli indicatori")
        ordering = ["indicatore", "anno"]
        constraints = [models.UniqueConstraint(fields=["indicatore", "anno"], name="target_unico_per_anno")]

    def clean(self) -> None:
        piano = self.indicatore.intervento.piano if self.indicatore_id else None
        if piano and (error := piano.errore_anno(self.anno)):
            raise ValidationError({"anno": error})


class Risorsa(Labelled, Storicizzato, RigaDellIntervento):
    """Resources of an intervention for one fund and one year: planned, committed (impegnato), paid (liquidato)."""

    intervento = intervento_fk("risorse")
    ordine = fields.ordine()
    fondo = models.ForeignKey(Fondo, verbose_name=_("fondo"), on_delete=models.PROTECT, related_name="risorse")
    anno = fields.anno()
    previsto = fields.amount(_("previsto"), default=ZERO)
    impegnato = fields.amount(_("impegnato"), default=ZERO)
    liquidato = fields.amount(_("liquidato"), default=ZERO)
    note = models.CharField(_("note"), max_length=300, blank=True)

    label_format = "{self.fondo} {self.anno}"

    class Meta(RigaDellIntervento.Meta):
        verbose_name = _("risorsa")
        verbose_name_plural = _("risorse")
        ordering = ["intervento", "anno", "ordine", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intervento", "fondo", "anno"], name="risorsa_unica_fondo_anno"),
            models.CheckConstraint(
                condition=models.Q(previsto__gte=0, impegnato__gte=0, liquidato__gte=0),
                name="risorsa_importi_non_negativi",
            ),
        ]
        indexes = [models.Index(fields=["anno", "fondo"])]

    def clean(self) -> None:
        errors = {}
        for field in ("previsto", "impegnato", "liquidato"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = _("L'importo %(campo)s non può essere negativo.") % {
                    "campo": self._meta.get_field(field).verbose_name
                }
        piano = self.intervento.piano if self.intervento_id else None
        if piano and (error := piano.errore_anno(self.anno)):
            errors["anno"] = error
        if (
            "liquidato" not in errors
            and self.liquidato is not None
            and self.impegnato is not None
            and self.liquidato > self.impegnato
        ):
            errors["liquidato"] = _("Il liquidato non può superare l'impegnato.")
        if errors:
            raise ValidationError(errors)
