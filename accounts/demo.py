"""Demo users, one per role. Passwords are generated on first run and kept in a git-ignored file."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from territory.models import Ambito, Comune, Regione

from .models import Assegnazione, Profilo, Ruolo

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-credentials.json"

DEMO_USERS = [
    # username, description, role, ambito slug or (comune name, province)
    ("admin", "Amministratore (superuser)", None, None),
    ("udp.magentino", "Ufficio di Piano — Ambito del Magentino", Ruolo.UFFICIO_PIANO, "magentino"),
    ("dirigente.magentino", "Dirigente — Ambito del Magentino", Ruolo.DIRIGENTE, "magentino"),
    ("operatore.magenta", "Operatore comunale — Comune di Magenta", Ruolo.OPERATORE, ("Magenta", "MI")),
    ("udp.oglio-po", "Ufficio di Piano — Ambito Oglio Po", Ruolo.UFFICIO_PIANO, "oglio-po"),
    ("regione.lombardia", "Regione — Regione Lombardia (Magentino, Oglio Po)", Ruolo.REGIONE, "Lombardia"),
    ("udp.reggio", "Ufficio di Piano — Distretto di Reggio Emilia", Ruolo.UFFICIO_PIANO, "reggio-emilia"),
    (
        "operatore.reggio",
        "Operatore comunale — Comune di Reggio nell'Emilia",
        Ruolo.OPERATORE,
        ("Reggio nell'Emilia", "RE"),
    ),
]


# Fictitious codici fiscali with valid check characters (people born in Milano, Magenta, Casalmaggiore, Reggio
# Emilia): with a test SPID/CIE provider (README «Accesso con SPID e CIE») each demo user logs in with its own.
DEMO_CODICI_FISCALI = {
    "admin": "MMNPRT80A01F205F",
    "udp.magentino": "PNOMGN82B41E801L",
    "dirigente.magentino": "DRGMGN75C12E801F",
    "operatore.magenta": "PRTMGN85D50E801E",
    "udp.oglio-po": "PNOGLP78E10B898G",
    "regione.lombardia": "RGNLMB70H15F205F",
    "udp.reggio": "PNORGG81L45H223X",
    "operatore.reggio": "PRTRGG88M22H223P",
}


def _passwords() -> dict[str, str]:
    if CREDENTIALS_FILE.exists():
        return json.loads(CREDENTIALS_FILE.read_text(encoding="utf-8"))
    return {}


@transaction.atomic
def demo_users_load() -> list[tuple[str, str, str]]:
    """Create the demo users and their assignments (idempotent). Returns (username, password, role)."""
    User = get_user_model()
    passwords = _passwords()
    fixed = os.environ.get("DEMO_PASSWORD")
    out = []
    for username, description, role, target in DEMO_USERS:
        password = fixed or passwords.get(username) or secrets.token_urlsafe(9)
        user, created = User.objects.get_or_create(username=username)
        if created or fixed or username not in passwords or not user.check_password(password):
            user.set_password(password)
        user.is_superuser = user.is_staff = role is None
        user.first_name = description.split(" — ")[0]
        user.save()
        passwords[username] = password
        Profilo.objects.update_or_create(user=user, defaults={"codice_fiscale": DEMO_CODICI_FISCALI[username]})
        if role == Ruolo.OPERATORE:
            comune = Comune.objects.get(nome=target[0], sigla_provincia=target[1])
            Assegnazione.objects.get_or_create(user=user, ruolo=role, comune=comune)
        elif role == Ruolo.REGIONE:
            Assegnazione.objects.get_or_create(user=user, ruolo=role, regione=Regione.objects.get(nome=target))
        elif role:
            Assegnazione.objects.get_or_create(user=user, ruolo=role, ambito=Ambito.objects.get(slug=target))
        out.append((username, password, description))
    CREDENTIALS_FILE.write_text(json.dumps(passwords, indent=2), encoding="utf-8")
    CREDENTIALS_FILE.chmod(0o600)
    return out
