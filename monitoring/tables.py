"""Tables of the schede pages."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.formatting import it_number
from core.tables import DateTimeColumn, NumberColumn

from .overview import STATE_BADGE


class OverviewTable(tables.Table):
    """The overview rows (monitoring.overview.OverviewRow). The page's cells are written by its template, as the
    render_* methods below write them (the tests compare the two); the exports take the values."""

    comune_codice = tables.Column(verbose_name=_("Codice ISTAT"))
    comune_nome = tables.Column(verbose_name=_("Comune"))
    modello = tables.Column(verbose_name=_("Scheda"))
    stato_label = tables.Column(verbose_name=_("Stato"), order_by=("stato",))
    completezza = NumberColumn(verbose_name=_("Completezza %"), decimals=1)
    errori = NumberColumn(verbose_name=_("Errori"))
    avvisi = NumberColumn(verbose_name=_("Avvisi"))
    modificata_il = DateTimeColumn(verbose_name=_("Ultima modifica"))
    giorni = NumberColumn(verbose_name=_("Giorni alla scadenza"))

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ("comune_nome",)
        empty_text = _("Nessuna scheda corrisponde ai filtri.")
        template_name = "monitoring/_overview_table.html"

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


class OutlierTable(tables.Table):
    """The values outside their history's bounds (monitoring.outlier_checks.OutlierRow), numbers in the cell's
    format."""

    comune_nome = tables.Column(verbose_name=_("Comune"))
    cell = tables.Column(verbose_name=_("Cella"), order_by=("quadro", "row", "col"))
    value = tables.Column(verbose_name=_("Valore"), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})
    intervallo = tables.Column(verbose_name=_("Intervallo atteso"), accessor="bounds", orderable=False)
    mediana = tables.Column(verbose_name=_("Mediana"), accessor="bounds", orderable=False,
                            attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})  # fmt: skip
    anni = tables.Column(verbose_name=_("Anni dello storico"), accessor="bounds", orderable=False)
    comment = tables.Column(verbose_name=_("Commento (giustificazione)"), empty_values=())

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "anomalie"}
        order_by = ("comune_nome",)
        empty_text = _("Nessun valore fuori dall'intervallo storico corrisponde ai filtri.")

    def render_comune_nome(self, value, record):
        url = reverse("monitoring:scheda_detail", args=[record.scheda_id])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_cell(self, value, record):
        url = reverse("monitoring:quadro", args=[record.scheda_id, record.quadro]) + f"#c-{record.name}"
        return format_html(
            '<a href="{}">{}</a> <span class="small">(Quadro {}) {} — {}</span>',
            url, value, record.quadro, record.row_label, record.col_label,
        )  # fmt: skip

    def render_value(self, value, record):
        return it_number(value, record.decimals)

    def render_intervallo(self, value, record):
        return format_html("{} – {}", it_number(value.low, record.decimals), it_number(value.high, record.decimals))

    def render_mediana(self, value, record):
        return it_number(value.median, record.decimals)

    def render_anni(self, value, record):
        return value.years_label

    def render_comment(self, value, record):
        if record.justified:
            return value
        return format_html('<span class="badge bg-danger">{}</span>', _("Da giustificare"))
