"""Chapter «Analisi dei bisogni»: the needs each intervention answers (cards' «bisogni» and «tipo di bisogno»),
by area."""

from __future__ import annotations

from planning.models import Intervento, PianoDiZona, ValoreCampo
from planning.piano.selectors import interventi_schede, valori_per_chiave

from ..blocks import Sottosezione, structure, text_items


def _tipo(intervento: Intervento, valore: ValoreCampo) -> str:
    """The answer to «tipo di bisogno»: the labels of the choices, or the text."""
    campo = next(c for c in intervento.modello.campi.all() if c.pk == valore.campo_id)
    return ", ".join(campo.opzioni_dict.get(s, s) for s in valore.scelte) or valore.testo


def bisogni_context(piano: PianoDiZona, interventi: list[Intervento] | None = None) -> dict:
    interventi = interventi if interventi is not None else interventi_schede(piano)
    gruppi = structure(piano, "bis", interventi)
    for g in gruppi:
        for i in g.interventi:
            valori = valori_per_chiave(i)
            bisogni = text_items(valori["bisogni"].testo) if "bisogni" in valori else []
            tipo = _tipo(i, valori["tipo_bisogno"]) if "tipo_bisogno" in valori else ""
            if bisogni or tipo:
                g.righe.append({"intervento": i, "bisogni": bisogni, "tipo": tipo})
    gruppi = [g for g in gruppi if g.righe]
    return {"gruppi": gruppi, "sottosezioni": [Sottosezione(g.titolo, g.anchor) for g in gruppi]}
