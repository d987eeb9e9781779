"""The card page: every field of the intervention's template, in the template's order, with its value."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.formatting import it_number
from core.markdown import render_markdown

from ..models import AttributoBase, CampoModello, Intervento, TipoCampo, ValoreCampo, ValorePuntoChiave


@dataclass
class RigaScheda:
    ordine: int
    etichetta: str
    aiuto: str
    valore: SafeString
    chiave: str


def intervento_scheda_queryset():
    """Everything the card page needs, in a fixed number of queries."""
    return Intervento.objects.select_related(
        "piano__ambito", "obiettivo__area", "obiettivo__parent__area", "obiettivo__sub_ambito", "modello"
    ).prefetch_related(
        "azioni",
        "indicatori__target",
        "risorse__fondo",
        "fondi",
        "leps",
        "partner",
        Prefetch("modello__campi", queryset=CampoModello.objects.order_by("ordine")),
        Prefetch(
            "valori",
            queryset=ValoreCampo.objects.prefetch_related(
                "macro_aree",
                Prefetch(
                    "voci_punti_chiave",
                    queryset=ValorePuntoChiave.objects.select_related("punto__macro_area").order_by("ordine"),
                ),
            ),
        ),
    )


def _list(items) -> SafeString:
    items = [i for i in items if i]
    if not items:
        return mark_safe("")
    return format_html("<ul class='mb-0'>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items)))


def _badges(labels) -> SafeString:
    labels = list(labels)
    if not labels:
        return mark_safe("")
    return format_html(
        "<p class='mb-0 mt-1'><span class='visually-hidden'>Voci selezionate: </span>{}</p>",
        format_html_join(" ", "<span class='badge bg-light text-dark border'>{}</span>", ((lbl,) for lbl in labels)),
    )


def _base(intervento: Intervento, attributo: str) -> SafeString:
    obiettivo = intervento.obiettivo
    if attributo == AttributoBase.TITOLO:
        return format_html("<strong>{}</strong>", intervento.titolo)
    if attributo == AttributoBase.OBIETTIVO:
        return format_html("{}", str(obiettivo))
    if attributo == AttributoBase.OBIETTIVO_STRATEGICO:
        return format_html("{}", str(obiettivo.parent) if obiettivo.parent_id else "")
    if attributo == AttributoBase.AZIONI:
        return _list(a.titolo for a in intervento.azioni.all())
    if attributo == AttributoBase.INDICATORI:
        return _list(f"{i.descrizione} ({i.get_tipo_display().lower()})" for i in intervento.indicatori.all())
    if attributo == AttributoBase.PARTNER:
        return _list(p.nome for p in intervento.partner.all())
    if attributo == AttributoBase.RISORSE:
        html = render_markdown(intervento.risorse_descrizione)
        totale = sum((r.previsto for r in intervento.risorse.all()), start=0)
        extra = _badges(f.nome for f in intervento.fondi.all())
        if totale:
            extra += format_html(
                "<p class='mb-0 mt-1'>Risorse previste nelle righe di bilancio: € {}</p>", it_number(totale, 2)
            )
        return html + extra
    field = {
        AttributoBase.DESCRIZIONE: "descrizione",
        AttributoBase.TARGET: "target",
        AttributoBase.PERSONALE: "personale",
    }[attributo]
    return render_markdown(getattr(intervento, field))


def _si_no(campo: CampoModello, valore: ValoreCampo, nota: str) -> SafeString:
    risposta = {True: "Sì", False: "No", None: ""}[valore.si_no]
    return render_markdown(f"{risposta}, {nota}" if risposta and nota else (risposta or nota))


def _scelta(campo: CampoModello, valore: ValoreCampo, nota: str) -> SafeString:
    scelta = campo.opzioni_dict.get(valore.scelte[0], valore.scelte[0]) if valore.scelte else ""
    return render_markdown(" ".join(p for p in (scelta, nota) if p))


def _scelta_multipla(campo: CampoModello, valore: ValoreCampo, nota: str) -> SafeString:
    labels = [campo.opzioni_dict.get(s, s) for s in valore.scelte]
    if nota:
        return render_markdown(nota) + _badges(labels)
    return format_html("{}", " / ".join(labels))


def _macro_aree(campo: CampoModello, valore: ValoreCampo, nota: str) -> SafeString:
    return render_markdown(nota) + _badges(m.nome for m in valore.macro_aree.all())


def _punti_chiave(campo: CampoModello, valore: ValoreCampo, nota: str) -> SafeString:
    voci = list(valore.voci_punti_chiave.all())
    if not campo.raggruppa:
        return _list(str(v) for v in voci) + render_markdown(nota)
    groups: dict[str, list[str]] = {}
    for v in voci:
        p = v.punto
        groups.setdefault(p.macro_area.nome if p.macro_area_id else "Altri punti chiave", []).append(str(v))
    return format_html(
        "<dl class='mb-0'>{}</dl>",
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((k, _list(v)) for k, v in groups.items())),
    ) + render_markdown(nota)


def _importo(campo: CampoModello, valore: ValoreCampo, nota: str) -> SafeString:
    if valore.importo is None:
        return render_markdown(nota)
    amount = format_html("€ {}", it_number(valore.importo, 2))
    return format_html("<p class='mb-1'><strong>{}</strong></p>", amount) + render_markdown(nota)


_RENDER = {
    TipoCampo.SI_NO: _si_no,
    TipoCampo.SCELTA: _scelta,
    TipoCampo.SCELTA_MULTIPLA: _scelta_multipla,
    TipoCampo.MACRO_AREE: _macro_aree,
    TipoCampo.PUNTI_CHIAVE: _punti_chiave,
    TipoCampo.IMPORTO: _importo,
}


def _valore(campo: CampoModello, valore: ValoreCampo | None) -> SafeString:
    """The answer of a template field as HTML: the typed value and the note (Markdown)."""
    if valore is None:
        return mark_safe("")
    nota = valore.testo or ""
    render = _RENDER.get(campo.tipo)
    return render(campo, valore, nota) if render else render_markdown(nota)


def scheda_righe(intervento: Intervento) -> list[RigaScheda]:
    """The card's rows in the template's order (uses the prefetched relations of intervento_scheda_queryset)."""
    valori = {v.campo_id: v for v in intervento.valori.all()}
    righe = []
    for campo in intervento.modello.campi.all():
        html = (
            _base(intervento, campo.attributo) if campo.tipo == TipoCampo.BASE else _valore(campo, valori.get(campo.pk))
        )
        righe.append(RigaScheda(campo.ordine, campo.etichetta, campo.aiuto, html, campo.chiave))
    return righe
