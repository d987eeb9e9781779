"""Cells required for sending: the «required» declaration of a template, its validation and ``Result.missing``."""

from __future__ import annotations

import pytest

from monitoring.engine import CompiledTemplate, TemplateError, compile_template, load_values

from .helpers import VALUES, tiny_template


def with_required(required, **kwargs) -> dict:
    """Quadro 1: R1 (A, B input; C computed), R2 (A input), R3 (C computed only); Quadro 2 (Q2/A) if R1[A] > 0."""
    definition = tiny_template(
        [("R1", {"A": None, "B": None, "C": "R1[A] + R1[B]"}), ("R2", {"A": None}), ("R3", {"C": "R2[A]"})],
        applies_if="R1[A] > 0",
        **kwargs,
    )
    definition["required"] = required
    return definition


# --- The declaration in nid26.json and soc26.json -----------------------------------------------------------


def test_reggio_acceptance_schede_have_every_required_cell(nid: CompiledTemplate, soc: CompiledTemplate) -> None:
    for template, code in ((nid, "NID26"), (soc, "SOC26")):
        assert template.definition.required
        assert template.compute(load_values(VALUES, code)).missing == []


def test_nid_requires_quadro_1_and_the_r29_answers(nid: CompiledTemplate) -> None:
    required = set(nid.definition.required)
    assert all(nid.cells[k].kind == "input" for k in required)
    quadro1 = {c.key for c in nid.cells.values() if c.quadro == 1 and c.kind == "input"}
    assert required >= quadro1 - {("R16B", "E25")}  # R16B only when R16A = SI (rule r16b_se_r16a_si)
    assert ("R16B", "E25") not in required
    assert {("R29", "Y27"), ("R29A", "SN")} <= required
    assert ("R30", "COM") not in required
    assert ("R61", "TXT") not in required  # optional list and report
    empty = nid.compute({})
    assert empty.missing == list(nid.definition.required)  # an empty scheda misses all of them, in order
    assert empty.missing[:2] == [("R01", "N25"), ("R01", "S25")]


def test_soc_quadro_3_is_required_only_when_it_applies(soc: CompiledTemplate) -> None:
    values = load_values(VALUES, "SOC26")
    assert soc.compute(values).quadri[3] is False
    applies = values | {("R07", "Y2021"): "20000000,00", ("R09", "VAL"): "1000"}
    applies = {k: v for k, v in applies.items() if soc.cells[k].quadro != 3 or soc.cells[k].kind != "input"}
    result = soc.compute(applies)
    assert result.quadri[3] is True
    assert result.missing == [
        ("R10", "NUM"),
        ("R10", "SPA"),
        ("R11", "NUM"),
        ("R11", "SPA"),
        ("R12", "SPA"),
        ("R13", "SPA"),
        ("R14", "SPA"),
    ]
    assert ("R10", "MOD") not in soc.definition.required  # the modality text only when there is a spending
    empty = soc.compute({})
    assert ("M12", "U25") in empty.missing
    assert not any(soc.cells[k].quadro == 3 for k in empty.missing)


# --- Validation by the loader -------------------------------------------------------------------------------


def test_quadri_rows_cells_and_except_resolve_to_input_cells() -> None:
    compiled = compile_template(with_required({"quadri": [1], "except": ["R1.B"]}))
    assert compiled.definition.required == (("R1", "A"), ("R2", "A"))
    compiled = compile_template(with_required({"rows": ["R2"], "cells": ["R1.B", "Q2.A"]}))
    assert compiled.definition.required == (("R1", "B"), ("R2", "A"), ("Q2", "A"))
    assert compile_template(with_required({})).definition.required == ()
    assert compile_template(tiny_template([("R1", {"A": None})])).definition.required == ()


def test_missing_skips_the_quadri_that_do_not_apply() -> None:
    compiled = compile_template(with_required({"rows": ["R1", "Q2"]}))
    assert compiled.compute({}).missing == [("R1", "A"), ("R1", "B")]  # undecided condition: Quadro 2 does not apply
    assert compiled.compute({("R1", "A"): "0"}).missing == [("R1", "B")]  # Quadro 2 does not apply
    assert compiled.compute({("R1", "A"): "5", ("R1", "B"): "0"}).missing == [("Q2", "A")]
    assert compiled.compute({("R1", "A"): "5", ("R1", "B"): "0", ("Q2", "A"): "0"}).missing == []
    assert compiled.compute({("R1", "A"): "abc", ("R1", "B"): "1"}).missing == [("R1", "A")]  # invalid = empty


def test_unknown_codes_are_refused_naming_all_of_them() -> None:
    spec = {"quadri": [9], "rows": ["R1", "R99"], "cells": ["R2.B", "X.A"], "except": ["R77"]}
    with pytest.raises(TemplateError) as exc:
        compile_template(with_required(spec))
    message = str(exc.value)
    assert message.startswith("Modello TST26, «required»: codici sconosciuti")
    for code in ("Quadro 9", "R99", "R2.B", "X.A", "R77"):
        assert code in message


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ({"cells": ["R1.C"]}, "R1.C"),  # a computed cell
        ({"rows": ["R3"]}, "R3"),  # a row with only computed cells
        ({"rows": ["R2"], "except": ["R1"]}, "«except» non toglie nulla per R1"),
    ],
)
def test_entries_that_name_no_input_cell_are_refused(spec, named) -> None:
    with pytest.raises(TemplateError, match="«required»") as exc:
        compile_template(with_required(spec))
    assert named in str(exc.value)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (["R1"], "deve essere un oggetto"),
        ({"rows": ["R1"], "obbligatori": ["R2"]}, "chiavi non previste obbligatori"),
        ({"rows": "R1"}, "«rows» deve essere un elenco"),
        ({"quadri": ["1"]}, "«quadri» deve essere un elenco di numeri"),
        ({"quadri": [True]}, "«quadri» deve essere un elenco di numeri"),
    ],
)
def test_malformed_declarations_are_refused(spec, message) -> None:
    with pytest.raises(TemplateError, match=message):
        compile_template(with_required(spec))
