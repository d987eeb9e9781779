"""ISTAT population-by-age import: parsing, derived age bands, all-or-nothing, messages with line/column."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Ruolo
from jobs.models import Job
from planning import import_jobs
from planning.import_jobs import POPOLAZIONE
from territory.istat import IstatFileError, parse_popolazione
from territory.models import Popolazione
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

HEADER = "Codice comune;Comune;Età;Totale maschi;Totale femmine;Totale"


def population_csv(code="015130", name="Magenta", sep=";", title=True, bom=True, ages=101, extra_rows=()):
    lines = []
    if title:
        lines.append("Popolazione residente al 1° gennaio 2025 per età e sesso")
    lines.append(HEADER.replace(";", sep))
    males = females = 0
    for age in range(ages):
        m, f = 100 + age % 7, 110 + age % 5
        males, females = males + m, females + f
        lines.append(sep.join([code, name, str(age), str(m), str(f), str(m + f)]))
    lines.extend(extra_rows)
    lines.append(sep.join([code, name, "999", str(males), str(females), str(males + females)]))
    text = "\n".join(lines) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def expected_band(low, high):
    return sum((100 + a % 7) + (110 + a % 5) for a in range(low, high + 1))


@pytest.mark.parametrize("sep", [";", ","])
@pytest.mark.parametrize("title", [True, False])
def test_parser_accepts_separators_bom_and_title(sep, title):
    [record] = parse_popolazione(population_csv(sep=sep, title=title))
    facts = record.facts()
    assert record.codice_istat == "015130"
    assert facts["totale"] == expected_band(0, 100)
    assert facts["eta_0_14"] == expected_band(0, 14)
    assert facts["eta_0_17"] == expected_band(0, 17)
    assert facts["eta_65_oltre"] == expected_band(65, 100)
    assert (facts["eta_0"], facts["eta_1"], facts["eta_2"]) == (210, 212, 214)


def test_command_imports_and_keeps_foreign_residents(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_bytes(population_csv())
    out = io.StringIO()
    call_command("import_popolazione", str(path), "--anno", "2024", stdout=out)
    assert "Comuni con dati nuovi 0, Comuni aggiornati 1." in out.getvalue()
    fact = Popolazione.objects.get(comune_id="015130", anno=2024)
    assert fact.totale == expected_band(0, 100)
    assert fact.eta_0_14 == expected_band(0, 14)
    assert fact.stranieri == 2977  # from the seed; not in the ISTAT age file, left untouched


def test_malformed_csv_saves_nothing_and_names_line_and_column(tmp_path):
    good = population_csv(code="015010", name="Arluno").decode("utf-8-sig")
    bad = population_csv(extra_rows=["015130;Magenta;101;12;dieci;22"]).decode("utf-8-sig")
    path = tmp_path / "pop.csv"
    path.write_text(good + bad.split("\n", 2)[2], encoding="utf-8")  # Arluno ok, then Magenta with a bad row
    before = list(Popolazione.objects.order_by("pk").values())
    with pytest.raises(CommandError) as excinfo:
        call_command("import_popolazione", str(path), "--anno", "2030")
    message = str(excinfo.value)
    assert "nessun dato salvato" in message
    bad_line = path.read_text(encoding="utf-8").split("\n").index("015130;Magenta;101;12;dieci;22") + 1
    assert f"Riga {bad_line}, colonna «Totale femmine»: «dieci»" in message
    assert list(Popolazione.objects.order_by("pk").values()) == before
    assert not Popolazione.objects.filter(anno=2030).exists()


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (lambda t: t.replace("Totale femmine", "Femmine"), "manca la colonna «Totale femmine»"),
        (lambda t: t.replace("015130;Magenta;5;", "01A130;Magenta;5;"), "colonna «Codice comune»: «01A130»"),
        (lambda t: t.replace(";999;", ";998;"), "non è un'età valida"),
        (lambda t: t.rsplit("\n", 2)[0] + "\n", "manca la riga del totale (Età 999)"),
    ],
)
def test_parser_errors(mutation, expected):
    text = mutation(population_csv(title=False, bom=False).decode())
    with pytest.raises(IstatFileError) as excinfo:
        parse_popolazione(text.encode())
    assert expected in str(excinfo.value)


def test_sum_of_ages_must_match_total_row():
    text = population_csv(title=False).decode("utf-8-sig").replace(";0;100;110;210", ";0;100;111;211")
    with pytest.raises(IstatFileError, match=r"la somma delle età .* è diversa dal totale"):
        parse_popolazione(text.encode())


def test_unknown_istat_code_rejects_file(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_bytes(population_csv(code="999999", name="Inesistente"))
    with pytest.raises(CommandError, match=r"il codice 999999 .* non è nell'elenco ISTAT"):
        call_command("import_popolazione", str(path), "--anno", "2024")


def test_upload_form_for_ufficio_di_piano(client_for, udp_user, magentino):
    client = client_for(udp_user)
    url = reverse("planning:popolazione_import", args=["magentino"])
    reggio_rows = population_csv(code="035033", name="Reggio").decode("utf-8-sig").split("\n", 2)[2]
    data = population_csv().decode("utf-8-sig") + reggio_rows
    upload = io.BytesIO(data.encode("utf-8"))
    upload.name = "pop.csv"
    response = client.post(url, {"file": upload, "anno": "2025"})
    job = Job.objects.get(kind=POPOLAZIONE)  # the import is a job (run by the test's immediate queue)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.stato, job.passo, job.passi) == (Job.Stato.PRONTO, 3, 3)
    page = client.get(response["Location"]).content.decode()
    assert "Popolazione 2025 importata: 1 Comune nuovo, 0 aggiornati." in page
    assert "1 Comune del file non appartiene all&#x27;Ambito e non è stato importato." in page
    assert Popolazione.objects.filter(anno=2025, comune_id="015130").exists()
    assert not Popolazione.objects.filter(anno=2025, comune_id="035033").exists()


def test_upload_form_shows_errors_and_saves_nothing(client_for, udp_user):
    client = client_for(udp_user)
    url = reverse("planning:popolazione_import", args=["magentino"])
    upload = io.BytesIO(population_csv(extra_rows=["015130;Magenta;7;x;1;1"]))
    upload.name = "pop.csv"
    response = client.post(url, {"file": upload, "anno": "2025"})
    job = Job.objects.get(kind=POPOLAZIONE)
    assert job.stato == Job.Stato.ERRORE
    page = client.get(response["Location"]).content.decode().replace("&#x27;", "'")
    assert "Il file «pop.csv» non è stato importato: nessun dato è stato salvato." in page
    assert "Riprova" in page
    assert "colonna «Totale maschi»: «x»" in page
    assert not Popolazione.objects.filter(anno=2025).exists()


def test_upload_is_enqueued_never_imported_in_the_request(client_for, udp_user, settings, monkeypatch):
    """A regional file (1.500 Comuni) takes seconds: the request only stores it and enqueues the job."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def in_the_request(**kwargs):
        raise AssertionError("popolazione importata nella richiesta")

    monkeypatch.setattr(import_jobs, "popolazione_import", in_the_request)
    client = client_for(udp_user)
    url = reverse("planning:popolazione_import", args=["magentino"])
    upload = io.BytesIO(population_csv())
    upload.name = "pop.csv"
    response = client.post(url, {"file": upload, "anno": "2025"})
    job = Job.objects.get(kind=POPOLAZIONE)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.stato == Job.Stato.IN_CODA
    assert "015130" in job.parametri["comuni"]
    assert "035033" not in job.parametri["comuni"]  # Reggio nell'Emilia: another Ambito
    assert not Popolazione.objects.filter(anno=2025).exists()
    assert "Importazione popolazione 2025 «pop.csv»" in client.get(response["Location"]).content.decode()


def test_another_ambitos_user_gets_404(client_for, oglio_po):
    other = client_for(user_with_role("udp-oglio", Ruolo.UFFICIO_PIANO, ambito=oglio_po))
    upload = io.BytesIO(population_csv())
    upload.name = "pop.csv"
    url = reverse("planning:popolazione_import", args=["magentino"])
    assert other.post(url, {"file": upload, "anno": "2025"}).status_code == 404
    assert not Job.objects.exists()
