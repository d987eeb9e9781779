"""Tables of the schede pages."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.formatting import it_number
from core.tables import NumberColumn

STATE_BADGE = {
    "non_iniziata": "secondary",
    "bozza": "warning",
    "inviata": "primary",
    "validata": "success",
    "rimandata": "danger",
    "riaperta": "warning",
}


class OverviewTable(tables.Table):
    comune_codice = tables.Column(verbose_name=_("Codice ISTAT"))
    comune_nome = tables.Column(verbose_name=_("Comune"))
    modello = tables.Column(verbose_name=_("Scheda"))
    stato_label = tables.Column(verbose_name=_("Stato"), order_by=("stato",))
    completezza = NumberColumn(verbose_name=_("Completezza %"), decimals=1)
    errori = NumberColumn(verbose_name=_("Errori"))
    avvisi = NumberColumn(verbose_name=_("Avvisi"))
    modificata_il = tables.DateTimeColumn(verbose_name=_("Ultima modifica"))
    giorni = NumberColumn(verbose_name=_("Giorni alla scadenza"))

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ("comune_nome", "modello")
        empty_text = _("Nessuna scheda corrisponde ai filtri.")

    def render_modello(self, value, record):
        if record.scheda_id:
            return format_html(
                '<a href="{}">{}</a>', reverse("monitoring:scheda_detail", args=[record.scheda_id]), value
            )
        return value

    def render_stato_label(self, value, record):
        return format_html('<span class="badge bg-{}">{}</span>', STATE_BADGE.get(record.stato, "secondary"), value)

    def render_giorni(self, value, record):
        if record.stato in ("inviata", "validata"):
            return "—"
        if value < 0:
            return format_html('<span class="text-danger fw-bold">scaduta da {} gg</span>', it_number(-value))
        return it_number(value)
