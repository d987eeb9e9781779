"""The JSON templates are faithful to seed 000 (labels, codes, columns, sentences) and well formed."""

from __future__ import annotations

import json
import re

import pytest

from monitoring.engine import CompiledTemplate, load_template

from .helpers import SCHEDE

SEED = SCHEDE / "seed_000_reggio_2025.txt"  # the schede as printed (seed 000): the source of the templates


def _normalise(text: str) -> str:
    text = re.sub(r"<[^>]+>|\*\*|#+ ", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_text() -> str:
    return _normalise(SEED.read_text(encoding="utf-8"))  # part of the repository: a missing file fails the tests


@pytest.fixture(scope="module", params=["nid26.json", "soc26.json"])
def template(request: pytest.FixtureRequest) -> CompiledTemplate:
    return load_template(SCHEDE / request.param)


def test_row_codes_and_labels_are_in_the_seed(template: CompiledTemplate, seed_text: str) -> None:
    for row in template.definition.rows():
        if not row.label:  # the R30-R59 list slots have no label in the scheda
            assert re.fullmatch(r"R[3-5]\d", row.code)
            continue
        label = _normalise(row.label)
        assert f"{row.display_code} - {label}" in seed_text or f"{row.display_code} {label}" in seed_text, row.code


def test_column_labels_quadri_titles_and_headings_are_in_the_seed(template: CompiledTemplate, seed_text: str) -> None:
    d = template.definition
    assert d.title in seed_text
    for column in d.columns:
        assert _normalise(column.label) in seed_text, column.code
    for quadro in d.quadri:
        assert _normalise(quadro.title) in seed_text
        for block in quadro.blocks:
            for text in (*block.headings, block.help or ""):
                assert _normalise(text) in seed_text, text
        assert _normalise(quadro.help or "") in seed_text


def test_seed_sentences_are_verbatim(template: CompiledTemplate, seed_text: str) -> None:
    for sentence in template.definition.sentences:
        for variant in (sentence.if_true, sentence.if_false):
            if variant is not None and variant.from_seed:
                text = variant.text.replace("{R01B.AB}", "2651")
                assert _normalise(text) in seed_text, sentence.id


def test_nid_row_order_follows_the_seed() -> None:
    compiled = load_template(SCHEDE / "nid26.json")
    codes = list(compiled.rows)
    assert codes[:3] == ["R01", "R02", "R02A"]
    assert codes[codes.index("R13") + 1 : codes.index("R16B") + 1] == [
        "R14",
        "R15",
        "R10A",
        "R10B",
        "R16",
        "R16A",
        "R16B",
    ]
    assert codes[codes.index("R19_0") : codes.index("R19A") + 1] == ["R19_0", "R19_1", "R19_2", "R19A"]
    assert codes[codes.index("R30") : codes.index("R60") + 1] == [f"R{i}" for i in range(30, 61)]
    assert codes[-1] == "R61"
    assert {compiled.rows[c].display_code for c in ("R19_0", "R19_1", "R19_2")} == {"R19"}
    assert compiled.cells[("R61", "TXT")].max_length == 6000


def test_soc_row_order_follows_the_seed() -> None:
    codes = list(load_template(SCHEDE / "soc26.json").rows)
    assert codes[:7] == ["M12", "M15", "M18", "M21", "M24", "M27", "M30"]
    assert codes[codes.index("ROA") :] == [
        "ROA",
        "ROB",
        "R0C",
        "R0D",
        "R0E",
        "R01",
        "R01A",
        "R01B",
        "R02",
        "R02X",
        "R02Y",
        "R02A",
        "R03",
        "R04",
        "R05",
        "R06",
        "R07",
        "R08",
        "R09",
        "R10",
        "R11",
        "R12",
        "R13",
        "R14",
        "R15",
        "R16",
    ]


def test_every_json_file_is_valid_utf8_json() -> None:
    for path in SCHEDE.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_cells_printed_blank_in_a_shared_header_are_not_applicable() -> None:
    compiled = load_template(SCHEDE / "nid26.json")
    assert ("R01", "N18") in compiled.na_cells  # R01 has no 2018 values
    assert ("R11", "P25") in compiled.na_cells  # lattanti: no sezioni primavera
    assert ("R02A", "N25") in compiled.na_cells  # posti statali only for primavera and anticipatori
    assert compiled.cells[("R02", "F18")].unit == "testo"
    assert compiled.cells[("R10", "N18")].kind == "precompiled"
