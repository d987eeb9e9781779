"""django-tables2 tables of the Piano di Zona (exports use the same columns)."""

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.formatting import it_number
from core.tables import NumberColumn, ShortTextColumn, YearColumn, table_meta

from ..models import Azione, Intervento, LineaPNRR, OrganismoGovernance, Progetto, Risorsa, ServizioAssociato
from ..models.piano import Obiettivo

TH: dict = {}  # the bootstrap5 template of django-tables2 already writes scope="col"


class FlagColumn(tables.Column):
    def render(self, value):
        return {True: "Sì", False: "No"}.get(value, "—")

    def value(self, value):
        return {True: "Sì", False: "No"}.get(value, "")


class NamesColumn(tables.Column):
    """A many-to-many shown as comma-separated names (prefetched: no query per row)."""

    def __init__(self, *args, attr: str = "nome", **kwargs):
        self.attr = attr
        super().__init__(*args, orderable=False, attrs=TH, **kwargs)

    def render(self, value):
        return ", ".join(getattr(v, self.attr) for v in value.all()) or "—"

    def value(self, value):
        return ", ".join(getattr(v, self.attr) for v in value.all())


class InterventoTable(tables.Table):
    caption = _("Interventi del piano (filtrati), con area, obiettivo, fondi, LEPS e co-programmazione")
    codice = tables.Column(verbose_name=_("Cod."), attrs=TH)
    titolo = tables.Column(verbose_name=_("Intervento"), linkify=True, attrs=TH)
    # the objective's area, its own or its strategic objective's (Obiettivo.area_effettiva), as the filter reads it
    area = tables.Column(verbose_name=_("Area"), accessor="obiettivo__area_effettiva__codice", attrs=TH, default="—")
    obiettivo = ShortTextColumn(
        length=70, verbose_name=_("Obiettivo"), accessor="obiettivo", attrs=TH, order_by=("obiettivo__ordine",)
    )
    fondi = NamesColumn(verbose_name=_("Fondi"), attr="codice")
    leps = NamesColumn(verbose_name=_("LEPS"), attr="codice")
    coprogrammato = FlagColumn(verbose_name=_("Co-programmato"), attrs=TH)
    coprogettato = FlagColumn(verbose_name=_("Co-progettato"), attrs=TH)
    stato = tables.Column(verbose_name=_("Stato"), attrs=TH)
    n_azioni = NumberColumn(verbose_name=_("Azioni"))
    previsto = NumberColumn(verbose_name=_("Risorse previste (€)"), decimals=2)

    Meta = table_meta(
        Intervento,
        (
            "codice", "titolo", "area", "obiettivo", "fondi", "leps", "coprogrammato", "coprogettato", "stato",
            "n_azioni", "previsto",
        ),
        testid="tabella-interventi", empty_text=_("Nessun intervento corrisponde ai filtri."),
    )  # fmt: skip

    def order_area(self, queryset, is_descending):
        codice = Obiettivo.area_effettiva_in("obiettivo", "__codice")
        by_area = codice.desc(nulls_last=True) if is_descending else codice.asc(nulls_last=True)
        return queryset.order_by(by_area, "ordine", "pk"), True


class AzioneTable(tables.Table):
    caption = _("Azioni degli interventi (filtrate), con stato e responsabile")
    intervento = tables.Column(verbose_name=_("Intervento"), linkify=True, attrs=TH, order_by=("intervento__titolo",))
    titolo = tables.Column(verbose_name=_("Azione"), attrs=TH)
    stato = tables.Column(verbose_name=_("Stato"), attrs=TH)
    responsabile = tables.Column(verbose_name=_("Responsabile"), attrs=TH, default="—")
    data_inizio = tables.DateColumn(verbose_name=_("Inizio"), format="d/m/Y", attrs=TH)
    data_fine = tables.DateColumn(verbose_name=_("Fine"), format="d/m/Y", attrs=TH)

    Meta = table_meta(
        Azione,
        ("intervento", "titolo", "stato", "responsabile", "data_inizio", "data_fine"),
        testid="tabella-azioni",
        empty_text=_("Nessuna azione corrisponde ai filtri."),
    )


