"""Comparison of the indicators of one template (a campaign) across the Comuni of an Ambito: page, CSV and XLSX."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpResponseBase
from django.views.generic import TemplateView

from accounts.scoping import AmbitoMixin
from core.exports import EXPORT_FORMATS, csv_response, xlsx_response
from monitoring.navigation import schede_ambito_trail

from ..comparison import Comparison, chosen_modello, compare_comuni, comparison_charts, comparison_modelli


def export_rows(comparison: Comparison):
    """The table as rows for a spreadsheet: one row per indicator × unit × target (the totals after the units),
    values rounded as on the page (R21 51,80; R01B 2651)."""
    yield [
        "Indicatore",
        comparison.unit_label,
        "Codice",
        "Valore",
        "Numeratore",
        "Denominatore",
        "Obiettivo",
        "Valore obiettivo",
        "Raggiunto",
        "Divario",
        "Unità del divario",
    ]
    for ind in comparison.indicators:
        for row in [*ind.rows, ind.total]:
            for target in row.targets:
                yield [
                    ind.code,
                    row.name,
                    row.code,
                    _number(ind.rounded(row.value), ind.decimals),
                    _number(row.numerator),
                    _number(row.denominator),
                    target.label,
                    _number(ind.rounded(target.target), ind.decimals),
                    "" if target.met is None else ("sì" if target.met else "no"),
                    _number(target.gap, ind.gap_decimals),
                    ind.gap_unit,
                ]


def _number(value: Decimal | None, decimals: int | None = None) -> Decimal | int | None:
    """Whole numbers as integers (no «,00» in the CSV), others as they are."""
    if value is None:
        return None
    if decimals == 0 or (decimals is None and value == value.to_integral_value()):
        return int(value)
    return value


class ComparisonView(AmbitoMixin, TemplateView):
    """«Confronto degli indicatori» of an Ambito: each indicator of the template (?modello=NID26; the latest
    active by default) per Comune, sorted by gap to the target, with the Ambito totals (ratios of sums), a chart
    per indicator; ?_export=csv|xlsx gives the table. Ufficio di Piano, Dirigente, Amministratore (404 otherwise)."""

    template_name = "monitoring/confronto.html"

    def get(self, request, *args, **kwargs):
        modelli = comparison_modelli()
        modello = chosen_modello(request.GET.get("modello"), modelli)
        if modello is None:
            raise Http404("Modello di scheda inesistente o non attivo.")
        comparison = compare_comuni(self.ambito, modello, request.user)
        fmt = request.GET.get("_export")
        if fmt:
            return self.export(fmt, comparison)
        charts = comparison_charts(comparison, f"confronto-{self.ambito.slug}")
        context = self.get_context_data(
            ambito=self.ambito,
            modello=modello,
            modelli=modelli,
            sections=list(zip(comparison.indicators, charts, strict=True)),
            comparison=comparison,
            link_schede=True,
            breadcrumbs=schede_ambito_trail(request.user, self.ambito).then("Confronto degli indicatori"),
        )
        return self.render_to_response(context)

    def export(self, fmt: str, comparison: Comparison) -> HttpResponseBase:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        name = f"confronto-{self.ambito.slug}-{comparison.modello.codice}"
        if fmt == "csv":
            return csv_response(export_rows(comparison), name)
        return xlsx_response(export_rows(comparison), name, sheet_title=f"Confronto {comparison.modello.codice}")
