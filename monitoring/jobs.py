"""Long work on the schede of an Ambito as jobs of the task queue (jobs.registry), registered by MonitoringConfig:

- «schede-valori»: every value of the schede of the Ambito in one .xlsx (the «Valori di tutte le schede» export);
- «schede-ricalcolo»: recompute and store the results of every scheda (after a template change);
- «campagna-schede»: create the schede of a campaign's expected Comuni, when they are too many for the request
  that opens it (monitoring.campaigns.services.campagna_crea_schede).

The request asks for the job (`request_export`, `request_recompute`: the Comuni the user may see, the active
templates) and shows its progress page; the worker rebuilds the queryset from the job's `parametri`. The key of
a job is the fingerprint of the data it reads (how many schede, the latest change, the templates' versions): the
same data gives the same job, a change gives a new one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, QuerySet

from accounts.scoping import MANAGE, VIEW, can_all, can_on_ambito, manages_with_comuni
from core.exports import XLSX_CONTENT_TYPE
from jobs import registry
from jobs.models import Job
from jobs.services import request_job
from territory.models import Ambito, Comune

from .bulk_export import export_schede_to_file
from .campaigns.models import Campagna
from .campaigns.services import campagna_crea_schede, comuni_senza_scheda
from .models import ModelloScheda, Scheda
from .services import schede_recompute_all

EXPORT = "schede-valori"
RECOMPUTE = "schede-ricalcolo"
CAMPAIGN_SCHEDE = "campagna-schede"


def job_schede(parametri: dict[str, Any]) -> QuerySet[Scheda]:
    """The schede of the job: its Comuni × its templates."""
    return Scheda.objects.filter(comune__in=parametri["comuni"], modello__in=parametri["modelli"])


def run_export(parametri: dict[str, Any], out: Path, progress: registry.Progress) -> str:
    """Stream the values to `out` (monitoring.bulk_export: bounded memory), step n of m every few hundred schede."""
    count = export_schede_to_file(job_schede(parametri), out, progress)
    return f"valori di {count} schede"


def run_recompute(parametri: dict[str, Any], out: Path, progress: registry.Progress) -> str:
    """Recompute by chunks, one transaction each (monitoring.services.schede_recompute_all)."""
    count = schede_recompute_all(job_schede(parametri), progress)
    return f"{count} schede ricalcolate"


def run_campaign_schede(parametri: dict[str, Any], out: Path, progress: registry.Progress) -> str:
    """Create the campaign's missing schede as the user who opened it (one transaction per scheda)."""
    campagna = Campagna.objects.get(pk=parametri["campagna"])
    user = get_user_model().objects.filter(pk=parametri.get("utente")).first()
    count = campagna_crea_schede(campagna=campagna, user=user, progress=progress)
    return f"{count} schede create"


def reads_comuni(parametri: dict[str, Any], user) -> bool:
    """The export's requester still sees every Comune it was asked for."""
    return can_all(user, VIEW, Comune.objects.all(), parametri["comuni"])


def manages_ambito(parametri: dict[str, Any], user) -> bool:
    """The recompute's requester still manages the Ambito (and sees its Comuni)."""
    return manages_with_comuni(user, parametri["ambito"], parametri["comuni"], VIEW)


def manages_campaign(parametri: dict[str, Any], user) -> bool:
    """The requester still manages the campaign's Ambito."""
    campagna = Campagna.objects.filter(pk=parametri["campagna"]).select_related("ambito").first()
    return campagna is not None and can_on_ambito(user, MANAGE, campagna.ambito)


def register_kinds() -> None:
    registry.register(EXPORT, run=run_export, allowed=reads_comuni, label="Valori di tutte le schede (.xlsx)")
    registry.register(
        RECOMPUTE, run=run_recompute, allowed=manages_ambito, label="Ricalcolo di tutte le schede", produces_file=False
    )
    registry.register(
        CAMPAIGN_SCHEDE,
        run=run_campaign_schede,
        allowed=manages_campaign,
        label="Schede della campagna",
        produces_file=False,
    )


def request_campaign_schede(campagna: Campagna, user, back_url: str) -> Job:
    """The job that creates the campaign's missing schede, keyed by the campaign and the Comuni still missing."""
    missing = [c.pk for c in comuni_senza_scheda(campagna)]
    parametri = {"campagna": campagna.pk, "utente": getattr(user, "pk", None)}
    payload = json.dumps([CAMPAIGN_SCHEDE, campagna.pk, missing])
    return request_job(
        kind=CAMPAIGN_SCHEDE,
        chiave=hashlib.sha256(payload.encode()).hexdigest(),
        titolo=f"Schede della campagna {campagna.modello.codice} — {campagna.ambito.nome}",
        user=user,
        parametri=parametri,
        back_url=back_url,
    )


def _parametri(ambito: Ambito, comuni: QuerySet[Comune], modelli: list[ModelloScheda]) -> dict[str, Any]:
    return {
        "ambito": ambito.pk,
        "comuni": sorted(comuni.order_by().values_list("pk", flat=True)),
        "modelli": [m.pk for m in modelli],
    }


def data_key(kind: str, parametri: dict[str, Any], modelli: list[ModelloScheda]) -> str:
    """The fingerprint of what the job reads: its Comuni and templates, how many schede, their latest change."""
    facts = job_schede(parametri).aggregate(n=Count("pk"), ultima=Max("modificata_il"))
    versions = [(m.pk, m.versione, m.aggiornato_il) for m in modelli]
    payload = json.dumps([kind, parametri, versions, facts], default=str, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _request(kind: str, titolo: str, ambito: Ambito, comuni, modelli: list[ModelloScheda], user, **fields) -> Job:
    """The job of `kind` on the schede of `comuni` × `modelli`, keyed by the data it reads."""
    parametri = _parametri(ambito, comuni, modelli)
    chiave = data_key(kind, parametri, modelli)
    return request_job(kind=kind, chiave=chiave, titolo=titolo, user=user, parametri=parametri, **fields)


def request_export(ambito: Ambito, comuni: QuerySet[Comune], modelli: list[ModelloScheda], user, back_url: str) -> Job:
    titolo = f"Valori di tutte le schede — {ambito.nome}"
    return _request(
        EXPORT,
        titolo,
        ambito,
        comuni,
        modelli,
        user,
        nome_file=f"valori-schede-{ambito.slug}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
        back_url=back_url,
    )


def request_recompute(
    ambito: Ambito, comuni: QuerySet[Comune], modelli: list[ModelloScheda], user, back_url: str
) -> Job:
    titolo = f"Ricalcolo di tutte le schede — {ambito.nome}"
    return _request(RECOMPUTE, titolo, ambito, comuni, modelli, user, back_url=back_url)
