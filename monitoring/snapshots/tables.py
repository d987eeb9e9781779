"""django-tables2 tables of the quarterly snapshots (exports use the same columns)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.formatting import it_percent
from core.tables import NumberColumn, table_meta

from .models import Rilevazione, StatoAzioneRilevato, ValoreIndicatoreRilevato

TH: dict = {}


def _area(obiettivo) -> str:
    area = obiettivo.area_effettiva
    if area is not None:
        return area.codice
    return obiettivo.sub_ambito.nome if obiettivo.sub_ambito_id else "—"


class RilevazioneTable(tables.Table):
    caption = _("Rilevazioni trimestrali del piano (filtrate)")
    codice = tables.Column(verbose_name=_("Trimestre"), accessor="pk", linkify=True, order_by=("anno", "trimestre"))
    stato = tables.Column(verbose_name=_("Stato"), attrs=TH)
    n_azioni = NumberColumn(verbose_name=_("Azioni"))
    pct = tables.Column(
        verbose_name=_("% azioni realizzate"), accessor="pk", orderable=False,
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end", "scope": "col"}},
    )  # fmt: skip
    n_rilevati = NumberColumn(verbose_name=_("Indicatori rilevati"))
    n_indicatori = NumberColumn(verbose_name=_("Indicatori"))
    chiusa_il = tables.DateTimeColumn(verbose_name=_("Chiusa il"), format="d/m/Y H:i", attrs=TH)
    chiusa_da = tables.Column(verbose_name=_("Chiusa da"), attrs=TH)

    Meta = table_meta(
        Rilevazione,
        ("codice", "stato", "n_azioni", "pct", "n_rilevati", "n_indicatori", "chiusa_il", "chiusa_da"),
        testid="tabella-rilevazioni",
        empty_text=_("Nessuna rilevazione."),
    )

    def render_codice(self, record):
        demo = format_html(' <span class="badge bg-light text-dark border">{}</span>', _("dimostrativa"))
        return format_html("{}{}", record.codice, demo if record.dimostrativa else "")

    def value_codice(self, record):
        return record.codice

    def _pct(self, record):
        return record.n_realizzate * 100 / record.n_azioni if record.n_azioni else None

    def render_pct(self, record):
        return it_percent(self._pct(record), 1) or "—"

    def value_pct(self, record):
        value = self._pct(record)
        return round(value, 1) if value is not None else None


def intervento_columns(path: str) -> tuple[tables.Column, tables.Column]:
    """The area and intervention columns of rows that belong to an intervention through `path` (their action, their
    indicator)."""
    area = tables.Column(verbose_name=_("Area"), accessor=f"{path}__intervento__obiettivo", orderable=False)
    intervento = tables.Column(
        verbose_name=_("Intervento"), accessor=f"{path}__intervento", linkify=True,
        order_by=(f"{path}__intervento__ordine",),
    )  # fmt: skip
    return area, intervento


class InterventoRowsTable(tables.Table):
    """A table of a snapshot's rows by intervention: the area (`intervento_columns`) shows its code."""

    def render_area(self, value):  # also the exported value
        return _area(value)


class StatoAzioneTable(InterventoRowsTable):
    caption = _("Stato delle azioni alla rilevazione (filtrate)")
    area, intervento = intervento_columns("azione")
    azione = tables.Column(verbose_name=_("Azione"), accessor="azione__titolo", order_by=("azione__ordine",))
    stato = tables.Column(verbose_name=_("Stato"), attrs=TH)
    commento = tables.Column(verbose_name=_("Commento"), default="—", attrs=TH)

    Meta = table_meta(
        StatoAzioneRilevato,
        ("area", "intervento", "azione", "stato", "commento"),
        testid="tabella-stati-azioni",
        empty_text=_("Nessuna azione corrisponde ai filtri."),
    )


class ValoreIndicatoreTable(InterventoRowsTable):
    caption = _("Valori degli indicatori alla rilevazione (filtrati), rispetto al target dell'anno")
    area, intervento = intervento_columns("indicatore")
    indicatore = tables.Column(verbose_name=_("Indicatore"), accessor="indicatore__descrizione")
    tipo = tables.Column(verbose_name=_("Tipo"), accessor="indicatore__tipo")
    target = NumberColumn(verbose_name=_("Target dell'anno"), unit="indicatore__unita")
    valore = NumberColumn(verbose_name=_("Valore rilevato"), unit="indicatore__unita")
    pct = tables.Column(
        verbose_name=_("% del target"), accessor="pk", orderable=False,
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end", "scope": "col"}},
    )  # fmt: skip
    commento = tables.Column(verbose_name=_("Commento"), default="—", attrs=TH)

    Meta = table_meta(
        ValoreIndicatoreRilevato,
        ("area", "intervento", "indicatore", "tipo", "target", "valore", "pct", "commento"),
        testid="tabella-valori-indicatori",
        empty_text=_("Nessun indicatore corrisponde ai filtri."),
    )

    def render_tipo(self, record):  # also the exported value
        return record.indicatore.get_tipo_display()

    def _pct(self, record):
        if record.valore is None or not record.target:
            return None
        return record.valore * 100 / record.target

    def render_pct(self, record):
        return it_percent(self._pct(record), 1) or "—"

    def value_pct(self, record):
        value = self._pct(record)
        return round(value, 1) if value is not None else None
