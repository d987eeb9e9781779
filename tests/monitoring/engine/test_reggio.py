"""Acceptance test: the SOSE schede NID26 and SOC26 of Reggio nell'Emilia (seed 000) are reproduced exactly."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from monitoring.engine import CompiledTemplate, Result, load_values, parse_decimal

from .helpers import SCHEDE, VALUES


@pytest.fixture(scope="module")
def nid_result(nid: CompiledTemplate) -> Result:
    return nid.compute(load_values(VALUES, "NID26"))


@pytest.fixture(scope="module")
def soc_result(soc: CompiledTemplate) -> Result:
    return soc.compute(load_values(VALUES, "SOC26"))


def test_templates_header(nid: CompiledTemplate, soc: CompiledTemplate) -> None:
    assert nid.definition.title == "NID26 - ASILI NIDO - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2025"
    assert soc.definition.title == "SOC26 - SOCIALE - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2025"
    for t in (nid, soc):
        assert (t.definition.reference_year, t.definition.due_date) == (2025, "2026-05-31")
        assert [q.number for q in t.definition.quadri] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("result", "key", "expected"),
    [
        ("nid_result", ("R10", "N25"), "1800"),
        ("nid_result", ("R20", "NUM25"), "3475"),
        ("nid_result", ("R20", "NUM18"), "4015"),  # precompiled by the ministry
        ("nid_result", ("R21", "PCT25"), "51.80"),
        ("nid_result", ("R22", "PCT25"), "52.46"),
        ("nid_result", ("R21", "PCT18"), "33.50"),
        ("nid_result", ("R22", "PCT18"), "44.63"),
        ("nid_result", ("R29V", "Y27"), "536.00"),
        ("nid_result", ("R60", "UNR"), "8"),
        ("soc_result", ("M12", "MH25"), "7.72"),
        ("soc_result", ("M47", "MH25"), "2319.79"),
        ("soc_result", ("ROB", "U19"), "33487"),
        ("soc_result", ("ROB", "U25"), "36792"),
        ("soc_result", ("R01B", "AB"), "2651"),
        ("soc_result", ("R04", "Y2025"), "21.36"),
    ],
)
def test_domain_values(request: pytest.FixtureRequest, result: str, key: tuple[str, str], expected: str) -> None:
    values = request.getfixturevalue(result).values
    assert values[key] == Decimal(expected)
    assert str(values[key]) == expected  # same number of decimals as the scheda


def test_the_media_ore_491796_over_212(soc_result: Result) -> None:
    assert soc_result.values[("M47", "H25")] == 491796
    assert soc_result.values[("M47", "U25")] == 212


@pytest.mark.parametrize("code", ["NID26", "SOC26"])
def test_every_printed_computed_value_is_reproduced(code: str, nid: CompiledTemplate, soc: CompiledTemplate) -> None:
    compiled = nid if code == "NID26" else soc
    result = compiled.compute(load_values(VALUES, code))
    printed = json.loads((SCHEDE / "reggio_2025_printed_computed.json").read_text(encoding="utf-8"))[code]
    checked = 0
    for row, cols in printed.items():
        for col, text in cols.items():
            key = (row, col)
            assert key in result.computed, f"{code} {row}/{col} is not a computed cell"
            assert result.values[key] == parse_decimal(text), f"{code} {row}/{col}"
            assert compiled.format_value(key, result.values[key], grouping=False) == text, f"{code} {row}/{col}"
            checked += 1
    # every computed cell with a value printed in the seed is covered (R15 of SOC26 is in the non-applicable Quadro 3)
    assert checked == len([k for k, v in result.computed.items() if v is not None])


@pytest.mark.parametrize("code", ["NID26", "SOC26"])
def test_reggio_has_no_errors_or_warnings(code: str, nid: CompiledTemplate, soc: CompiledTemplate) -> None:
    result = (nid if code == "NID26" else soc).compute(load_values(VALUES, code))
    assert result.errors == []
    assert result.warnings == []


@pytest.mark.parametrize("code", ["NID26", "SOC26"])
def test_supplying_the_printed_totals_raises_no_discrepancy(
    code: str, nid: CompiledTemplate, soc: CompiledTemplate
) -> None:
    printed = json.loads((SCHEDE / "reggio_2025_printed_computed.json").read_text(encoding="utf-8"))[code]
    values = load_values(VALUES, code) | {(r, c): v for r, cols in printed.items() for c, v in cols.items()}
    result = (nid if code == "NID26" else soc).compute(values)
    assert result.warnings == []
    assert result.errors == []


def test_values_file_holds_only_input_and_precompiled_cells(nid: CompiledTemplate, soc: CompiledTemplate) -> None:
    for code, compiled in (("NID26", nid), ("SOC26", soc)):
        for key in load_values(VALUES, code):
            assert compiled.cells[key].kind in ("input", "precompiled"), (code, key)


def test_nid_conditional_quadri_and_sentences(nid_result: Result) -> None:
    assert nid_result.quadri == {1: True, 2: True, 3: False, 4: True}
    assert nid_result.sentences_after("R23") == [
        "Terminata la compilazione del Quadro 1, l'ente locale deve quindi procedere alla verifica del Quadro 2 "
        "degli obiettivi di servizio 2025-2027."
    ]
    assert nid_result.sentences_after("R26") == [
        "Nel 2025 al Comune NON sono stati assegnati utenti aggiuntivi in quanto il livello del servizio è già pari "
        "o superiore all'obiettivo di servizio 2025. L'ente locale non deve, quindi, verificare il Quadro 3 della "
        "rendicontazione degli Obiettivi di Servizio.",
        "L'ente locale deve, invece, procedere alla compilazione del Quadro 4 di relazione in formato strutturato.",
        "Nel 2026 al Comune NON sono stati assegnati utenti aggiuntivi in quanto il livello del servizio è già pari "
        "o superiore all'Obiettivo di Servizio 2026.",
        "In proiezione al 2027 al Comune NON sono stati assegnati provvisoriamente utenti aggiuntivi in quanto il "
        "livello del servizio, comprensivo dei posti in asili nido privati, è già pari o superiore all'obiettivo di "
        "servizio del 33% (copertura pubblico/privata).",
    ]
    assert nid_result.sentences_after("R29V") == [
        "L'Ente NON ha obiettivi di servizio assegnati per l'anno 2027.",
        "L'Ente prevede, per il 2027, un aumento del numero di utenti serviti rispetto all'anno base di riferimento.",
    ]
    assert all(s.from_seed for s in nid_result.sentences)


def test_soc_conditional_quadri_and_sentences(soc_result: Result) -> None:
    assert soc_result.quadri == {1: True, 2: True, 3: False, 4: True}
    assert soc_result.sentences_after("R01B")[0] == (
        "Nel 2025 per il Comune il numero di assistenti sociali in rapporto alla popolazione è risultato pari a 1 "
        "ogni 2651 abitanti."
    )
    assert soc_result.sentences_after("R01B")[1].startswith("Va segnalato che nei servizi sociali")
    assert soc_result.sentences_after("R05") == [
        "Nel 2025 il livello di servizio effettivo dell'ente locale è risultato non inferiore al livello di servizio "
        "di riferimento.",
        "L'ente locale deve quindi procedere alla compilazione del Quadro 2 di autodiagnosi della spesa per il "
        "sociale.",
    ]
    assert soc_result.sentences_after("R08") == [
        "La spesa dell'ente locale è risultata non inferiore al livello del fabbisogno standard monetario per la "
        "funzione Servizi sociali. Anche il livello dei servizi è risultato non inferiore a quello di riferimento. "
        "L'ente non deve compilare il Quadro 3 degli obiettivi di servizio."
    ]
    assert all(s.from_seed for s in soc_result.sentences)


def test_quadro_3_applies_when_the_conditions_hold(nid: CompiledTemplate, soc: CompiledTemplate) -> None:
    nid_values = load_values(VALUES, "NID26") | {("R24", "OS25"): "12"}
    nid_on = nid.compute(nid_values)
    assert nid_on.quadri[3] is True
    assert nid_on.sentences_after("R26")[0].startswith("Nel 2025 al Comune sono stati assegnati 12 utenti aggiuntivi.")
    soc_values = load_values(VALUES, "SOC26") | {("R07", "Y2021"): "20000000,00", ("R09", "VAL"): "1000"}
    assert soc.compute(soc_values).quadri[3] is True
    soc_values[("R09", "VAL")] = "999,99"
    assert soc.compute(soc_values).quadri[3] is False


def test_r60_must_equal_r17(nid: CompiledTemplate) -> None:
    values = load_values(VALUES, "NID26") | {("R36", "UNR"): "3"}
    result = nid.compute(values)
    assert result.values[("R60", "UNR")] == 9
    assert [(e.rule, e.row, e.col) for e in result.errors] == [("r60_uguale_r17", "R60", "UNR")]


def test_free_text_limit_is_6000_characters(nid: CompiledTemplate, soc: CompiledTemplate) -> None:
    assert len(load_values(VALUES, "SOC26")[("R16", "VAL")]) <= 6000
    too_long = "x" * 6001
    assert [e.row for e in nid.compute({("R61", "TXT"): too_long}).errors] == ["R61"]
    assert [e.row for e in soc.compute({("R16", "VAL"): too_long}).errors] == ["R16"]
    assert nid.compute({("R61", "TXT"): "x" * 6000}).ok


def test_rule_message_names_the_column_label(nid: CompiledTemplate) -> None:
    values = load_values(VALUES, "NID26") | {("R11", "N25"): "1801"}
    result = nid.compute(values)
    assert [(w.rule, w.text) for w in result.warnings] == [
        (
            "r11_di_cui_r10:N25",
            "I bambini lattanti (R11) non possono superare il totale degli utenti (R10) nella colonna "
            "«2025 - Asili nido».",
        )
    ]
