"""The Piano di Zona: plan with status workflow, chapters (Markdown), areas, objectives and logged variazioni."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import fields
from core.models import Labelled, Storicizzato, Storico, WithDetailPage

from .base import RigaDelPiano, piano_fk


class StatoPiano(models.TextChoices):
    BOZZA = "bozza", _("Bozza")
    IN_APPROVAZIONE = "in_approvazione", _("In approvazione")
    APPROVATO = "approvato", _("Approvato")
    VIGENTE = "vigente", _("Vigente")
    CONCLUSO = "concluso", _("Concluso")


# Allowed transitions of the status workflow (see planning.piano.services.piano_transition).
TRANSIZIONI = {
    StatoPiano.BOZZA: [StatoPiano.IN_APPROVAZIONE],
    StatoPiano.IN_APPROVAZIONE: [StatoPiano.APPROVATO, StatoPiano.BOZZA],
    StatoPiano.APPROVATO: [StatoPiano.VIGENTE, StatoPiano.CONCLUSO],
    StatoPiano.VIGENTE: [StatoPiano.CONCLUSO],
    StatoPiano.CONCLUSO: [],
}
STATI_BLOCCATI = {StatoPiano.APPROVATO, StatoPiano.VIGENTE, StatoPiano.CONCLUSO}
STATI_CON_VARIAZIONE = {StatoPiano.APPROVATO, StatoPiano.VIGENTE}


class PianoDiZona(models.Model):
    ambito = models.ForeignKey(
        "territory.Ambito", verbose_name=_("ambito"), on_delete=models.PROTECT, related_name="piani"
    )
    slug = models.SlugField(_("identificativo"), max_length=100, unique=True)
    titolo = models.CharField(_("titolo"), max_length=250)
    anno_inizio = models.PositiveSmallIntegerField(_("primo anno"))
    anno_fine = models.PositiveSmallIntegerField(_("ultimo anno"))
    stato = models.CharField(_("stato"), max_length=20, choices=StatoPiano.choices, default=StatoPiano.BOZZA)
    atto_approvazione = models.CharField(
        _("atto di approvazione"),
        max_length=300,
        blank=True,
        help_text=_("Es. deliberazione dell'Assemblea dei Sindaci"),
    )
    data_approvazione = models.DateField(_("data di approvazione"), null=True, blank=True)
    luogo_approvazione = models.CharField(
        _("luogo di approvazione"),
        max_length=120,
        blank=True,
        help_text=_("Es. la sede dell'Assemblea dei Sindaci; compare con la data nel blocco delle firme del PDF"),
    )
    presidente_assemblea = models.CharField(
        _("Presidente dell'Assemblea dei Sindaci"),
        max_length=200,
        blank=True,
        help_text=_("Nome e cognome di chi firma il piano per l'Assemblea dei Sindaci"),
    )
    responsabile_ufficio_piano = models.CharField(
        _("Responsabile dell'Ufficio di Piano"),
        max_length=200,
        blank=True,
        help_text=_("Nome e cognome di chi firma il piano per l'Ufficio di Piano"),
    )
    accordo_programma = models.CharField(_("Accordo di programma"), max_length=300, blank=True)
    data_accordo = models.DateField(_("data di sottoscrizione dell'Accordo"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    versione_dati = models.PositiveBigIntegerField(
        _("versione dei dati"),
        default=0,
        editable=False,
        help_text=_("Cresce a ogni modifica del contenuto del piano letto dai report (planning.versions)"),
    )
    # the version is not history: a restored record must never write an old version back
    history = HistoricalRecords(verbose_name=_("storico piano di zona"), excluded_fields=["versione_dati"])

    scope_ambito_path = "ambito"
    scope_comune_path = None

    class Meta:
        verbose_name = _("Piano di Zona")
        verbose_name_plural = _("Piani di Zona")
        ordering = ["ambito__nome", "-anno_inizio"]
        constraints = [
            models.UniqueConstraint(fields=["ambito", "anno_inizio"], name="piano_unico_per_ambito_e_periodo"),
            models.CheckConstraint(condition=models.Q(anno_fine__gte=models.F("anno_inizio")), name="piano_periodo"),
        ]

    def __str__(self) -> str:
        return self.titolo

    def get_absolute_url(self) -> str:
        return reverse("planning:piano_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.anno_inizio and self.anno_fine:
            if self.anno_fine < self.anno_inizio:
                raise ValidationError({"anno_fine": _("L'ultimo anno non può precedere il primo anno del periodo.")})
            if self.anno_fine - self.anno_inizio > 4:
                raise ValidationError({"anno_fine": _("Il periodo di un Piano di Zona non supera i cinque anni.")})
        if self.stato in STATI_BLOCCATI and (not self.atto_approvazione or not self.data_approvazione):
            raise ValidationError(_("Un piano approvato deve indicare l'atto e la data di approvazione."))
        if self.pk and self.anno_inizio and self.anno_fine:
            self._check_money_in_period()

    def _check_money_in_period(self) -> None:
        """A new period must keep every budget line and every paid share of a Comune: the budget's grids, the PDF
        and the workbook show only the period's years, so a line left outside would drop out of some totals."""
        period = (self.anno_inizio, self.anno_fine)
        outside = {
            _("righe del bilancio"): self.righe_bilancio.exclude(anno__range=period),
            _("quote dei Comuni con versamenti"): self.quote_comuni.exclude(anno__range=period).filter(
                versamenti__isnull=False
            ),
        }
        problems = [
            _("%(cosa)s (%(n)s, anni %(anni)s)")
            % {"n": len(found), "cosa": what, "anni": ", ".join(str(y) for y in sorted({y for _pk, y in found}))}
            for what, rows in outside.items()
            if (found := set(rows.values_list("pk", "anno")))
        ]
        if problems:
            message = _("Il periodo %(periodo)s lascerebbe fuori %(cosa)s: spostarle o eliminarle prima di cambiarlo.")
            raise ValidationError(message % {"periodo": self.periodo, "cosa": "; ".join(problems)})

    @property
    def periodo(self) -> str:
        return f"{self.anno_inizio}-{self.anno_fine}"

    @property
    def anni(self) -> list[int]:
        return list(range(self.anno_inizio, self.anno_fine + 1))

    def contiene_anno(self, anno: int | None) -> bool:
        return anno is not None and self.anno_inizio <= anno <= self.anno_fine

    def errore_anno(self, anno: int | None) -> str | None:
        """The message for a year outside the plan's period (the forms and models of its yearly rows), else None."""
        if anno is None or self.contiene_anno(anno):
            return None
        return _("L'anno %(anno)s è fuori dal periodo del piano (%(periodo)s).") % {
            "anno": anno,
            "periodo": self.periodo,
        }

    @property
    def atto_registrato(self) -> bool:
        """The act approving the plan is recorded (act and date): the PDF prints it with the signatures."""
        return bool(self.atto_approvazione and self.data_approvazione)

    @property
    def bloccato(self) -> bool:
        """Approved (or later) plans are read-only unless a variazione is open."""
        return self.stato in STATI_BLOCCATI


