"""Import of commitments and payments from the accounting export (planning:movimenti_import): a good CSV or XLSX is
previewed with the figures each line reaches, then applied; a file with one bad row saves nothing and names the row
and the column; a row refused at apply time saves nothing; only the Ufficio di Piano imports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from planning.bilancio import services
from planning.bilancio.import_views import SESSION_KEY
from planning.models import Movimento, PianoDiZona
from tests.monitoring.helpers import with_cached_result

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_budget")]

HEADER = ["Fondo", "Annualità", "Intervento", "Anno", "Tipo", "Natura", "Data", "Atto", "Importo"]


def url(piano) -> str:
    return reverse("planning:movimenti_import", args=[piano.slug])


def rows_for(intervento, *extra) -> list[list[str]]:
    """A commitment of 10.000,00 and a payment of 4.000,00 on the FNPS 2025 line of `intervento`, then `extra`."""
    return [
        ["FNPS", "2025", intervento.titolo, "2025", "impegno", "nuovo", "10/04/2025", "Det. 1/2025", "10.000,00"],
        ["fnps", "2025", intervento.titolo, "2025", "liquidazione", "nuovo", "15/10/2025", "Mandato 7", "4000,5"],
        *extra,
    ]


def csv_file(rows, sep=";", bom=True, name="movimenti.csv") -> SimpleUploadedFile:
    def quote(value: str) -> str:
        return f'"{value}"' if sep in value else value

    text = "\r\n".join(sep.join(quote(v) for v in row) for row in [HEADER, *rows]) + "\r\n"
    data = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile(name, data.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="movimenti.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "Movimenti"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, piano, file):
    return client.post(url(piano), {"file": file})


def confirm(client, piano):
    return client.post(url(piano), {"conferma": "1"})


def test_good_csv_is_previewed_then_applied(client_for, udp_user, piano, riga_fnps, intervento):
    client = client_for(udp_user)
    response = upload(client, piano, csv_file(rows_for(intervento)))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="anteprima"' in page
    assert "riga 2" in page
    assert "riga 3" in page
    assert "10.000,00" in page
    assert "4.000,50" in page
    assert "30.000,00" in page
    assert "10/04/2025" in page
    assert "Registra i movimenti" in page
    assert not Movimento.objects.filter(riga=riga_fnps).exists()  # the preview saves nothing
    response = confirm(client, piano)
    assert response.status_code == 302
    saved = list(Movimento.objects.filter(riga=riga_fnps).order_by("pk").values_list("tipo", "importo", "data", "atto"))
    assert saved == [
        ("impegno", Decimal("10000.00"), datetime.date(2025, 4, 10), "Det. 1/2025"),
        ("liquidazione", Decimal("4000.50"), datetime.date(2025, 10, 15), "Mandato 7"),
    ]
    assert Movimento.objects.filter(riga=riga_fnps).first().creato_da == udp_user
    assert SESSION_KEY not in client.session
    assert confirm(client, piano).status_code == 302  # a second confirmation has nothing to apply
    assert Movimento.objects.filter(riga=riga_fnps).count() == 2


def test_preview_shows_what_impegnato_and_liquidato_become(client_for, udp_user, piano, riga_fnps, intervento):
    services.movimento_add(
        riga=riga_fnps, tipo="impegno", natura="nuovo", data=datetime.date(2025, 2, 1), atto="x", importo=Decimal("500")
    )
    response = upload(client_for(udp_user), piano, csv_file(rows_for(intervento)))
    rows = response.context["rows"]
    assert [(r.impegnato_decimal, r.liquidato_decimal) for r in rows] == [
        (Decimal("10500.00"), Decimal("0")),
        (Decimal("10500.00"), Decimal("4000.50")),
    ]


def test_comma_separated_csv_without_bom(client_for, udp_user, piano, riga_fnps, intervento):
    client = client_for(udp_user)
    response = upload(client, piano, csv_file(rows_for(intervento), sep=",", bom=False))
    assert response.status_code == 200, response.context["errors"]
    assert confirm(client, piano).status_code == 302
    assert Movimento.objects.filter(riga=riga_fnps).count() == 2


def test_good_xlsx_with_real_numbers_and_dates(client_for, udp_user, piano, riga_fnps, intervento):
    client = client_for(udp_user)
    rows = [
        *rows_for(intervento),
        ["FNPS", 2025, intervento.titolo, 2025, "Impegno", "Correzione", datetime.date(2025, 5, 2), "Det. 9", -250.25],
    ]
    response = upload(client, piano, xlsx_file(rows))
    assert response.status_code == 200, response.context["errors"]
    assert "foglio «Movimenti», riga 4" in response.content.decode()
    assert confirm(client, piano).status_code == 302
    moves = Movimento.objects.filter(riga=riga_fnps)
    assert moves.count() == 3
    assert moves.get(natura="correzione").importo == Decimal("-250.25")


@pytest.mark.parametrize(
    ("bad", "column", "text"),
    [
        (["XYZ", "2025", None, "2025", "impegno", "nuovo", "01/03/2025", "Det. 2", "10,00"], "fondo", "XYZ"),
        (["FNPS", "2025", None, "2025", "impegno", "nuovo", "31/02/2025", "Det. 2", "10,00"], "data", "31/02/2025"),
        (["FNPS", "2025", None, "2025", "impegno", "nuovo", "2025-03-01", "Det. 2", "10,00"], "data", "gg/mm/aaaa"),
        (
            ["FNPS", "2025", None, "2025", "impegno", "nuovo", "01/03/2025", "Det. 2", "25.000,00"],
            "importo",
            "30.000,00",
        ),
        (["FNPS", "2025", None, "2025", "impegno", "nuovo", "01/03/2025", "Det. 2", "10,001"], "importo", "decimali"),
        (["FNPS", "2025", None, "2025", "spesa", "nuovo", "01/03/2025", "Det. 2", "10,00"], "tipo", "spesa"),
        (
            ["FNPS", "2025", "Intervento che non c'è", "2025", "impegno", "nuovo", "01/03/2025", "D", "1"],
            "intervento",
            "non c'è",
        ),
        (["FNPS", "2024", None, "2025", "impegno", "nuovo", "01/03/2025", "Det. 2", "10,00"], "annualità", "2024"),
        (["FNPS", "2025", None, "2026", "impegno", "nuovo", "01/03/2025", "Det. 2", "10,00"], "anno", "2026"),
    ],
)
def test_one_bad_csv_row_saves_nothing_and_names_row_and_column(
    client_for, udp_user, piano, riga_fnps, intervento, bad, column, text
):
    bad = [intervento.titolo if v is None else v for v in bad]
    client = client_for(udp_user)
    response = upload(client, piano, csv_file(rows_for(intervento, bad)))
    assert response.status_code == 400
    errors = response.context["errors"]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"riga 4, colonna «{column}»: ")
    assert text in errors[0]
    page = response.content.decode()
    assert "nessun movimento è stato salvato" in page
    assert "Registra i movimenti" not in page
    assert SESSION_KEY not in client.session
    assert confirm(client, piano).status_code == 302  # nothing pending
    assert not Movimento.objects.filter(riga__piano=piano).exists()


def test_bad_xlsx_row_names_sheet_row_and_column(client_for, udp_user, piano, riga_fnps, intervento):
    bad = ["FNPS", 2025, intervento.titolo, 2025, "impegno", "nuovo", datetime.date(2025, 3, 1), "Det. 3", 99999]
    response = upload(client_for(udp_user), piano, xlsx_file(rows_for(intervento, bad)))
    assert response.status_code == 400
    [error] = response.context["errors"]
    assert error.startswith("foglio «Movimenti», riga 4, colonna «importo»: ")
    assert "oltre il programmato" in error
    assert not Movimento.objects.filter(riga__piano=piano).exists()


def test_rows_are_checked_in_order_against_each_other(client_for, udp_user, piano, riga_fnps, intervento):
    """Two commitments of 20.000,00 each: the second goes over the 30.000,00 programmed."""
    row = ["FNPS", "2025", intervento.titolo, "2025", "impegno", "nuovo", "01/03/2025", "Det.", "20.000,00"]
    response = upload(client_for(udp_user), piano, csv_file([row, row]))
    [error] = response.context["errors"]
    assert error.startswith("riga 3, colonna «importo»")
    assert "40.000,00" in error


def test_missing_columns_and_wrong_extension_are_refused(client_for, udp_user, piano, riga_fnps):
    client = client_for(udp_user)
    bad_header = SimpleUploadedFile("m.csv", b"fondo;anno;importo\r\nFNPS;2025;1\r\n")
    response = upload(client, piano, bad_header)
    assert response.status_code == 400
    assert "mancano le colonne" in response.context["errors"][0]
    assert "«intervento»" in response.context["errors"][0]
    response = upload(client, piano, SimpleUploadedFile("m.txt", b"x"))
    assert response.status_code == 400
    assert "estensione «.txt» non ammessa" in response.content.decode()


def test_row_refused_at_apply_time_saves_nothing(client_for, udp_user, piano, riga_fnps, intervento):
    client = client_for(udp_user)
    assert upload(client, piano, csv_file(rows_for(intervento))).status_code == 200
    # meanwhile someone commits 25.000,00 on the line: the file's 10.000,00 no longer fits
    services.movimento_add(
        riga=riga_fnps,
        tipo="impegno",
        natura="nuovo",
        data=datetime.date(2025, 2, 1),
        atto="x",
        importo=Decimal("25000"),
    )
    response = confirm(client, piano)
    assert response.status_code == 302
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "riga 2, colonna «importo»" in message
    assert "Nessun movimento salvato" in message
    assert list(Movimento.objects.filter(riga=riga_fnps).values_list("importo", flat=True)) == [Decimal("25000.00")]


def test_permissions(client_for, udp_user, dirigente_user, operatore_user, udp_oglio, piano, riga_fnps, intervento):
    assert client_for(udp_user).get(url(piano)).status_code == 200
    assert client_for(dirigente_user).get(url(piano)).status_code == 403
    assert upload(client_for(dirigente_user), piano, csv_file(rows_for(intervento))).status_code == 403
    assert client_for(operatore_user).get(url(piano)).status_code == 404
    assert upload(client_for(operatore_user), piano, csv_file(rows_for(intervento))).status_code == 404
    assert client_for(udp_oglio).get(url(piano)).status_code == 404
    assert upload(client_for(udp_oglio), piano, csv_file(rows_for(intervento))).status_code == 404
    assert not Movimento.objects.filter(riga__piano=piano).exists()


def test_locked_plan_refuses_the_import(client_for, udp_user, piano, riga_fnps):
    PianoDiZona.objects.filter(pk=piano.pk).update(stato="approvato")
    assert client_for(udp_user).get(url(piano)).status_code == 403


def _refused(client, piano, file) -> list[str]:
    """The errors of an upload refused as a whole (nothing saved, nothing pending)."""
    response = upload(client, piano, file)
    assert response.status_code == 400
    assert "nessun movimento è stato salvato" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert not Movimento.objects.filter(riga__piano=piano).exists()
    return response.context["errors"]


def test_comma_csv_with_an_unquoted_decimal_comma_is_refused_not_truncated(
    client_for, udp_user, piano, riga_fnps, intervento
):
    """«…,Det. 1/2025,1.234,56» is 10 cells under 9 headings: once it was saved as 1.234,00."""
    text = ",".join(HEADER) + f"\nFNPS,2025,{intervento.titolo},2025,impegno,nuovo,10/04/2025,Det. 1/2025,1.234,56\n"
    errors = _refused(client_for(udp_user), piano, SimpleUploadedFile("contabilita.csv", text.encode()))
    assert errors == [
        "riga 2: 10 valori invece dei 9 delle intestazioni.",
        "Il file è separato da virgole: un importo con la virgola decimale (es. 1.234,56) va racchiuso tra "
        'virgolette ("1.234,56"), oppure salvare il file con «;» come separatore.',
    ]


def test_a_row_with_more_values_than_headings_is_refused(client_for, udp_user, piano, riga_fnps, intervento):
    """Trailing empty cells (a separator at the end of the line) are harmless; a value past the header is not."""
    good, bad = rows_for(intervento)
    errors = _refused(client_for(udp_user), piano, csv_file([[*good, ""], [*bad, "da verificare", "x"]]))
    assert errors == ["riga 3: 11 valori invece dei 9 delle intestazioni."]


def test_an_unknown_column_in_the_header_is_refused(client_for, udp_user, piano, riga_fnps, intervento):
    text = ";".join([*HEADER, "Nota"]) + "\n" + ";".join([*rows_for(intervento)[0], "da verificare"]) + "\n"
    [error] = _refused(client_for(udp_user), piano, SimpleUploadedFile("m.csv", text.encode()))
    assert error.startswith("Intestazione: colonna non riconosciuta «Nota» (ammesse solo: fondo, annualità, ")


def test_an_xlsx_value_past_the_header_names_the_cell(client_for, udp_user, piano, riga_fnps, intervento):
    good, bad = rows_for(intervento)
    errors = _refused(client_for(udp_user), piano, xlsx_file([good, [*bad, None, "nota"]]))
    assert errors == ["foglio «Movimenti», riga 3, cella K3: valore «nota» in una colonna senza intestazione."]


@pytest.mark.parametrize("cached", [False, True], ids=["without-result", "with-result-saved-by-excel"])
def test_an_xlsx_formula_is_refused_naming_the_cell(client_for, udp_user, piano, riga_fnps, intervento, cached):
    """Never evaluated and its cached result never trusted, as the schede import."""
    good, bad = rows_for(intervento)
    data = xlsx_file([good, [*bad[:8], "=100+80"]]).read()
    if cached:
        data = with_cached_result(data, 1, "100+80", "180")
    errors = _refused(client_for(udp_user), piano, SimpleUploadedFile("m.xlsx", data))
    assert errors == ["foglio «Movimenti», cella I3: contiene una formula; inserire il valore."]


def test_a_second_sheet_with_data_is_refused_an_empty_one_is_not(client_for, udp_user, piano, riga_fnps, intervento):
    wb = Workbook()
    ws = wb.active
    ws.title = "Movimenti"
    for row in [HEADER, *rows_for(intervento)]:
        ws.append(row)
    wb.create_sheet("Vuoto")
    copy = wb.create_sheet("Movimenti (2)")
    for row in [HEADER, *rows_for(intervento)]:
        copy.append(row)
    out = io.BytesIO()
    wb.save(out)
    errors = _refused(client_for(udp_user), piano, SimpleUploadedFile("m.xlsx", out.getvalue()))
    assert errors == [
        "Il file contiene altri fogli con dati oltre al primo («Movimenti»): «Movimenti (2)». "
        "Si importa un solo foglio: spostare le righe nel primo foglio o eliminare gli altri fogli."
    ]
