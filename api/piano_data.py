"""The intervention card as plain data: every field of its template, in order, with the answer as plain text."""

from __future__ import annotations

import html
import re
from typing import Any

from django.utils.html import strip_tags

from planning.models import Intervento
from planning.piano.cards import scheda_righe

_BREAKS = re.compile(r"</(li|p|div|h\d)>|<br\s*/?>", re.IGNORECASE)


def plain_text(rendered: str) -> str:
    """The card's HTML answer as plain text: one line per list item or paragraph, entities decoded."""
    text = html.unescape(strip_tags(_BREAKS.sub("\n", rendered)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def campi_scheda(intervento: Intervento) -> list[dict[str, Any]]:
    """The card's fields (uses the relations prefetched by planning.piano.cards.intervento_scheda_queryset)."""
    valori = {v.campo_id: v for v in intervento.valori.all()}
    out = []
    for campo, riga in zip(intervento.modello.campi.all(), scheda_righe(intervento), strict=True):
        valore = valori.get(campo.pk)
        out.append(
            {
                "ordine": campo.ordine,
                "chiave": campo.chiave,
                "etichetta": campo.etichetta,
                "tipo": campo.tipo,
                "testo": plain_text(riga.valore),
                "si_no": valore.si_no if valore else None,
                "scelte": [str(s) for s in valore.scelte] if valore and isinstance(valore.scelte, list) else [],
                "importo": valore.importo if valore else None,
            }
        )
    return out