class Variazione(Labelled, RigaDelPiano):
    """An explicit, logged change window on an approved plan."""

    piano = piano_fk("variazioni")
    numero = models.PositiveSmallIntegerField(_("numero"))
    motivazione = models.TextField(_("motivazione"))
    atto = models.CharField(_("atto che autorizza la variazione"), max_length=300, blank=True)
    aperta_il = models.DateTimeField(_("aperta il"), auto_now_add=True)
    aperta_da = fields.user_fk(_("aperta da"), on_delete=models.PROTECT, related_name="+")
    chiusa_il = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    chiusa_da = fields.user_fk(_("chiusa da"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = Storico(verbose_name=_("storico variazione"))

    label_format = "Variazione n. {self.numero} — {self.piano}"

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("variazione del piano")
        verbose_name_plural = _("variazioni del piano")
        ordering = ["piano", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["piano", "numero"], name="variazione_numero_unico"),
            models.UniqueConstraint(
                fields=["piano"], condition=models.Q(chiusa_il__isnull=True), name="una_variazione_aperta_per_piano"
            ),
        ]

    @property
    def aperta(self) -> bool:
        return self.chiusa_il is None

    @property
    def motivo_storico(self) -> str:
        """The change reason written on every history record made during this variazione."""
        return f"Variazione n. {self.numero}: {self.motivazione}"[:100]


class TipoCapitolo(models.TextChoices):
    """What a chapter holds besides its Markdown text: the data section the plan's document prints in it (seed 001's
    Sommario, in its order). A typed kind is used at most once per plan; «libero» chapters hold their text only."""

    INTRODUZIONE = "introduzione", _("Introduzione")
    ESITI = "esiti", _("Esiti della programmazione precedente")
    CONTESTO = "contesto", _("Dati di contesto e quadro della conoscenza")
    RETI = "reti", _("Soggetti e reti del territorio")
    BISOGNI = "bisogni", _("Analisi dei bisogni")
    OBIETTIVI = "obiettivi", _("Obiettivi e schede degli interventi")
    BILANCIO = "bilancio", _("Quadro economico")
    GESTIONE = "gestione", _("Servizi in gestione associata")
    GOVERNANCE = "governance", _("Governance")
    MONITORAGGIO = "monitoraggio", _("Monitoraggio e valutazione")
    LIBERO = "libero", _("Testo libero")


class Capitolo(WithDetailPage, Labelled, Storicizzato, RigaDelPiano):
    """A narrative chapter of the plan (order of seed 001's Sommario). The body is Markdown, sanitised on display;
    the type says which data section the plan's document prints after it (the title is the user's own)."""

    piano = piano_fk("capitoli")
    ordine = fields.ordine()
    titolo = models.CharField(_("titolo"), max_length=250)
    tipo = models.CharField(
        _("tipo di capitolo"),
        max_length=20,
        choices=TipoCapitolo.choices,
        default=TipoCapitolo.LIBERO,
        help_text=_(
            "I dati che il documento del piano stampa nel capitolo. Ogni tipo si usa una sola volta per piano, "
            "tranne «Testo libero»."
        ),
    )
    corpo = fields.text(_("testo (Markdown)"))

    label_format = "{self.titolo}"

    detail_url = "planning:capitolo_detail"

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("capitolo")
        verbose_name_plural = _("capitoli")
        constraints = [
            # The database keeps the rule of `clean()` also for concurrent saves and the admin.
            models.UniqueConstraint(
                fields=["piano", "tipo"],
                condition=~models.Q(tipo="libero"),
                name="capitolo_tipo_unico_per_piano",
                violation_error_message=_(
                    "Tipo di capitolo: il piano ha già un capitolo di questo tipo. Ogni tipo si usa una sola volta "
                    "per piano: scegliere un altro tipo oppure «Testo libero»."
                ),
            )
        ]

    def clean(self) -> None:
        """A typed kind (all but «Testo libero») at most once per plan."""
        super().clean()
        if self.tipo == TipoCapitolo.LIBERO or not self.piano_id:
            return
        altro = Capitolo.objects.filter(piano_id=self.piano_id, tipo=self.tipo).exclude(pk=self.pk).first()
        if altro is not None:
            raise ValidationError(
                {
                    "tipo": _(
                        "Tipo di capitolo: il piano ha già un capitolo di tipo «%(tipo)s» («%(titolo)s»). Ogni tipo "
                        "si usa una sola volta per piano: scegliere un altro tipo oppure «Testo libero»."
                    )
                    % {"tipo": self.get_tipo_display(), "titolo": altro.titolo}
                }
            )


class Area(Storicizzato, RigaDelPiano):
    """A policy area of the plan (Magentino 2025-2027: A-D)."""

    piano = piano_fk("aree")
    codice = models.CharField(_("codice"), max_length=10)
    titolo = models.CharField(_("titolo"), max_length=300)
    descrizione = fields.text(_("descrizione"))
    ordine = fields.ordine()

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("area")
        verbose_name_plural = _("aree")
        ordering = ["piano", "ordine", "codice"]
        constraints = [models.UniqueConstraint(fields=["piano", "codice"], name="area_codice_unico")]

    def __str__(self) -> str:
        return self.etichetta(self.codice, self.titolo)

    @staticmethod
    def etichetta(codice: str, titolo: str) -> str:
        """How an area is named on pages, charts, the PDF and the workbook: «A. Famiglia, minori…»."""
        return f"{codice}. {titolo}"


class Obiettivo(Storicizzato, RigaDelPiano):
    """An objective; two levels where the template needs them (strategico → specifico "1.a")."""

    class Livello(models.TextChoices):
        GENERALE = "generale", _("Obiettivo")
        STRATEGICO = "strategico", _("Obiettivo strategico")
        SPECIFICO = "specifico", _("Obiettivo specifico")

    piano = piano_fk("obiettivi")
    area = fields.optional_fk(Area, _("area"), "obiettivi")
    parent = fields.optional_fk("self", _("obiettivo strategico"), "specifici")
    sub_ambito = fields.optional_fk(
        "territory.Ambito", _("sub-ambito"), "+", help_text=_("Solo per gli obiettivi di un sub-ambito")
    )
    livello = models.CharField(_("livello"), max_length=20, choices=Livello.choices, default=Livello.GENERALE)
    codice = models.CharField(_("codice"), max_length=20, blank=True)
    titolo = models.TextField(_("obiettivo"))
    descrizione = fields.text(_("descrizione"))
    ordine = fields.ordine()

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("obiettivo")
        verbose_name_plural = _("obiettivi")

    def __str__(self) -> str:
        return f"{self.codice} {self.titolo}".strip() if self.codice else self.titolo

    @property
    def area_effettiva(self) -> Area | None:
        """The objective's area: its own, else its strategic objective's (a specific objective inherits it)."""
        return self.area or (self.parent.area if self.parent_id else None)

    @staticmethod
    def in_area(path: str, area: Any, lookup: str = "") -> Q:
        """The rows whose objective (at `path`, "" for the objectives themselves) is in `area`, directly or
        through its strategic objective; `lookup` compares a field of the area instead (e.g. "__codice"). With
        None: the rows whose objective has no area either way."""
        p = f"{path}__" if path else ""
        if area is None:
            return Q(**{f"{p}area__isnull": True, f"{p}parent__area__isnull": True})
        return Q(**{f"{p}area{lookup}": area}) | Q(**{f"{p}parent__area{lookup}": area})

    @staticmethod
    def area_effettiva_in(path: str, field: str = "") -> Coalesce:
        """`area_effettiva` in a query, of the objective at `path`: its area's id, or `field` of it (e.g.
        "__ordine"); NULL when neither the objective nor its strategic objective has an area."""
        p = f"{path}__" if path else ""
        return Coalesce(f"{p}area{field}", f"{p}parent__area{field}")

    @classmethod
    def ordine_per_area(cls, path: str) -> list:
        """Ordering by the plan's areas (`area_effettiva`) of the objective at `path` ("" for the objectives
        themselves), the objectives without one last on every database, then by the objective's order."""
        by_area = cls.area_effettiva_in(path, "__ordine").asc(nulls_last=True)
        return [by_area, cls.area_effettiva_in(path, "__codice"), f"{path}__ordine" if path else "ordine"]

    def clean(self) -> None:
        if self.area_id and self.piano_id and self.area.piano_id != self.piano_id:
            raise ValidationError({"area": _("L'area appartiene a un altro piano.")})
        if self.parent_id:
            if self.parent.piano_id != self.piano_id:
                raise ValidationError({"parent": _("L'obiettivo strategico appartiene a un altro piano.")})
            if self.parent.parent_id:
                raise ValidationError({"parent": _("Gli obiettivi hanno al massimo due livelli.")})
        if self.sub_ambito_id and self.piano_id and self.sub_ambito.parent_id != self.piano.ambito_id:
            raise ValidationError({"sub_ambito": _("Il sub-ambito non appartiene all'Ambito del piano.")})
