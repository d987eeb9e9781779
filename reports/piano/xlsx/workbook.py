"""`build_piano_xlsx(piano)`: the plan's workbook, sheet after sheet (see the package's docstring)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from planning.models import PianoDiZona
from planning.piano.selectors import interventi_schede

from .bilancio import sheet_assegnazioni, sheet_bilancio_area, sheet_bilancio_fondo, sheet_quote, sheet_rischio
from .dati import sheet_popolazione, sheet_spesa
from .indicatori import sheet_indicatori
from .risorse import sheet_risorse, sheet_totali
from .struttura import sheet_azioni, sheet_interventi, sheet_obiettivi


def build_piano_xlsx(piano: PianoDiZona) -> bytes:
    interventi = interventi_schede(piano)
    counts: dict[int, int] = {}
    for i in interventi:
        counts[i.obiettivo_id] = counts.get(i.obiettivo_id, 0) + 1
    wb = Workbook(write_only=True)
    wb.properties.title = piano.titolo
    wb.properties.creator = piano.ambito.ente_capofila or piano.ambito.nome
    wb.properties.subject = f"Piano di Zona {piano.periodo} – {piano.ambito.nome}"
    wb.calculation.fullCalcOnLoad = True  # the totals are formulas: computed when the file is opened
    sheet_obiettivi(wb, piano, counts)
    sheet_interventi(wb, interventi)
    sheet_azioni(wb, piano)
    sheet_indicatori(wb, piano)
    sheet_totali(wb, piano, sheet_risorse(wb, piano, interventi))
    sheet_bilancio_area(wb, piano)
    sheet_bilancio_fondo(wb, piano)
    sheet_assegnazioni(wb, piano)
    sheet_rischio(wb, piano)
    sheet_quote(wb, piano)
    sheet_popolazione(wb, piano)
    sheet_spesa(wb, piano)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