class RisorsaTable(tables.Table):
    caption = _("Righe di risorse (filtrate) per intervento, fondo e anno")
    intervento = tables.Column(verbose_name=_("Intervento"), linkify=True, attrs=TH, order_by=("intervento__titolo",))
    fondo = tables.Column(verbose_name=_("Fondo"), attrs=TH, order_by=("fondo__ordine",))
    anno = YearColumn(verbose_name=_("Anno"), attrs=TH)
    previsto = NumberColumn(verbose_name=_("Previsto (€)"), decimals=2)
    impegnato = NumberColumn(verbose_name=_("Impegnato (€)"), decimals=2)
    liquidato = NumberColumn(verbose_name=_("Liquidato (€)"), decimals=2)

    Meta = table_meta(
        Risorsa,
        ("intervento", "fondo", "anno", "previsto", "impegnato", "liquidato"),
        testid="tabella-risorse",
        empty_text=_("Nessuna risorsa corrisponde ai filtri."),
    )


# --- The plan's registries: projects of the network, PNRR lines, gestione associata, governance ---------------


DIFFORME = mark_safe(  # a constant
    '<span class="badge bg-warning text-dark" data-testid="totale-difforme">diverso dal calcolato</span>'
)


def optional_text(label, length: int = 80) -> ShortTextColumn:
    """A registry's free text, cut to `length` characters; «—» when empty."""
    return ShortTextColumn(length=length, verbose_name=label, attrs=TH, default="—")


def area_column() -> tables.Column:
    """The area of a registry's row, by its code, in the plan's order of the areas."""
    return tables.Column(
        verbose_name=_("Area"), accessor="area__codice", attrs=TH, default="—", order_by=("area__ordine",)
    )


class RowActionsColumn(tables.Column):
    """«Modifica» and «Elimina» links of a registry row (URL names `planning:<name>_update` / `_delete`), each
    naming the row for screen readers; never exported. The view drops the column when the user cannot edit."""

    def __init__(self, name: str, **kwargs):
        self.url_name = name
        super().__init__(
            verbose_name=_("Azioni"), empty_values=(), orderable=False, exclude_from_export=True, attrs=TH, **kwargs
        )

    def render(self, record):
        return format_html(
            '<a href="{}" aria-label="Modifica «{}»">Modifica</a> · <a href="{}" aria-label="Elimina «{}»">Elimina</a>',
            reverse(f"planning:{self.url_name}_update", args=[record.pk]),
            record,
            reverse(f"planning:{self.url_name}_delete", args=[record.pk]),
            record,
        )


class ProgettoTable(tables.Table):
    caption = _("Progetti della rete (filtrati), con area, fonte, stato, capofila e partenariato")
    area = area_column()
    titolo = tables.Column(verbose_name=_("Progetto"), attrs=TH)
    fonte_finanziamento = optional_text(_("Fonte di finanziamento"))
    fondi = NamesColumn(verbose_name=_("Fondi"), attr="codice")
    stato_realizzazione = optional_text(_("Stato di realizzazione"))
    aree_lavoro = optional_text(_("Aree di lavoro"))
    capofila = tables.Column(verbose_name=_("Capofila"), attrs=TH, default="—")
    partenariato = optional_text(_("Partenariato e rete"))
    azioni = RowActionsColumn("progetto")

    Meta = table_meta(
        Progetto,
        (
            "area", "titolo", "fonte_finanziamento", "fondi", "stato_realizzazione", "aree_lavoro", "capofila",
            "partenariato",
            "azioni",
        ),
        testid="progetti", empty_text=_("Nessun progetto corrisponde ai filtri."),
    )  # fmt: skip


