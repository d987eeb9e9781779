"""django-tables2 tables of the Piano di Zona (exports use the same columns)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import NumberColumn, ShortTextColumn, YearColumn, table_meta

from ..models import Azione, Intervento, Risorsa

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
    area = tables.Column(verbose_name=_("Area"), accessor="obiettivo__area__codice", attrs=TH, default="—")
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
