"""Helpers for the schede tests."""

from django.db.models import Q

from monitoring.models import Scheda, ValoreCella
from monitoring.services import scheda_compute, scheda_save


def reggio(code: str) -> Scheda:
    return Scheda.objects.select_related("modello", "comune").get(modello__codice=code, comune_id="035033")


def magenta_nid() -> Scheda:
    return Scheda.objects.select_related("modello", "comune").get(modello__codice="NID26", comune_id="015130")


def stored(scheda: Scheda, riga: str, colonna: str, attr: str = "valore"):
    """What the database holds for one cell of the scheda (its value, or `attr`: commento, precompilato)."""
    return getattr(ValoreCella.objects.get(scheda=scheda, riga=riga, colonna=colonna), attr)


def result(scheda: Scheda, key: str) -> str:
    """The computed result `key` (e.g. "R10.N25") that the scheda stores now."""
    scheda.refresh_from_db()
    return scheda.risultati[key]


def save_comment(scheda: Scheda, user, cell: tuple[str, str], text: str) -> None:
    """Save a comment on one cell (row, column) through the service, as the form of a quadro does."""
    scheda_save(scheda=scheda, user=user, values={}, comments={cell: text}, expected_version=scheda.versione)


def entry_post(scheda: Scheda, values: dict[str, str], **extra) -> dict:
    """POST data for a quadro page: {"R05-N25": "748"} → {"v-R05-N25": "748", version...}."""
    data = {f"v-{k}": v for k, v in values.items()}
    data["version"] = str(scheda.versione)
    data["loaded_at"] = scheda.modificata_il.isoformat()
    data.update(extra)
    return data


def fill_required(scheda: Scheda, user) -> None:
    """Fill every required cell still empty (0, NO or "n.d."), as a Comune completing its scheda would."""
    scheda.refresh_from_db()
    compiled = scheda.modello.compiled()
    missing = scheda_compute(scheda=scheda).missing
    filler = {"sino": "NO", "testo": "n.d."}
    values = {key: filler.get(compiled.cells[key].unit, "0") for key in missing}
    scheda_save(scheda=scheda, user=user, values=values, expected_version=scheda.versione)
    scheda.refresh_from_db()


def confirm_post(scheda: Scheda) -> dict:
    """POST data of «Conferma l'invio» on the confirmation page."""
    return {"azione": "invia", "conferma": "1", "version": str(scheda.versione)}


def seed_schede():
    """The three schede of monitoring/demo.py (Reggio's NID26 and SOC26, Magenta's NID26), without the schede of the
    demo campaigns (monitoring/campaigns/demo.py)."""
    return Scheda.objects.filter(Q(comune_id="035033") | Q(comune_id="015130", modello__codice="NID26"))
