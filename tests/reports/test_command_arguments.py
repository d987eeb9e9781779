"""piano_pdf / piano_xlsx and pulisci_report refuse a bad argument with an Italian message naming it."""

import pytest
from django.core.management import CommandError, call_command

from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_piano_onto_a_folder_is_refused_before_building(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("piano_xlsx", "--ambito", "magentino", "--periodo", "2025-2027", "--output", str(tmp_path))
    assert str(excinfo.value) == f"--output: «{tmp_path}» è una cartella: indicare il nome del file da scrivere."
    assert not Job.objects.exists()  # nothing built for a file that cannot be written


def test_piano_period_beyond_any_year_is_refused():
    with pytest.raises(CommandError) as excinfo:
        call_command("piano_xlsx", "--ambito", "magentino", "--periodo", "99999999999999999999")
    expected = "--periodo: «99999999999999999999» non è un anno: indicare quattro cifre, per esempio 2024."
    assert str(excinfo.value) == expected


@pytest.mark.parametrize(
    ("arguments", "options", "message"),
    [
        (["--giorni", "10000000000"], {}, "--giorni: 10000000000 è fuori dall'intervallo ammesso (da 0 a 36.500)."),
        ([], {"giorni": 10**10}, "--giorni: 10000000000 è fuori dall'intervallo ammesso (da 0 a 36.500)."),
        (["--giorni", "-1"], {}, "--giorni: -1 è fuori dall'intervallo ammesso (da 0 a 36.500)."),
        (["--giorni", "abc"], {}, "--giorni: «abc» non è un numero intero."),
    ],
    ids=["huge", "huge-keyword", "negative", "text"],
)
def test_pulisci_report_refuses_a_bad_number_of_days(arguments, options, message):
    with pytest.raises(CommandError) as excinfo:
        call_command("pulisci_report", *arguments, **options)
    assert str(excinfo.value) == message
