"""Monitoring's rows in the data versions (core.versions): a scheda and its values belong to the Ambito of its
Comune (territory.versions), the quarterly snapshots to their Piano di Zona (planning.versions), the scheda
templates are read by every Ambito's documents. Writes that send no signal call the bump functions themselves
(``bump_ambiti_of_comuni``, ``bump_piani``)."""

from __future__ import annotations

from planning.versions import track_piano
from territory.versions import track_ambito, track_catalogue

from .models import Campagna, ModelloScheda, Promemoria, Scadenza, Scheda, ValoreCella
from .snapshots.models import Rilevazione, StatoAzioneRilevato, ValoreIndicatoreRilevato


def register() -> None:
    track_catalogue(ModelloScheda)
    track_ambito(Scheda, "comune__ambito")
    track_ambito(ValoreCella, "scheda__comune__ambito")
    track_ambito(Campagna, "ambito")
    track_ambito(Scadenza, "campagna__ambito")
    track_ambito(Promemoria, "campagna__ambito")  # the campaign page counts them; a digest (no campaign): none
    track_piano(Rilevazione, "piano")
    track_piano(StatoAzioneRilevato, "rilevazione__piano")
    track_piano(ValoreIndicatoreRilevato, "rilevazione__piano")
