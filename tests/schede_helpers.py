"""Helpers for the schede tests."""

from monitoring.models import Scheda


def reggio(code: str) -> Scheda:
    return Scheda.objects.select_related("modello", "comune").get(modello__codice=code, comune_id="035033")


def magenta_nid() -> Scheda:
    return Scheda.objects.select_related("modello", "comune").get(modello__codice="NID26", comune_id="015130")


def entry_post(scheda: Scheda, values: dict[str, str], **extra) -> dict:
    """POST data for a quadro page: {"R05-N25": "748"} → {"v-R05-N25": "748", version...}."""
    data = {f"v-{k}": v for k, v in values.items()}
    data["version"] = str(scheda.versione)
    data["loaded_at"] = scheda.modificata_il.isoformat()
    data.update(extra)
    return data
