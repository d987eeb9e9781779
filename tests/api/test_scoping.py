"""Every endpoint is scoped as the pages (accounts.scoping): another Ambito's or Comune's data reads as 404 (an
object) or is absent (a list); a Comune's Operatore neither reads nor writes another Comune's scheda."""

import pytest

from api.api import api
from monitoring.models import Campagna, Scheda
from planning.models import Intervento
from tests import schede_helpers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"
PIANO = "magentino-2025-2027"

# (method, path template of the OpenAPI document, path values): what the user of the test must not reach.
OBJECTS = [
    ("get", "/territorio/ambiti/{slug}", {"slug": "magentino"}),
    ("get", "/territorio/comuni/{codice_istat}", {"codice_istat": "015010"}),
    ("get", "/schede/{modello}/{anno}/{codice_istat}", {"modello": "NID26", "anno": 2025, "codice_istat": "015010"}),
    ("put", "/schede/{modello}/{anno}/{codice_istat}", {"modello": "NID26", "anno": 2025, "codice_istat": "015010"}),
    ("patch", "/schede/{modello}/{anno}/{codice_istat}", {"modello": "NID26", "anno": 2025, "codice_istat": "015010"}),
    ("get", "/piani/{slug}", {"slug": PIANO}),
    ("get", "/piani/{slug}/aree", {"slug": PIANO}),
    ("get", "/piani/{slug}/obiettivi", {"slug": PIANO}),
    ("get", "/piani/{slug}/interventi", {"slug": PIANO}),
    ("get", "/piani/{slug}/interventi/{intervento_id}", {"slug": PIANO, "intervento_id": "magentino"}),
    ("get", "/piani/{slug}/azioni", {"slug": PIANO}),
    ("get", "/piani/{slug}/indicatori", {"slug": PIANO}),
    ("get", "/piani/{slug}/risorse", {"slug": PIANO}),
    ("get", "/campagne/{campagna_id}", {"campagna_id": "magentino"}),
]
# (path of a list, the filter that names the other Ambito's or Comune's rows).
LISTS = [
    ("/territorio/ambiti", {"q": "magentino"}),
    ("/territorio/comuni", {"q": "015010"}),
    ("/territorio/popolazione", {"comune": "015010"}),
    ("/schede", {"comune": "015010"}),
    ("/piani", {"ambito": "magentino"}),
    ("/campagne", {"ambito": "magentino"}),
]
UNSCOPED = {("get", "/schede/modelli")}  # the catalogue of templates (NID26, SOC26): no Ambito's data


def _values(values: dict) -> dict:
    """Path values, with the ids of the Magentino's objects filled in."""
    resolved = dict(values)
    if resolved.get("intervento_id") == "magentino":
        resolved["intervento_id"] = Intervento.objects.filter(piano__slug=PIANO).values_list("pk", flat=True)[0]
    if resolved.get("campagna_id") == "magentino":
        resolved["campagna_id"] = Campagna.objects.filter(ambito__slug="magentino").values_list("pk", flat=True)[0]
    return resolved


def _call(client, method: str, template: str, values: dict):
    url = PREFIX + template.format(**_values(values))
    if method == "get":
        return client.get(url)
    scheda = schede_helpers.magenta_nid()
    return client.write(method, url, {"versione": scheda.versione, "valori": {"R05": {"N25": "1"}}})


def test_every_operation_of_the_schema_is_in_the_scoping_table():
    operations = {
        (method, path.removeprefix(PREFIX))
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
    }
    covered = {(m, t) for m, t, _ in OBJECTS} | {("get", t) for t, _ in LISTS} | UNSCOPED
    assert operations == covered


@pytest.fixture
def users(operatore_user, udp_oglio):
    """The Operatore of Magenta (not Arluno), the Ufficio di Piano of the Oglio Po (not the Magentino), a user
    without any assignment."""
    return {"operatore": operatore_user, "udp-oglio": udp_oglio, "nessuno": UserFactory(username="nessuno")}


@pytest.mark.parametrize("user", ["operatore", "udp-oglio", "nessuno"])
@pytest.mark.parametrize(("method", "template", "values"), OBJECTS, ids=[f"{m} {t}" for m, t, _ in OBJECTS])
def test_other_ambito_or_comune_reads_as_404(api_for, users, user, method, template, values):
    before = Scheda.objects.get(modello__codice="NID26", comune_id="015010").versione
    response = _call(api_for(users[user]), method, template, values)
    assert response.status_code == 404, response.content
    assert "Non trovato" in response.json()["detail"]
    assert Scheda.objects.get(modello__codice="NID26", comune_id="015010").versione == before


@pytest.mark.parametrize("user", ["operatore", "udp-oglio", "nessuno"])
@pytest.mark.parametrize(("template", "query"), LISTS, ids=[t for t, _ in LISTS])
def test_other_ambito_or_comune_is_absent_from_lists(api_for, users, user, template, query):
    response = api_for(users[user]).get(PREFIX + template, **query)
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_operatore_reads_and_writes_only_its_own_comune(api_for, operatore_user):
    client = api_for(operatore_user)
    schede = client.get(PREFIX + "/schede", page_size=200).json()["items"]
    assert schede
    assert {s["codice_istat"] for s in schede} == {"015130"}
    comuni = client.get(PREFIX + "/territorio/comuni").json()["items"]
    assert [c["codice_istat"] for c in comuni] == ["015130"]
    assert client.get(PREFIX + "/territorio/ambiti").json()["count"] == 0
    own = schede_helpers.magenta_nid()
    url = f"{PREFIX}/schede/NID26/2025/015130"
    assert client.get(url).status_code == 200
    written = client.write("patch", url, {"versione": own.versione, "valori": {"R05": {"N25": "12"}}})
    assert written.status_code == 200, written.content
    assert written.json()["valori"]["R05"]["N25"]["valore"] == "12"
    reggio = client.write("patch", f"{PREFIX}/schede/NID26/2025/035033", {"versione": 1, "valori": {}})
    assert reggio.status_code == 404


def test_ufficio_di_piano_reads_its_ambito_only(api_for, udp_user):
    client = api_for(udp_user)
    slugs = {a["slug"] for a in client.get(PREFIX + "/territorio/ambiti").json()["items"]}
    assert slugs == {"magentino"}
    assert client.get(f"{PREFIX}/piani/{PIANO}").status_code == 200
    assert client.get(f"{PREFIX}/piani/oglio-po-2021-2023").status_code == 404
    campagne = client.get(PREFIX + "/campagne").json()["items"]
    assert campagne
    assert {c["ambito"] for c in campagne} == {"magentino"}
    comuni = client.get(PREFIX + "/territorio/comuni", page_size=200).json()
    assert comuni["count"] == 13
    assert {c["ambito"] for c in comuni["items"]} == {"magentino"}
