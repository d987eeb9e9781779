"""Context facts of an Ambito: social spending by year, entity, user area, management type, funding source.

`SpesaSociale` rows are the facts, grouped in the `TabellaSpesa` they come from (seed 001 Tab. 8-14, the Casalasco
tables of seed 003) with the dimension they break down (`VoceSpesa`, a shared catalogue). Totals, per-capita
figures and variations are computed (planning.contesto.selectors). A figure printed in a source document is a
`ValoreStampato`: a note that the portal recomputes from the facts and compares, never a fact itself.

Series by school year (`SerieScolastica`, e.g. the Casalasco SAAP «servizio di assistenza ad personam» of seed 003)
hold `DatoScolastico` facts keyed by the school year's first calendar year (`anno_inizio` 2018 = «2018/2019»), the
measure (pupils assisted, total spending) and optionally the school level; a year's total is the fact without a
level or, when the document breaks the year down, the sum of its levels (the printed total is a `ValoreStampato`).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import Labelled, ParentScoped, Storicizzato, WithDetailPage

from .base import DellAmbito, ambito_fk


class Dimensione(models.TextChoices):
    ENTE = "ente", _("Ente che spende")
    AREA = "area", _("Area di utenza")
    INTERVENTO = "intervento", _("Intervento")
    GESTIONE = "gestione", _("Tipologia di gestione")
    FONTE = "fonte", _("Fonte di finanziamento")


class Ente(models.TextChoices):
    AMBITO = "ambito", _("Comuni e Ufficio di Piano")
    COMUNI = "comuni", _("Comuni (spesa aggregata)")
    UDP = "udp", _("Ufficio di Piano")


class Misura(models.TextChoices):
    IMPORTO = "importo", _("Importi in euro")
    QUOTA = "quota", _("Quote percentuali")


class VoceSpesa(Labelled):
    """An item of a spending dimension: the entity (Comuni, Ufficio di Piano), a user area, an intervention
    (inside an area), a management type or a funding source (optionally a fund of the catalogue)."""

    dimensione = models.CharField(_("dimensione"), max_length=20, choices=Dimensione.choices)
    codice = models.SlugField(_("codice"), max_length=60)
    nome = models.CharField(_("nome"), max_length=250)
    area = fields.optional_fk(
        "self", _("area di utenza"), "interventi", limit_choices_to={"dimensione": Dimensione.AREA}
    )
    fondo = fields.optional_fk("planning.Fondo", _("fondo"), "+", on_delete=models.SET_NULL)
    ordine = fields.ordine()

    class Meta:
        verbose_name = _("voce di spesa")
        verbose_name_plural = _("voci di spesa")
        ordering = ["dimensione", "ordine", "nome"]
        constraints = [models.UniqueConstraint(fields=["dimensione", "codice"], name="voce_spesa_codice_unico")]

    def clean(self) -> None:
        if self.area_id and self.dimensione != Dimensione.INTERVENTO:
            raise ValidationError({"area": _("Solo un intervento appartiene a un'area di utenza.")})


class TabellaSpesa(Labelled, WithDetailPage, Storicizzato, DellAmbito):
    """A spending table of a document: which dimension it breaks down, for which entity, in which unit."""

    ambito = ambito_fk("tabelle_spesa")
    codice = models.CharField(_("codice"), max_length=30, help_text=_("Es. «Tab. 10»"))
    titolo = models.CharField(_("titolo"), max_length=300)
    dimensione = models.CharField(_("dimensione"), max_length=20, choices=Dimensione.choices)
    ente = models.CharField(_("spesa di"), max_length=20, choices=Ente.choices, default=Ente.AMBITO)
    area = fields.optional_fk(
        VoceSpesa, _("area di utenza dettagliata"), "+", limit_choices_to={"dimensione": Dimensione.AREA}
    )
    misura = models.CharField(_("misura"), max_length=20, choices=Misura.choices, default=Misura.IMPORTO)
    completa = models.BooleanField(
        _("righe complete"),
        default=True,
        help_text=_("Le righe coprono tutta la spesa: il totale si confronta con la spesa dell'ente (o con 100%)"),
    )
    tolleranza = models.DecimalField(
        _("tolleranza di arrotondamento"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Differenze fino a questo valore (€ o punti %) sono dovute agli arrotondamenti"),
    )
    fonte = models.CharField(_("documento"), max_length=300, blank=True)
    fonte_dati = models.CharField(_("fonte dei dati"), max_length=300, blank=True)
    ordine = fields.ordine()
    note = fields.text(_("note"))

    label_format = "{self.codice} — {self.titolo}"
    detail_url = "planning:tabella_spesa"

    class Meta:
        verbose_name = _("tabella di spesa")
        verbose_name_plural = _("tabelle di spesa")
        ordering = ["ambito__nome", "ordine", "pk"]
        constraints = [models.UniqueConstraint(fields=["ambito", "codice"], name="tabella_spesa_codice_unico")]

    @property
    def percentuale(self) -> bool:
        return self.misura == Misura.QUOTA


class SpesaSociale(Labelled, Storicizzato, ParentScoped):
    """A spending fact: one item of a table in one year (an amount, or a share for percentage tables).

    `valore` is empty where the document prints «-» (nothing reported): it counts as zero in totals.
    """

    tabella = models.ForeignKey(TabellaSpesa, verbose_name=_("tabella"), on_delete=models.CASCADE, related_name="fatti")
    anno = fields.anno()
    voce = models.ForeignKey(VoceSpesa, verbose_name=_("voce"), on_delete=models.PROTECT, related_name="fatti")
    comune = fields.optional_fk(
        "territory.Comune", _("comune"), "spese_sociali", help_text=_("Solo per la spesa di un singolo Comune")
    )
    valore = fields.optional_amount(_("valore"))
    nota = models.CharField(_("nota"), max_length=300, blank=True)

    scope_parent = "tabella"

    label_format = "{self.voce} {self.anno}"

    class Meta:
        verbose_name = _("spesa sociale")
        verbose_name_plural = _("spesa sociale (fatti)")
        ordering = ["tabella", "voce__ordine", "anno"]
        constraints = [
            models.UniqueConstraint(
                fields=["tabella", "anno", "voce"],
                condition=models.Q(comune__isnull=True),
                name="spesa_unica_per_voce_anno",
            ),
            models.UniqueConstraint(
                fields=["tabella", "anno", "voce", "comune"],
                condition=models.Q(comune__isnull=False),
                name="spesa_unica_per_voce_anno_comune",
            ),
        ]
        indexes = [models.Index(fields=["anno", "voce"])]

    def clean(self) -> None:
        if self.tabella_id and self.voce_id and self.voce.dimensione != self.tabella.dimensione:
            raise ValidationError(
                {"voce": _("La voce non appartiene alla dimensione della tabella (%(d)s).")
                 % {"d": self.tabella.get_dimensione_display().lower()}}
            )  # fmt: skip
        if self.tabella_id and self.valore is not None:
            if self.tabella.percentuale and not (0 <= self.valore <= 100):
                raise ValidationError({"valore": _("Una quota percentuale è compresa tra 0 e 100.")})
            if not self.tabella.percentuale and self.valore < 0:
                raise ValidationError({"valore": _("La spesa non può essere negativa.")})


class MisuraScolastica(models.TextChoices):
    UTENTI = "utenti", _("Minori assistiti")
    SPESA = "spesa", _("Spesa complessiva (€)")


class OrdineScuola(models.TextChoices):
    INFANZIA = "infanzia", _("Infanzia")
    PRIMARIA = "primaria", _("Primaria")
    SECONDARIA_I = "secondaria_1", _("Secondaria di I grado")
    SECONDARIA_II = "secondaria_2", _("Secondaria di II grado")


def anno_scolastico(anno_inizio: int) -> str:
    """«2018/2019» for the school year that starts in 2018."""
    return f"{anno_inizio}/{anno_inizio + 1}"


class SerieScolastica(Labelled, Storicizzato, DellAmbito):
    """A series of a service by school year (pupils assisted, spending), as a document of the Ambito reports it."""

    ambito = ambito_fk("serie_scolastiche")
    codice = models.CharField(_("codice"), max_length=30, help_text=_("Es. «SAAP»"))
    titolo = models.CharField(_("titolo"), max_length=300)
    fonte = models.CharField(_("documento"), max_length=300, blank=True)
    fonte_dati = models.CharField(_("fonte dei dati"), max_length=300, blank=True)
    ordine = fields.ordine()
    note = fields.text(_("note"))

    label_format = "{self.codice} — {self.titolo}"

    class Meta:
        verbose_name = _("serie per anno scolastico")
        verbose_name_plural = _("serie per anno scolastico")
        ordering = ["ambito__nome", "ordine", "pk"]
        constraints = [models.UniqueConstraint(fields=["ambito", "codice"], name="serie_scolastica_codice_unico")]


class DatoScolastico(Labelled, Storicizzato, ParentScoped):
    """One fact of a school-year series: a measure in one school year, for all levels or for one school level."""

    serie = fields.parent_fk(SerieScolastica, _("serie"), "dati")
    anno_inizio = fields.anno(
        _("anno scolastico (anno di inizio)"), help_text=_("2018 per l'anno scolastico 2018/2019")
    )
    misura = models.CharField(_("misura"), max_length=20, choices=MisuraScolastica.choices)
    ordine_scuola = models.CharField(
        _("ordine di scuola"),
        max_length=20,
        choices=OrdineScuola.choices,
        blank=True,
        help_text=_("Vuoto: tutti gli ordini di scuola"),
    )
    valore = fields.amount(_("valore"))
    nota = models.CharField(_("nota"), max_length=300, blank=True)

    scope_parent = "serie"
    label_format = "{self.serie.codice} {self.anno_scolastico} {self.misura}"

    class Meta:
        verbose_name = _("dato per anno scolastico")
        verbose_name_plural = _("dati per anno scolastico")
        ordering = ["serie", "misura", "anno_inizio", "ordine_scuola"]
        constraints = [
            models.UniqueConstraint(
                fields=["serie", "anno_inizio", "misura", "ordine_scuola"], name="dato_scolastico_unico"
            ),
            models.CheckConstraint(condition=models.Q(valore__gte=0), name="dato_scolastico_non_negativo"),
        ]

    @property
    def anno_scolastico(self) -> str:
        return anno_scolastico(self.anno_inizio)

    def clean(self) -> None:
        if self.valore is not None and self.valore < 0:
            raise ValidationError({"valore": _("Il valore non può essere negativo.")})
        if self.misura == MisuraScolastica.UTENTI and self.valore is not None and self.valore != int(self.valore):
            raise ValidationError({"valore": _("Il numero di minori assistiti è un numero intero.")})


class Grandezza(models.TextChoices):
    POPOLAZIONE = "popolazione", _("Popolazione (somma dei Comuni)")
    SPESA = "spesa", _("Spesa (somma delle voci)")
    PRO_CAPITE = "pro_capite", _("Spesa pro capite")
    QUOTE = "quote", _("Somma delle quote percentuali")
    VARIAZIONE = "variazione", _("Variazione percentuale")
    SCOLASTICA = "scolastica", _("Totale per anno scolastico (somma degli ordini di scuola)")


class ValoreStampato(Labelled, Storicizzato, DellAmbito):
    """A figure printed in a source document (a total, a per-capita value, a variation), kept as a note and
    compared with the value the portal computes from the facts."""

    CAMPI_POPOLAZIONE = [
        ("totale", _("totale residenti")),
        ("maschi", _("maschi")),
        ("femmine", _("femmine")),
        ("stranieri", _("residenti stranieri")),
        ("eta_0_17", _("0-17 anni")),
        ("eta_65_oltre", _("65 anni e oltre")),
    ]

    ambito = ambito_fk("valori_stampati")
    tabella = fields.optional_fk(TabellaSpesa, _("tabella di spesa"), "valori_stampati", on_delete=models.CASCADE)
    serie = fields.optional_fk(
        SerieScolastica, _("serie per anno scolastico"), "valori_stampati", on_delete=models.CASCADE,
        help_text=_("Per un totale per anno scolastico: l'anno è quello di inizio (2021 = 2021/2022)"),
    )  # fmt: skip
    misura_scolastica = models.CharField(
        _("misura della serie"), max_length=20, choices=MisuraScolastica.choices, blank=True
    )
    documento = models.CharField(_("documento"), max_length=300, blank=True)
    riferimento = models.CharField(_("riferimento nel documento"), max_length=100, help_text=_("Es. «Tab. 1»"))
    etichetta = models.CharField(_("etichetta come stampata"), max_length=300)
    grandezza = models.CharField(_("grandezza"), max_length=20, choices=Grandezza.choices)
    anno = fields.anno()
    anno_base = fields.anno(_("anno di confronto"), null=True, blank=True)
    ente = models.CharField(_("spesa di"), max_length=20, choices=Ente.choices, blank=True)
    voce = fields.optional_fk(VoceSpesa, _("voce"), "+")
    comune = fields.optional_fk("territory.Comune", _("comune"), "+")
    campo_popolazione = models.CharField(_("dato di popolazione"), max_length=20, choices=CAMPI_POPOLAZIONE, blank=True)
    valore = fields.amount(_("valore stampato"))
    decimali = models.PositiveSmallIntegerField(_("decimali stampati"), default=0)
    nota = fields.text(_("nota"))

    label_format = "{self.riferimento} {self.etichetta} {self.anno}"

    class Meta:
        verbose_name = _("valore stampato")
        verbose_name_plural = _("valori stampati (note)")
        ordering = ["ambito", "riferimento", "anno", "pk"]

    def clean(self) -> None:
        if self.grandezza == Grandezza.POPOLAZIONE and not self.campo_popolazione:
            raise ValidationError({"campo_popolazione": _("Indicare quale dato di popolazione è stampato.")})
        if self.grandezza == Grandezza.VARIAZIONE and not self.anno_base:
            raise ValidationError({"anno_base": _("Una variazione ha un anno di confronto.")})
        if self.grandezza == Grandezza.SCOLASTICA and not (self.serie_id and self.misura_scolastica):
            raise ValidationError({"serie": _("Indicare la serie per anno scolastico e la misura.")})
        if self.grandezza in (Grandezza.SPESA, Grandezza.QUOTE) and not self.tabella_id and not self.ente:
            raise ValidationError({"tabella": _("Indicare la tabella o l'ente della spesa.")})
