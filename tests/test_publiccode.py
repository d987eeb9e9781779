"""publiccode.yml (issue 15, point 5): valid per the publiccode.yml standard 0.4 (the schema in
tests/data/publiccode.schema.json, see its $comment for the sources), with the keys and types the standard requires,
an Italian and an English description, and consistent with the project (version, licence, README link)."""

import copy
import json
import tomllib
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "data" / "publiccode.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def publiccode() -> dict:
    """The file as the standard's tools read it: an unquoted date would become a date object, so dates go back to
    text (the file quotes them anyway)."""
    text = (ROOT / "publiccode.yml").read_text(encoding="utf-8")
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def errors(document: dict) -> list[str]:
    validator = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(SCHEMA)


def test_publiccode_is_valid_against_the_standard(publiccode):
    assert errors(publiccode) == []


def test_required_keys_and_types(publiccode):
    assert publiccode["publiccodeYmlVersion"] == "0.4"
    assert publiccode["softwareType"] == "standalone/web"
    assert publiccode["platforms"] == ["web"]
    assert set(publiccode["description"]) == {"it", "en"}
    for lang, description in publiccode["description"].items():
        assert len(description["shortDescription"]) <= 150, lang
        assert len(description["longDescription"]) >= 150, lang
        assert description["features"], lang
        assert all(isinstance(f, str) and len(f) <= 100 for f in description["features"]), lang
    assert publiccode["localisation"] == {"localisationReady": True, "availableLanguages": ["it"]}
    assert publiccode["maintenance"]["type"] in ("internal", "contract", "community", "none")
    assert {d["name"] for d in publiccode["dependsOn"]["open"]} >= {"PostgreSQL", "Redis"}
    assert publiccode["it"]["countryExtensionVersion"] == "1.0"
    assert isinstance(publiccode["it"]["piattaforme"]["spid"], bool)


def test_consistent_with_the_project(publiccode):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert publiccode["softwareVersion"] == pyproject["project"]["version"]
    assert publiccode["legal"]["license"] == "AGPL-3.0-or-later"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(publiccode.yml)" in readme


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("description", "it", "shortDescription"), "x" * 151),
        (("description", "en", "longDescription"), "troppo corta"),
        (("developmentStatus",), "finished"),
        (("softwareType",), "web"),
        (("categories",), ["social-planning"]),
        (("maintenance", "type"), "volunteers"),
        (("releaseDate",), "01/12/2026"),
        (("it", "piattaforme", "spid"), "sì"),
    ],
)
def test_the_schema_refuses_what_the_standard_forbids(publiccode, path, value):
    broken = copy.deepcopy(publiccode)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert errors(broken), path


@pytest.mark.parametrize("key", ["name", "url", "legal", "maintenance", "localisation", "description"])
def test_the_schema_requires_the_mandatory_keys(publiccode, key):
    broken = copy.deepcopy(publiccode)
    del broken[key]
    assert errors(broken)
