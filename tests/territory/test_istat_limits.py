"""The ISTAT loaders check every value against the limits of its column while reading (the bulk writes skip the
model's checks: SQLite would store it, PostgreSQL would cut a text or fail with an error of its own), and their
commands refuse a bad argument with an Italian message."""

import pytest
from django.core.management import CommandError, call_command

from territory.models import Comune, Popolazione
from tests.territory.test_population_import import HEADER, population_csv

pytestmark = pytest.mark.django_db

COMUNI_HEADER = (
    "Codice Regione;Codice dell'Unità territoriale sovracomunale;Codice Provincia (Storico)(1);"
    "Progressivo del Comune (2);Codice Comune formato alfanumerico;Denominazione (Italiana e straniera);"
    "Denominazione in italiano;Denominazione altra lingua;Codice Ripartizione Geografica;Ripartizione geografica;"
    "Denominazione Regione;Denominazione dell'Unità territoriale sovracomunale;Tipologia di Unità territoriale "
    "sovracomunale;Flag Comune capoluogo di provincia/città metropolitana/libero consorzio;Sigla automobilistica"
)


def comuni_row(code: str, nome: str, sigla: str) -> str:
    cells = ["03", "215", "015", "130", code, nome, nome, "", "1", "Nord-ovest", "Lombardia", "Milano", "3", "0", sigla]
    return ";".join(cells)


def test_population_beyond_the_integer_column_is_refused_naming_row_and_column(tmp_path):
    # 3.000.000.000 residents: more than an integer column holds on PostgreSQL (2.147.483.647), stored by SQLite
    good = population_csv(code="015010", name="Arluno").decode("utf-8-sig")
    bad = [
        HEADER,
        "015130;Magenta;0;1500000000;1500000000;3000000000",
        "015130;Magenta;999;1500000000;1500000000;3000000000",
    ]
    path = tmp_path / "pop.csv"
    path.write_text(good + "\n".join(bad[1:]) + "\n", encoding="utf-8")
    first_bad = good.count("\n") + 1
    with pytest.raises(CommandError) as excinfo:
        call_command("import_popolazione", str(path), "--anno", "2030")
    message = str(excinfo.value)
    assert f"{path}: file non valido, nessun dato salvato." in message
    # the total row (Età 999) is checked: every figure stored is at most its figures (the ages add up to it)
    assert (
        f"Riga {first_bad + 1}, colonna «Totale»: «3000000000» non ammesso. "
        "Assicurati che questo valore sia minore o uguale a 2147483647." in message
    )
    assert not Popolazione.objects.filter(anno=2030).exists()  # Arluno's good rows are not saved either


def test_comune_sigla_longer_than_its_column_is_refused_and_nothing_saved(tmp_path):
    # PostgreSQL would cut «MIL» to «MI» without a word, SQLite would store «MIL»
    rows = [COMUNI_HEADER, comuni_row("015010", "Arluno Nuovo", "MI"), comuni_row("015130", "Magenta", "MIL")]
    path = tmp_path / "comuni.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("load_comuni", str(path))
    assert (
        "Riga 3, colonna «Sigla automobilistica»: «MIL» non ammesso. "
        "Assicurati che questo valore non contenga più di 2 caratteri (ne ha 3)." in str(excinfo.value)
    )
    assert Comune.objects.get(pk="015130").sigla_provincia == "MI"
    assert Comune.objects.get(pk="015010").nome == "Arluno"


@pytest.mark.parametrize(
    "command", [("import_popolazione", "--anno", "2024"), ("load_comuni",)], ids=["import_popolazione", "load_comuni"]
)
def test_a_folder_instead_of_the_file_is_refused(tmp_path, command):
    with pytest.raises(CommandError) as excinfo:
        call_command(command[0], str(tmp_path), *command[1:])
    assert str(excinfo.value) == f"«{tmp_path}» è una cartella, non un file: indicare il file da leggere."


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "24"])
def test_a_year_that_is_not_a_year_is_refused(tmp_path, value):
    path = tmp_path / "pop.csv"
    path.write_bytes(population_csv())
    expected = f"--anno: «{value}» non è un anno: indicare quattro cifre, per esempio 2024."
    with pytest.raises(CommandError) as excinfo:
        call_command("import_popolazione", str(path), "--anno", value)
    assert str(excinfo.value) == expected
