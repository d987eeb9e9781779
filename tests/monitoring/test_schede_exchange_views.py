"""The web side of the Excel round-trip and of the PDF: download, upload with preview, confirm, refusals."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

import monitoring.pdf
from tests.documents import read_xlsx
from tests.monitoring.helpers import cell_ref, copy_sheet, padded, snapshot
from tests.schede_helpers import magenta_nid, reggio, result, stored

pytestmark = pytest.mark.django_db


def upload(client, scheda, data: bytes, name="scheda.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("monitoring:xlsx_upload", args=[scheda.pk]), {"file": f})


def upload_edited(client, scheda, changes: dict[tuple[str, str], object]):
    """Download the scheda's workbook, change cells of its «Quadro 1» and upload it (the preview step)."""
    return upload(client, scheda, edited_workbook(client, scheda, changes))


def confirm_upload(client, scheda, **kwargs):
    """Confirm the previewed upload."""
    return client.post(reverse("monitoring:xlsx_upload", args=[scheda.pk]), {"conferma": "1"}, **kwargs)


def section(page: str, testid: str, end: str) -> str:
    """The part of the page from the element with `data-testid` to the first `end` after it."""
    return page.split(f'data-testid="{testid}"')[1].split(end)[0]


def edited_workbook(client, scheda, changes: dict[tuple[str, str], object]) -> bytes:
    wb = read_xlsx(client.get(reverse("monitoring:xlsx", args=[scheda.pk])).content)
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
    response = upload_edited(client, scheda, {("R05", "N25"): 190, ("R07", "N25"): 12})
    assert response.status_code == 200
    preview = section(response.content.decode(), "anteprima", "</table>")
    assert "R05/N25" in preview
    assert "180" in preview
    assert "190" in preview
    assert "R07/N25" in preview
    assert stored(scheda, "R05", "N25") == "180"  # not yet applied
    assert confirm_upload(client, scheda).status_code == 302
    assert stored(scheda, "R05", "N25") == "190"
    assert result(scheda, "R10.N25") == "388"  # 190 + 150 + 12 + 36


def test_bad_upload_lists_sheet_and_cell_and_saves_nothing(client_for, udp_user):
    scheda = magenta_nid()
    client = client_for(udp_user)
    response = upload_edited(client, scheda, {("R05", "N25"): "tanti", ("R06", "N25"): -3})
    assert response.status_code == 400
    errors = section(response.content.decode(), "errori-upload", "</ul>")
    assert "Quadro 1" in errors
    assert "R05/N25" in errors
    assert "R06/N25" in errors
    assert confirm_upload(client, scheda).status_code == 302
    assert stored(scheda, "R05", "N25") == "180"


def test_upload_of_another_comune_file_is_refused(client_for, admin_user):
    client = client_for(admin_user)
    reggio_file = client.get(reverse("monitoring:xlsx", args=[reggio("NID26").pk])).content
    response = upload(client, magenta_nid(), reggio_file)
    assert response.status_code == 400
    assert "035033" in response.content.decode()


def test_upload_refused_for_validated_scheda(client_for, admin_user):
    scheda = reggio("NID26")
    client = client_for(admin_user)
    data = client.get(reverse("monitoring:xlsx", args=[scheda.pk])).content
    upload(client, scheda, data)
    response = confirm_upload(client, scheda, follow=True)
    assert "non è modificabile" in response.content.decode()


def test_pdf_download(client_for, dirigente_user):
    scheda = magenta_nid()
    response = client_for(dirigente_user).get(reverse("monitoring:pdf", args=[scheda.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pdf_failure_is_reported_not_returned(client_for, dirigente_user, monkeypatch):
    def broken(_scheda):
        raise RuntimeError("layout")

    monkeypatch.setattr(monitoring.pdf, "scheda_pdf", broken)
    scheda = magenta_nid()
    response = client_for(dirigente_user).get(reverse("monitoring:pdf", args=[scheda.pk]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "Non è stato possibile generare il PDF" in response.content.decode()


# --- Nothing is lost silently: formulas, extra sheets and oversized files are refused at the preview ---------

MB = 1024 * 1024


def refused_upload(client, scheda, data: bytes, name="scheda.xlsx") -> str:
    """The page of a refused upload (400); nothing is stored and nothing is left to confirm."""
    before = snapshot(scheda)
    response = upload(client, scheda, data, name)
    assert response.status_code == 400
    assert 'data-testid="anteprima"' not in response.content.decode()
    confirm = confirm_upload(client, scheda, follow=True)
    assert "Nessun caricamento in attesa di conferma" in confirm.content.decode()
    assert snapshot(scheda) == before
    return response.content.decode()


def upload_errors(page: str) -> list[str]:
    items = section(page, "errori-upload", "</ul>")
    return [item.split("</li>")[0] for item in items.split("<li>")[1:]]


def test_upload_with_a_formula_is_refused_not_read_as_empty(client_for, operatore_user):
    scheda = magenta_nid()
    client = client_for(operatore_user)
    data = edited_workbook(client, scheda, {("R05", "N25"): "=100+80", ("R07", "N25"): 12})
    _, ref = cell_ref(scheda, "R05", "N25")
    assert upload_errors(refused_upload(client, scheda, data)) == [
        f"Foglio «Quadro 1», cella {ref} (R05/N25): contiene una formula («=100+80»): "
        "scrivere il valore, non una formula."
    ]
    assert stored(scheda, "R05", "N25") == "180"


def test_upload_with_an_extra_sheet_is_refused(client_for, operatore_user):
    scheda = magenta_nid()
    client = client_for(operatore_user)
    original = client.get(reverse("monitoring:xlsx", args=[scheda.pk])).content
    sheet, ref = cell_ref(scheda, "R05", "N25")
    data = copy_sheet(original, sheet, "Quadro 1 (2)", {ref: 200})
    assert upload_errors(refused_upload(client, scheda, data)) == [
        "Il file contiene fogli che non fanno parte della scheda: «Quadro 1 (2)». "
        "Rimuoverli o copiare i valori nel foglio giusto."
    ]


def test_upload_over_10_mb_is_refused(client_for, operatore_user):
    scheda = magenta_nid()
    client = client_for(operatore_user)
    data = padded(edited_workbook(client, scheda, {("R05", "N25"): 200}), 10 * MB + 40_000)  # a valid change
    page = refused_upload(client, scheda, data, name="magenta.xlsx")
    assert "magenta.xlsx: il file è di 10,1 MB, oltre il limite di 10 MB." in page


def test_upload_and_import_schede_refuse_a_big_file_with_the_same_message(
    client_for, operatore_user, admin_user, settings, tmp_path
):
    settings.SCHEDE_UPLOAD_MAX_MB = 0.5
    scheda = magenta_nid()
    client = client_for(operatore_user)
    data = padded(edited_workbook(client, scheda, {("R05", "N25"): 200}), 600_000)
    message = "magenta.xlsx: il file è di 0,6 MB, oltre il limite di 0,5 MB."
    assert message in refused_upload(client, scheda, data, name="magenta.xlsx")
    path = tmp_path / "magenta.xlsx"
    path.write_bytes(data)
    before = snapshot(scheda)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_schede", str(path), stdout=io.StringIO())
    assert snapshot(scheda) == before


def test_upload_of_another_format_is_refused(client_for, operatore_user):
    scheda = magenta_nid()
    client = client_for(operatore_user)
    data = edited_workbook(client, scheda, {("R05", "N25"): 200})
    page = refused_upload(client, scheda, data, name="magenta.xls")
    assert "magenta.xls: estensione «.xls» non ammessa, caricare un file .xlsx." in page
