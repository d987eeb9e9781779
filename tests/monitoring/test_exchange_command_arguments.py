"""export_schede and import_schede refuse a path they cannot use with an Italian message naming it."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ONE_SCHEDA = ("--template", "NID26", "--comune", "035033")


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_export_into_a_missing_folder_is_refused(tmp_path, fmt):
    target = tmp_path / "manca" / f"scheda.{fmt}"
    with pytest.raises(CommandError) as excinfo:
        call_command("export_schede", *ONE_SCHEDA, "--format", fmt, "--output", str(target))
    assert str(excinfo.value) == f"--output: la cartella «{tmp_path / 'manca'}» non esiste."


def test_json_export_onto_a_folder_is_refused(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("export_schede", *ONE_SCHEDA, "--output", str(tmp_path))
    assert str(excinfo.value) == f"--output: «{tmp_path}» è una cartella: indicare il nome del file da scrivere."


def test_import_of_a_folder_is_refused(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("import_schede", str(tmp_path))
    assert str(excinfo.value) == f"«{tmp_path}» è una cartella, non un file: indicare il file da leggere."
