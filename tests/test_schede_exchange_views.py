"""The web side of the Excel round-trip and of the PDF: download, upload with preview, confirm, refusals."""

import io

import pytest
from openpyxl import load_workbook

from monitoring.models import ValoreCella

from .schede_helpers import magenta_nid, reggio

pytestmark = pytest.mark.django_db


def upload(client, scheda, data: bytes, name="scheda.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(f"/monitoraggio/schede/{scheda.pk}/excel/carica/", {"file": f})


def edited_workbook(client, scheda, changes: dict[tuple[str, str], object]) -> bytes:
    wb = load_workbook(io.BytesIO(client.get(f"/monitoraggio/schede/{scheda.pk}/excel/").content))
    ws = wb["Quadro 1"]
    codes = {ws.cell(row=3, column=c).value: c for c in range(3, ws.max_column + 1)}
    rows = {ws.cell(row=r, column=1).value: r for r in range(5, ws.max_row + 1)}
    for (row, col), value in changes.items():
        ws.cell(row=rows[row], column=codes[col]).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_upload_preview_then_apply(client_for, operatore_user):
    scheda = magenta_nid()
    client = client_for(operatore_user)
    data = edited_workbook(client, scheda, {("R05", "N25"): 190, ("R07", "N25"): 12})
    response = upload(client, scheda, data)
    assert response.status_code == 200
    preview = response.content.decode().split('data-testid="anteprima"')[1].split("</table>")[0]
    assert "R05/N25" in preview and "180" in preview and "190" in preview and "R07/N25" in preview
    assert ValoreCella.objects.get(scheda=scheda, riga="R05", colonna="N25").valore == "180"  # not yet applied
    response = client.post(f"/monitoraggio/schede/{scheda.pk}/excel/carica/", {"conferma": "1"})
    assert response.status_code == 302
    assert ValoreCella.objects.get(scheda=scheda, riga="R05", colonna="N25").valore == "190"
    scheda.refresh_from_db()
    assert scheda.risultati["R10.N25"] == "388"  # 190 + 150 + 12 + 36


def test_bad_upload_lists_sheet_and_cell_and_saves_nothing(client_for, udp_user):
    scheda = magenta_nid()
    client = client_for(udp_user)
    data = edited_workbook(client, scheda, {("R05", "N25"): "tanti", ("R06", "N25"): -3})
    response = upload(client, scheda, data)
    assert response.status_code == 400
    errors = response.content.decode().split('data-testid="errori-upload"')[1].split("</ul>")[0]
    assert "Quadro 1" in errors and "R05/N25" in errors and "R06/N25" in errors
    assert client.post(f"/monitoraggio/schede/{scheda.pk}/excel/carica/", {"conferma": "1"}).status_code == 302
    assert ValoreCella.objects.get(scheda=scheda, riga="R05", colonna="N25").valore == "180"


def test_upload_of_another_comune_file_is_refused(client_for, admin_user):
    client = client_for(admin_user)
    reggio_file = client.get(f"/monitoraggio/schede/{reggio('NID26').pk}/excel/").content
    response = upload(client, magenta_nid(), reggio_file)
    assert response.status_code == 400
    assert "035033" in response.content.decode()


def test_upload_refused_for_validated_scheda(client_for, admin_user):
    scheda = reggio("NID26")
    client = client_for(admin_user)
    data = client.get(f"/monitoraggio/schede/{scheda.pk}/excel/").content
    upload(client, scheda, data)
    response = client.post(f"/monitoraggio/schede/{scheda.pk}/excel/carica/", {"conferma": "1"}, follow=True)
    assert "non è modificabile" in response.content.decode()


def test_pdf_download(client_for, dirigente_user):
    scheda = magenta_nid()
    response = client_for(dirigente_user).get(f"/monitoraggio/schede/{scheda.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pdf_failure_is_reported_not_returned(client_for, dirigente_user, monkeypatch):
    import monitoring.pdf

    def broken(_scheda):
        raise RuntimeError("layout")

    monkeypatch.setattr(monitoring.pdf, "scheda_pdf", broken)
    scheda = magenta_nid()
    response = client_for(dirigente_user).get(f"/monitoraggio/schede/{scheda.pk}/pdf/", follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "Non è stato possibile generare il PDF" in response.content.decode()
