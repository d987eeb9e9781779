"""The card answers of an intervention as cell values (plain text, «Sì/No, nota», numbers for amounts) and the area
an intervention belongs to, as the sheets of the plan's workbook show them."""

from __future__ import annotations

from planning.models import CampoModello, Intervento, TipoCampo

from ..blocks import sub_ambito_label


def md_text(text: str) -> str:
    """Markdown as readable plain text: list markers become bullets, emphasis marks go."""
    lines = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ")):
            stripped = "• " + stripped[2:]
        lines.append(stripped.replace("**", "").replace("__", ""))
    return "\n".join(lines).strip()


def _join(items) -> str:
    return "\n".join(f"• {i}" for i in items if i)


def base_value(intervento: Intervento, attributo: str):
    """A core field of the card (title, objective, actions, …) as text."""
    o = intervento.obiettivo
    values = {
        "titolo": lambda: intervento.titolo,
        "obiettivo": lambda: str(o),
        "obiettivo_strategico": lambda: str(o.parent) if o.parent_id else "",
        "descrizione": lambda: md_text(intervento.descrizione),
        "azioni": lambda: _join(a.titolo for a in intervento.azioni.all()),
        "target": lambda: md_text(intervento.target),
        "risorse": lambda: md_text(intervento.risorse_descrizione),
        "personale": lambda: md_text(intervento.personale),
        "indicatori": lambda: _join(i.descrizione for i in intervento.indicatori.all()),
        "partner": lambda: _join(p.nome for p in intervento.partner.all()),
    }
    return values.get(attributo, lambda: "")()


def _si_no(valore, nota: str) -> str:
    risposta = {True: "Sì", False: "No", None: ""}[valore.si_no]
    return f"{risposta}, {nota}" if risposta and nota else (risposta or nota)


def _scelte(campo: CampoModello, valore, nota: str) -> str:
    labels = ", ".join(campo.opzioni_dict.get(s, s) for s in valore.scelte)
    return f"{labels} – {nota}" if labels and nota and campo.tipo == TipoCampo.SCELTA else (nota or labels)


def _macro_aree(valore, nota: str) -> str:
    names = ", ".join(m.nome for m in valore.macro_aree.all())
    return f"{nota}\nMacro-aree: {names}" if names and nota else (nota or names)


def field_value(campo: CampoModello, valore):
    """A card answer as a cell value: text for text and choices, «Sì/No, nota», a number for amounts."""
    if valore is None:
        return None
    nota = md_text(valore.testo)
    if campo.tipo == TipoCampo.SI_NO:
        return _si_no(valore, nota)
    if campo.tipo in (TipoCampo.SCELTA, TipoCampo.SCELTA_MULTIPLA):
        return _scelte(campo, valore, nota)
    if campo.tipo == TipoCampo.MACRO_AREE:
        return _macro_aree(valore, nota)
    if campo.tipo == TipoCampo.PUNTI_CHIAVE:
        return "\n".join(filter(None, [_join(str(v) for v in valore.voci_punti_chiave.all()), nota]))
    if campo.tipo == TipoCampo.IMPORTO:
        return valore.importo if valore.importo is not None else (nota or None)
    return nota


def card_columns(interventi: list[Intervento]) -> list[CampoModello]:
    """Every field of the templates used by the plan, once per key (the same question shares a column)."""
    seen, out = set(), []
    for i in interventi:
        for campo in i.modello.campi.all():
            if campo.chiave not in seen:
                seen.add(campo.chiave)
                out.append(campo)
    return out


def area_label(intervento: Intervento) -> str:
    """«A. Title» of the intervention's area (its objective's or its root's), else its sub-ambito or «Ambito»."""
    o = intervento.obiettivo
    area = o.area_effettiva
    if area:
        return str(area)
    root = o.parent if o.parent_id else o
    return sub_ambito_label(root.sub_ambito) if root.sub_ambito_id else "Ambito"