class LineaPNRRTable(tables.Table):
    caption = _("Linee PNRR Missione 5 Componente 2 (filtrate), con le voci e i totali (€)")
    codice = tables.Column(verbose_name=_("Linea"), attrs=TH)
    titolo = tables.Column(verbose_name=_("Titolo della linea"), attrs=TH)
    fondo = tables.Column(verbose_name=_("Fondo"), accessor="fondo__codice", attrs=TH, default="—")
    voci = tables.Column(verbose_name=_("Voci"), accessor="lista_voci", orderable=False, empty_values=(), attrs=TH)
    investimento = NumberColumn(verbose_name=_("Investimento"), decimals=2, orderable=False, empty_values=())
    gestione = NumberColumn(verbose_name=_("Gestione (annua × anni)"), decimals=2, orderable=False, empty_values=())
    totale = NumberColumn(verbose_name=_("Totale calcolato"), decimals=2, orderable=False, empty_values=())
    totale_stampato = tables.Column(
        verbose_name=_("Totale nel documento"), orderable=False, empty_values=(), attrs={"td": {"class": "text-end"}}
    )
    azioni = RowActionsColumn("linea_pnrr")

    Meta = table_meta(
        LineaPNRR,
        ("codice", "titolo", "fondo", "voci", "investimento", "gestione", "totale", "totale_stampato", "azioni"),
        testid="pnrr", empty_text=_("Nessuna linea PNRR corrisponde ai filtri."),
    )  # fmt: skip

    def render_voci(self, record):
        return ", ".join(v.nome or "—" for v in record.voci.all()) or "—"

    def value_voci(self, record):
        return ", ".join(v.nome for v in record.voci.all())

    def _sum(self, record, amount) -> Decimal:
        return sum((amount(v) for v in record.voci.all()), start=Decimal("0"))

    def _investimento(self, record):
        return self._sum(record, lambda v: v.investimento)

    def _gestione(self, record):
        return self._sum(record, lambda v: v.gestione_annua * v.anni_gestione)

    def _totale(self, record):
        return record.totale

    def render_investimento(self, record):
        return it_number(self._investimento(record), 2)

    def value_investimento(self, record):
        return self._investimento(record)

    def render_gestione(self, record):
        return it_number(self._gestione(record), 2)

    def value_gestione(self, record):
        return self._gestione(record)

    def render_totale(self, record):
        return it_number(self._totale(record), 2)

    def value_totale(self, record):
        return self._totale(record)

    def render_totale_stampato(self, record):
        value = record.totale_documento
        text = "—" if value is None else it_number(value, 2)
        if record.difforme:
            return format_html("{} {}", text, DIFFORME)
        return text

    def value_totale_stampato(self, record):
        return record.totale_documento


class ServizioAssociatoTable(tables.Table):
    caption = _("Servizi in gestione associata (filtrati), con attività, finanziamento, strumenti e tempistica")
    area = area_column()
    nome = tables.Column(verbose_name=_("Azioni e interventi in gestione associata"), attrs=TH)
    attivita_target = optional_text(_("Attività e target"), 100)
    canali_finanziamento = optional_text(_("Canali di finanziamento"))
    fondi = NamesColumn(verbose_name=_("Fondi"), attr="codice")
    strumenti = optional_text(_("Strumenti utilizzati"))
    tempistica = tables.Column(verbose_name=_("Tempistica"), attrs=TH, default="—")
    azioni = RowActionsColumn("servizio_associato")

    Meta = table_meta(
        ServizioAssociato,
        (
            "area", "nome", "attivita_target", "canali_finanziamento", "fondi", "strumenti", "tempistica", "azioni",
        ),
        testid="gestione", empty_text=_("Nessun servizio corrisponde ai filtri."),
    )  # fmt: skip


class OrganismoGovernanceTable(tables.Table):
    caption = _("Organismi e strumenti di governance (filtrati), con livello, composizione e funzioni")
    livello = tables.Column(verbose_name=_("Livello"), attrs=TH)
    nome = tables.Column(verbose_name=_("Organismo"), attrs=TH)
    composizione = optional_text(_("Composizione"), 100)
    funzioni = optional_text(_("Funzioni"), 140)
    azioni = RowActionsColumn("organismo_governance")

    Meta = table_meta(
        OrganismoGovernance,
        ("livello", "nome", "composizione", "funzioni", "azioni"),
        testid="governance", empty_text=_("Nessun organismo corrisponde ai filtri."),
    )  # fmt: skip
