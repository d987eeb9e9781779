"""export_schede / import_schede: JSON by codes (and .xlsx), Reggio acceptance values, all-or-nothing import."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Ruolo
from monitoring.excel import scheda_to_xlsx
from monitoring.models import Scheda, ValoreCella
from monitoring.services import scheda_raw_values
from tests.factories import user_with_role

from .helpers import cell_ref, copy_sheet, edit_xlsx, padded, snapshot

# written against the demo of monitoring/demo.py: Magenta has no SOC26 scheda
pytestmark = pytest.mark.usefixtures("without_demo_campaigns")


def export(*args) -> dict | list:
    out = io.StringIO()
    call_command("export_schede", *args, stdout=out)
    return json.loads(out.getvalue())


def import_file(path, *args) -> str:
    out = io.StringIO()
    call_command("import_schede", str(path), *args, stdout=out)
    return out.getvalue()


def write_json(tmp_path, document, name="schede.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# --- Export -----------------------------------------------------------------------------------------------


def test_export_json_shape(db):
    doc = export("--template", "NID26", "--comune", "035033", "--format", "json")
    assert (doc["template"], doc["comune"], doc["anno"], doc["stato"]) == ("NID26", "035033", 2025, "validata")
    assert list(doc["valori"])[:3] == ["R01", "R02", "R02A"]  # template order
    assert doc["valori"]["R05"] == {"N25": "748", "S25": "0", "P25": "0", "A25": "0"}
    assert doc["valori"]["R04"]["N25"] == "4935260,53"
    assert doc["valori"]["R02"]["F18"] == "ISTAT"
    assert doc["valori"]["R37"] == {"COM": "", "UNR": "", "GA": ""}  # every cell, empty ones too
    assert doc["valori"]["R61"]["TXT"].startswith("Si intende precisare")


@pytest.mark.parametrize(
    ("template", "comune", "row", "col", "expected"),
    [
        ("NID26", "035033", "R10", "N25", "1800"),
        ("NID26", "035033", "R20", "NUM25", "3475"),
        ("NID26", "035033", "R20", "NUM18", "4015"),
        ("NID26", "035033", "R21", "PCT25", "51,80"),
        ("NID26", "035033", "R21", "PCT18", "33,50"),
        ("NID26", "035033", "R22", "PCT25", "52,46"),
        ("NID26", "035033", "R22", "PCT18", "44,63"),
        ("NID26", "035033", "R29V", "Y27", "536,00"),
        ("NID26", "035033", "R60", "UNR", "8"),
        ("SOC26", "35033", "M12", "MH25", "7,72"),
        ("SOC26", "35033", "M47", "MH25", "2319,79"),
        ("SOC26", "35033", "M47", "H25", "491796"),
        ("SOC26", "35033", "M47", "U25", "212"),
        ("SOC26", "35033", "ROB", "U19", "33487"),
        ("SOC26", "35033", "ROB", "U25", "36792"),
        ("SOC26", "35033", "R01B", "AB", "2651"),
        ("SOC26", "35033", "R04", "Y2025", "21,36"),
    ],
)
def test_export_json_has_the_acceptance_values(db, template, comune, row, col, expected):
    """The Comune is named with and without its leading zero (035033, 35033)."""
    assert export("--template", template, "--comune", comune)["valori"][row][col] == expected


def test_export_of_an_ambito_is_a_list(db):
    docs = export("--ambito", "reggio-emilia")
    assert [(d["template"], d["comune"]) for d in docs] == [("NID26", "035033"), ("SOC26", "035033")]


def test_export_of_a_template_is_a_list(db):
    docs = export("--template", "NID26")
    assert sorted(d["comune"] for d in docs) == ["015130", "035033"]


def test_export_with_no_match_fails_clearly(db):
    with pytest.raises(CommandError, match="Nessuna scheda"):
        export("--template", "NID26", "--comune", "001001")
    with pytest.raises(CommandError, match="Ambito «nessuno» inesistente"):
        export("--ambito", "nessuno")


def test_export_xlsx_to_a_file(db, tmp_path):
    target = tmp_path / "nid.xlsx"
    call_command("export_schede", "--template", "NID26", "--comune", "035033", "--format", "xlsx", "--output", target)
    assert target.read_bytes()[:2] == b"PK"


def test_export_xlsx_of_several_schede_to_a_folder(db, tmp_path):
    call_command("export_schede", "--ambito", "reggio-emilia", "--format", "xlsx", "--output", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["NID26_035033.xlsx", "SOC26_035033.xlsx"]


# --- Import -----------------------------------------------------------------------------------------------


def test_round_trip_of_an_unchanged_export_changes_nothing(admin_user, tmp_path, reggio_nid, reggio_soc):
    before = snapshot(reggio_nid), snapshot(reggio_soc)
    path = write_json(tmp_path, export("--ambito", "reggio-emilia"))
    output = import_file(path)
    assert "NID26 035033 Reggio nell'Emilia: 0 celle modificate." in output
    assert (snapshot(reggio_nid), snapshot(reggio_soc)) == before  # Validata, untouched


def test_import_saves_a_change_as_the_superuser(admin_user, tmp_path, magenta_nid):
    doc = export("--template", "NID26", "--comune", "015130")
    doc["valori"]["R05"]["N25"] = "200"
    output = import_file(write_json(tmp_path, doc))
    assert "NID26 015130 Magenta: 1 celle modificate." in output
    assert scheda_raw_values(magenta_nid)[("R05", "N25")] == "200"
    record = ValoreCella.history.filter(scheda_id=magenta_nid.pk, riga="R05", colonna="N25").latest("history_date")
    assert record.history_user == admin_user
    magenta_nid.refresh_from_db()
    assert magenta_nid.risultati["R10.N25"] == "386"  # recomputed; the stale computed value in the file is ignored


def test_import_writes_precompiled_cells(admin_user, tmp_path, magenta_nid):
    write = {"template": "NID26", "comune": "015130", "valori": {"R24": {"OS25": 12}, "R19_0": {"IST": "170"}}}
    import_file(write_json(tmp_path, write))
    values = scheda_raw_values(magenta_nid)
    assert (values[("R24", "OS25")], values[("R19_0", "IST")]) == ("12", "170")


def test_import_creates_a_missing_scheda(admin_user, tmp_path, magenta):
    doc = {"template": "SOC26", "comune": "015130", "anno": 2025, "valori": {"M12": {"U25": "1.234"}}}
    output = import_file(write_json(tmp_path, doc))
    assert "(scheda creata)" in output
    scheda = Scheda.objects.get(modello__codice="SOC26", comune=magenta)
    assert scheda_raw_values(scheda) == {("M12", "U25"): "1234"}


def test_import_is_all_or_nothing(admin_user, tmp_path, magenta_nid, reggio_soc):
    good = export("--template", "NID26", "--comune", "015130")
    good["valori"]["R05"]["N25"] = "200"
    bad = {"template": "SOC26", "comune": "015130", "valori": {"M12": {"U25": "molti"}, "M15": {"U25": "-4"}}}
    before = snapshot(magenta_nid)
    with pytest.raises(CommandError) as excinfo:
        import_file(write_json(tmp_path, [good, bad]))
    message = str(excinfo.value)
    assert "importazione rifiutata, nessun dato salvato" in message
    assert "schede.json, scheda 2 (SOC26 015130): Cella M12/U25: Valore non numerico: «molti»" in message
    assert "schede.json, scheda 2 (SOC26 015130): Cella M15/U25: il valore non può essere negativo" in message
    assert snapshot(magenta_nid) == before
    assert not Scheda.objects.filter(modello__codice="SOC26", comune_id="015130").exists()  # creation rolled back


def test_import_refuses_unknown_codes(admin_user, tmp_path):
    doc = {"template": "NID26", "comune": "015130", "valori": {"R99": {"N25": "1"}, "R05": {"Y27": "1"}}}
    with pytest.raises(CommandError) as excinfo:
        import_file(write_json(tmp_path, doc))
    assert "(NID26 015130): riga «R99» sconosciuta nel modello NID26." in str(excinfo.value)
    assert "(NID26 015130): cella R05/Y27: colonna «Y27» non prevista per la riga R05." in str(excinfo.value)


def test_import_refuses_unknown_template_comune_and_year(admin_user, tmp_path):
    docs = [
        {"template": "NID99", "comune": "015130", "valori": {}},
        {"template": "NID26", "comune": "999999", "valori": {}},
        {"template": "NID26", "comune": "015130", "anno": 2024, "valori": {}},
    ]
    with pytest.raises(CommandError) as excinfo:
        import_file(write_json(tmp_path, docs))
    message = str(excinfo.value)
    assert "modello di scheda «NID99» inesistente" in message
    assert "Comune con codice ISTAT «999999» inesistente" in message
    assert "anno 2024 diverso dall'anno di riferimento del modello (2025)" in message


def test_import_refuses_a_typed_total_that_does_not_add_up(admin_user, tmp_path, magenta_nid):
    doc = {"template": "NID26", "comune": "015130", "valori": {"R10": {"N25": "999"}}}
    with pytest.raises(CommandError, match=r"cella R10/N25: è una cella calcolata, il valore «999» non corrisponde"):
        import_file(write_json(tmp_path, doc))


def test_import_refuses_changes_to_a_validated_scheda(admin_user, tmp_path, reggio_nid):
    doc = export("--template", "NID26", "--comune", "035033")
    doc["valori"]["R05"]["N25"] = "750"
    before = snapshot(reggio_nid)
    with pytest.raises(CommandError, match="la scheda è «Validata» e non è modificabile"):
        import_file(write_json(tmp_path, doc))
    assert snapshot(reggio_nid) == before


def test_import_refuses_a_text_over_its_limit(admin_user, tmp_path, magenta_nid):
    doc = {"template": "NID26", "comune": "015130", "valori": {"R61": {"TXT": "x" * 6001}}}
    with pytest.raises(CommandError, match=re.escape("Cella R61/TXT: il testo supera il limite di 6.000 caratteri")):
        import_file(write_json(tmp_path, doc))


def test_import_refuses_invalid_json(admin_user, tmp_path):
    path = tmp_path / "rotto.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape("rotto.json: JSON non valido")):
        import_file(path)


def test_dry_run_shows_the_changes_and_saves_nothing(admin_user, tmp_path, magenta_nid):
    before = snapshot(magenta_nid)
    doc = {"template": "NID26", "comune": "015130", "valori": {"R05": {"N25": "200"}}}
    output = import_file(write_json(tmp_path, doc), "--dry-run")
    assert "R05/N25: «180» → «200»" in output
    assert snapshot(magenta_nid) == before


def test_import_of_an_exported_xlsx(admin_user, tmp_path, magenta_nid):
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {cell_ref(magenta_nid, "R05", "N25"): 210})
    path = tmp_path / "magenta.xlsx"
    path.write_bytes(data)
    assert "NID26 015130 Magenta: 1 celle modificate." in import_file(path)
    assert scheda_raw_values(magenta_nid)[("R05", "N25")] == "210"


def test_import_of_a_bad_xlsx_names_file_sheet_and_cell(admin_user, tmp_path, magenta_nid):
    sheet, ref = cell_ref(magenta_nid, "R05", "N25")
    path = tmp_path / "magenta.xlsx"
    path.write_bytes(edit_xlsx(scheda_to_xlsx(magenta_nid), {(sheet, ref): "abc"}))
    with pytest.raises(CommandError) as excinfo:
        import_file(path)
    assert f"magenta.xlsx (NID26 015130): Foglio «Quadro 1», cella {ref} (R05/N25): «abc» non è un numero." in str(
        excinfo.value
    )


def test_import_without_a_superuser_is_refused(db, tmp_path):
    path = write_json(tmp_path, {"template": "NID26", "comune": "015130", "valori": {}})
    with pytest.raises(CommandError, match="Nessun superutente"):
        import_file(path)


def test_import_as_a_user_who_is_not_superuser_is_refused(tmp_path, magentino):
    user_with_role("ufficio", Ruolo.UFFICIO_PIANO, ambito=magentino)
    path = write_json(tmp_path, {"template": "NID26", "comune": "015130", "valori": {}})
    with pytest.raises(CommandError, match="«ufficio» non è un superutente attivo"):
        import_file(path, "--user", "ufficio")


# --- Nothing is lost silently: the command refuses what the web upload refuses ------------------------------

MB = 1024 * 1024


def refused(path, scheda) -> str:
    """The CommandError of an import that must save nothing, checked against the stored values and version."""
    before = snapshot(scheda)
    with pytest.raises(CommandError) as excinfo:
        import_file(path)
    assert snapshot(scheda) == before
    message = str(excinfo.value)
    assert f"{path}: importazione rifiutata, nessun dato salvato." in message
    return message


def test_import_refuses_a_formula_in_an_input_cell(admin_user, tmp_path, magenta_nid):
    sheet, ref = cell_ref(magenta_nid, "R05", "N25")
    edits = {(sheet, ref): "=100+80", cell_ref(magenta_nid, "R06", "N25"): 20}  # R06 alone would be saved
    path = tmp_path / "magenta.xlsx"
    path.write_bytes(edit_xlsx(scheda_to_xlsx(magenta_nid), edits))
    assert (
        f"magenta.xlsx (NID26 015130): Foglio «Quadro 1», cella {ref} (R05/N25): contiene una formula («=100+80»): "
        "scrivere il valore, non una formula."
    ) in refused(path, magenta_nid)
    assert scheda_raw_values(magenta_nid)[("R05", "N25")] == "180"  # not erased


def test_import_refuses_an_xlsx_with_an_extra_sheet(admin_user, tmp_path, magenta_nid):
    sheet, ref = cell_ref(magenta_nid, "R05", "N25")
    path = tmp_path / "magenta.xlsx"
    path.write_bytes(copy_sheet(scheda_to_xlsx(magenta_nid), sheet, "Quadro 1 (2)", {ref: 200}))
    assert (
        "magenta.xlsx (NID26 015130): Il file contiene fogli che non fanno parte della scheda: «Quadro 1 (2)». "
        "Rimuoverli o copiare i valori nel foglio giusto."
    ) in refused(path, magenta_nid)


def test_import_refuses_a_file_over_10_mb(admin_user, tmp_path, magenta_nid):
    data = edit_xlsx(scheda_to_xlsx(magenta_nid), {cell_ref(magenta_nid, "R05", "N25"): 200})  # a valid change
    path = tmp_path / "magenta.xlsx"
    path.write_bytes(padded(data, 10 * MB + 40_000))
    assert "magenta.xlsx: il file è di 10,1 MB, oltre il limite di 10 MB." in refused(path, magenta_nid)


def test_import_size_limit_follows_the_setting(admin_user, tmp_path, magenta_nid, settings):
    settings.SCHEDE_UPLOAD_MAX_MB = 0.5
    doc = {"template": "NID26", "comune": "015130", "valori": {"R05": {"N25": "200"}}}
    path = tmp_path / "schede.json"
    path.write_text(json.dumps(doc) + " " * 600_000, encoding="utf-8")  # valid JSON, 0,6 MB
    assert "schede.json: il file è di 0,6 MB, oltre il limite di 0,5 MB." in refused(path, magenta_nid)
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert "NID26 015130 Magenta: 1 celle modificate." in import_file(path)  # the same file, small enough


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("schede.csv", "schede.csv: estensione «.csv» non ammessa, caricare un file .json o .xlsx."),
        ("schede", "schede: estensione mancante non ammessa, caricare un file .json o .xlsx."),
        ("magenta.xls", "magenta.xls: estensione «.xls» non ammessa, caricare un file .json o .xlsx."),
    ],
)
def test_import_refuses_an_unknown_extension(admin_user, tmp_path, magenta_nid, name, expected):
    path = tmp_path / name
    path.write_bytes(edit_xlsx(scheda_to_xlsx(magenta_nid), {cell_ref(magenta_nid, "R05", "N25"): 200}))
    assert expected in refused(path, magenta_nid)


def test_import_refuses_an_xlsx_with_a_value_outside_the_grid(admin_user, tmp_path, magenta_nid):
    path = tmp_path / "magenta.xlsx"
    edits = {cell_ref(magenta_nid, "R05", "N25"): 200, ("Quadro 1", "W15"): 999}  # W15: right of the last column
    path.write_bytes(edit_xlsx(scheda_to_xlsx(magenta_nid), edits))
    assert (
        "magenta.xlsx (NID26 015130): Foglio «Quadro 1», cella W15: valore fuori dalla griglia della scheda; «999» "
        "non verrebbe letto: cancellarlo o scriverlo in una cella bianca della scheda."
    ) in refused(path, magenta_nid)


def write_text(tmp_path, text: str, name="schede.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_refuses_a_row_key_repeated_in_the_json(admin_user, tmp_path, magenta_nid):
    text = '{"template": "NID26", "comune": "015130", "valori": {"R05": {"N25": "200"}, "R05": {"S25": "3"}}}'
    assert (
        "schede.json: la chiave «R05» compare più volte nell'oggetto «valori»: ogni chiave va scritta una sola volta."
    ) in refused(write_text(tmp_path, text), magenta_nid)


def test_import_refuses_every_key_repeated_naming_scheda_and_object(admin_user, tmp_path, magenta_nid):
    text = (
        '[{"template": "NID26", "comune": "015130", "valori": {"R04": {"N25": "1"}}},'
        ' {"template": "NID26", "comune": "015130", "comune": "015130",'
        '  "valori": {"R05": {"N25": "200", "N25": "210"}}}]'
    )
    message = refused(write_text(tmp_path, text), magenta_nid)
    assert message.splitlines()[1:] == [
        "schede.json, scheda 2: la chiave «comune» compare più volte nell'oggetto della scheda: "
        "ogni chiave va scritta una sola volta.",
        "schede.json, scheda 2: la chiave «N25» compare più volte nell'oggetto «valori» → «R05»: "
        "ogni chiave va scritta una sola volta.",
    ]


def test_invalid_json_is_described_in_italian_with_line_and_column(admin_user, tmp_path, magenta_nid):
    path = write_text(tmp_path, '{"template": "NID26"\n "comune": "015130"}', "s.json")
    assert "s.json: JSON non valido alla riga 2, colonna 2: manca una virgola o una parentesi di chiusura." in (
        refused(path, magenta_nid)
    )


def test_a_json_file_not_in_utf8_is_refused_naming_the_byte(admin_user, tmp_path, magenta_nid):
    path = tmp_path / "s.json"
    text = '{"template": "NID26", "comune": "015130",\n "valori": {"R61": {"TXT": "attività"}}}'
    path.write_bytes(text.encode("latin-1"))  # «à» is byte 78 of the file, column 36 of line 2
    assert (
        "s.json: il file non è in UTF-8 (byte non valido alla posizione 78, riga 2, colonna 36): "
        "salvarlo con la codifica UTF-8."
    ) in refused(path, magenta_nid)
