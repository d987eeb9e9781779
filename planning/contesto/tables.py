"""django-tables2 tables of the spending facts and of the printed figures (exports use the same columns)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.formatting import it_number
from core.tables import NumberColumn, table_meta

from ..models import SpesaSociale, ValoreStampato

TH: dict = {}


class AnnoColumn(tables.Column):
    """A year, never with a thousands separator."""

    def render(self, value):
        return str(value)


class SpesaSocialeTable(tables.Table):
    caption = _("Fatti di spesa sociale (filtrati): una riga per voce, anno e tabella")
    ambito = tables.Column(verbose_name=_("Ambito"), accessor="tabella__ambito__nome")
    tabella = tables.Column(
        verbose_name=_("Tabella"), accessor="tabella__codice", linkify=lambda record: record.tabella.get_absolute_url()
    )
    anno = AnnoColumn(verbose_name=_("Anno"), attrs=TH)
    dimensione = tables.Column(verbose_name=_("Dimensione"), accessor="voce__dimensione")
    voce = tables.Column(verbose_name=_("Voce"), accessor="voce__nome", order_by=("voce__ordine",))
    area = tables.Column(verbose_name=_("Area di utenza"), accessor="voce__area__nome", default="—")
    ente = tables.Column(verbose_name=_("Spesa di"), accessor="tabella__ente")
    valore = NumberColumn(verbose_name=_("Valore"), decimals=2, default="—")
    misura = tables.Column(verbose_name=_("Misura"), accessor="tabella__misura")
    nota = tables.Column(verbose_name=_("Nota"), default="", attrs=TH)
    modifica = tables.Column(verbose_name=_("Azioni"), accessor="pk", orderable=False, exclude_from_export=True)

    Meta = table_meta(
        SpesaSociale,
        ("ambito", "tabella", "anno", "dimensione", "voce", "area", "ente", "valore", "misura", "nota", "modifica"),
        testid="tabella-spesa",
        empty_text=_("Nessun dato di spesa corrisponde ai filtri."),
    )

    def __init__(self, *args, can_edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit:
            self.columns.hide("modifica")

    def render_dimensione(self, record):  # also the exported value
        return record.voce.get_dimensione_display()

    def render_ente(self, record):  # also the exported value
        return record.tabella.get_ente_display()

    def render_misura(self, record):  # also the exported value
        return record.tabella.get_misura_display()

    def render_valore(self, record):
        if record.valore is None:
            return "—"
        return it_number(record.valore, 1 if record.tabella.percentuale else 2) + (
            "%" if record.tabella.percentuale else ""
        )

    def value_valore(self, record):
        return record.valore

    def render_modifica(self, record):
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {} {}</span></a>',
            reverse("planning:spesa_update", args=[record.pk]),
            _("modifica"),
            record.voce.nome,
            record.anno,
        )


class ValoreStampatoTable(tables.Table):
    """Printed figures with the value recomputed from the facts (`checks`: pk → Controllo)."""

    caption = _("Valori stampati nei documenti confrontati con il valore calcolato dai fatti (filtrati)")
    riferimento = tables.Column(verbose_name=_("Riferimento"), attrs=TH)
    etichetta = tables.Column(verbose_name=_("Voce stampata"), attrs=TH)
    anno = AnnoColumn(verbose_name=_("Anno"), attrs=TH)
    grandezza = tables.Column(verbose_name=_("Grandezza"), attrs=TH)
    valore = NumberColumn(verbose_name=_("Stampato"), decimals=2)
    calcolato = tables.Column(
        verbose_name=_("Calcolato"),
        accessor="pk",
        orderable=False,
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end", "scope": "col"}},
    )
    differenza = tables.Column(
        verbose_name=_("Differenza"),
        accessor="pk",
        orderable=False,
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end", "scope": "col"}},
    )
    esito = tables.Column(verbose_name=_("Esito"), accessor="pk", orderable=False)
    modifica = tables.Column(verbose_name=_("Azioni"), accessor="pk", orderable=False, exclude_from_export=True)

    Meta = table_meta(
        ValoreStampato,
        ("riferimento", "etichetta", "anno", "grandezza", "valore", "calcolato", "differenza", "esito", "modifica"),
        testid="tabella-valori-stampati",
        empty_text=_("Nessun valore stampato corrisponde ai filtri."),
    )

    def __init__(self, *args, checks: dict, can_edit: bool = False, **kwargs):
        self.checks = checks
        super().__init__(*args, **kwargs)
        if not can_edit:
            self.columns.hide("modifica")

    def render_valore(self, record):
        return it_number(record.valore, record.decimali)

    def value_valore(self, record):
        return record.valore

    def _check(self, record):
        return self.checks.get(record.pk)

    @staticmethod
    def _decimals(record) -> int:
        return max(record.decimali, 2) if record.grandezza == "variazione" else record.decimali

    def _figure(self, record, name: str):
        """The check's figure `name` (calcolato, differenza) of the row; None without a check or a figure."""
        c = self._check(record)
        return getattr(c, name) if c else None

    def _render_figure(self, record, name: str, missing: str) -> str:
        value = self._figure(record, name)
        return missing if value is None else it_number(value, self._decimals(record))

    def render_calcolato(self, record):
        return self._render_figure(record, "calcolato", "n.d.")

    def value_calcolato(self, record):
        return self._figure(record, "calcolato")

    def render_differenza(self, record):
        return self._render_figure(record, "differenza", "—")

    def value_differenza(self, record):
        return self._figure(record, "differenza")

    def _esito(self, record) -> str:
        c = self._check(record)
        if c is None or not c.ricalcolabile:
            return str(_("non ricalcolabile"))
        return str(_("DIFFORME")) if c.difforme else str(_("coincide"))

    def render_esito(self, record):
        c = self._check(record)
        text = self._esito(record)
        if c is not None and c.difforme:
            return format_html('<span class="badge bg-danger" data-testid="difforme">{}</span>', text)
        return text

    def value_esito(self, record):
        return self._esito(record)

    def render_modifica(self, record):
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
            reverse("planning:valore_stampato_update", args=[record.pk]),
            _("modifica"),
            record.etichetta,
        )
