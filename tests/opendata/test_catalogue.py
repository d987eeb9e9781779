"""The DCAT-AP_IT catalogue (issue 15, point 4): valid JSON-LD with its inline context (expanded with pyld, no
remote document fetched), a dcatapit:Catalog of dcatapit:Dataset with dcatapit:Distribution and the properties
DCAT-AP_IT requires."""

import pytest
from django.urls import reverse
from pyld import jsonld

pytestmark = pytest.mark.django_db

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
DCATAPIT = "http://dati.gov.it/onto/dcatapit#"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
EU = "http://publications.europa.eu/resource/authority/"


def refuse_remote(url, options=None):
    raise jsonld.JsonLdError(
        f"remote document refused: {url}", "jsonld.LoadDocumentError", code="loading document failed"
    )


def flattened(document) -> dict[str, dict]:
    """The nodes of the expanded, flattened graph by @id (pyld, no remote fetch)."""
    graph = jsonld.flatten(document, None, {"documentLoader": refuse_remote})
    return {node["@id"]: node for node in graph}


def ids(node, prop) -> list[str]:
    return [v["@id"] for v in node.get(prop, [])]


def values(node, prop) -> list[str]:
    return [v["@value"] for v in node.get(prop, [])]


def of_type(nodes, kind) -> list[dict]:
    return [n for n in nodes.values() if kind in n.get("@type", [])]


@pytest.fixture
def catalogue(anonymous):
    response = anonymous.get(reverse("opendata:catalogo"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return response.json()


def test_context_is_inline(catalogue):
    assert catalogue["@context"]["dcatapit"] == DCATAPIT
    assert all(isinstance(v, str) and v.startswith("http") for v in catalogue["@context"].values())


def test_a_remote_context_would_be_refused_by_the_loader():
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "https://example.org/context.jsonld"}, {"documentLoader": refuse_remote})


def test_catalogue_expands_with_catalog_datasets_and_distributions(catalogue):
    nodes = flattened(catalogue)
    (catalog,) = of_type(nodes, DCATAPIT + "Catalog")
    assert DCAT + "Catalog" in catalog["@type"]
    assert values(catalog, DCT + "title")
    assert ids(catalog, DCT + "publisher")
    assert values(catalog, DCT + "modified")
    datasets = of_type(nodes, DCATAPIT + "Dataset")
    assert {d["@id"] for d in datasets} == set(ids(catalog, DCAT + "dataset"))
    identifiers = {values(d, DCT + "identifier")[0] for d in datasets}
    assert {"c_h223:reggio-emilia-indicatori", "c_e801:magentino-spesa", "c_e801:magentino-popolazione"} <= identifiers
    assert len(of_type(nodes, DCATAPIT + "Distribution")) == 2 * len(datasets)


def test_every_dataset_has_the_required_properties(catalogue):
    nodes = flattened(catalogue)
    for dataset in of_type(nodes, DCATAPIT + "Dataset"):
        assert values(dataset, DCT + "title"), dataset["@id"]
        assert values(dataset, DCT + "description"), dataset["@id"]
        assert values(dataset, DCT + "modified")
        assert values(dataset, DCT + "identifier")
        assert dataset[DCT + "modified"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#date"
        assert ids(dataset, DCT + "accrualPeriodicity") == [EU + "frequency/ANNUAL"]
        themes = ids(dataset, DCAT + "theme")
        assert themes
        assert all(t.startswith(EU + "data-theme/") for t in themes)
        (publisher,) = (nodes[i] for i in ids(dataset, DCT + "publisher"))
        assert DCATAPIT + "Agent" in publisher["@type"]
        assert values(publisher, FOAF + "name")
        assert values(publisher, DCT + "identifier")[0] in ("c_e801", "c_h223")
        (contact,) = (nodes[i] for i in ids(dataset, DCAT + "contactPoint"))
        assert ids(contact, VCARD + "hasEmail")[0].startswith("mailto:")
        for distribution in (nodes[i] for i in ids(dataset, DCAT + "distribution")):
            assert DCATAPIT + "Distribution" in distribution["@type"]
            assert ids(distribution, DCT + "format")[0] in (EU + "file-type/CSV", EU + "file-type/JSON")
            assert ids(distribution, DCAT + "accessURL")
            assert ids(distribution, DCAT + "downloadURL")
            (licence,) = (nodes[i] for i in ids(distribution, DCT + "license"))
            assert DCATAPIT + "LicenseDocument" in licence["@type"]
            assert licence["@id"] == "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40"


def test_distribution_urls_serve_the_files(anonymous, catalogue):
    nodes = flattened(catalogue)
    for distribution in of_type(nodes, DCATAPIT + "Distribution"):
        url = ids(distribution, DCAT + "downloadURL")[0]
        assert anonymous.get(url.removeprefix("http://testserver")).status_code == 200, url


def test_catalogue_of_one_ambito_lists_only_its_datasets(anonymous):
    document = anonymous.get(reverse("opendata:catalogo_ambito", args=["reggio-emilia"])).json()
    nodes = flattened(document)
    (catalog,) = of_type(nodes, DCATAPIT + "Catalog")
    (publisher,) = (nodes[i] for i in ids(catalog, DCT + "publisher"))
    assert values(publisher, DCT + "identifier") == ["c_h223"]
    datasets = of_type(nodes, DCATAPIT + "Dataset")
    assert datasets
    assert all(values(d, DCT + "identifier")[0].startswith("c_h223:") for d in datasets)


def test_licence_follows_the_ambito_choice(anonymous):
    from opendata.models import Pubblicazione  # noqa: PLC0415

    Pubblicazione.objects.filter(ambito__slug="reggio-emilia").update(licenza="IODL-2.0")
    nodes = flattened(anonymous.get(reverse("opendata:catalogo_ambito", args=["reggio-emilia"])).json())
    licences = {n["@id"] for n in of_type(nodes, DCATAPIT + "LicenseDocument")}
    assert licences == {"https://w3id.org/italia/controlled-vocabulary/licences/A29_IODL20"}
