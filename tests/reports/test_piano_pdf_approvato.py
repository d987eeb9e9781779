"""The Piano di Zona PDF of an approved plan: the act and the signatures in the closing block, the approval state
and the Ambito's logo on the cover (rendered once for the module, the changes rolled back); the data behind them
(plan's form, admin, fingerprint of the cached file) and the fetcher that serves the logo from MEDIA_ROOT."""

import datetime
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from core.pdf import StaticFilesFetcher, media_url
from planning.models import PianoDiZona
from planning.piano.forms import PianoForm
from reports.piano.fingerprint import piano_fingerprint
from reports.piano.pdf import build_piano_pdf, logo_url
from tests.documents import pdf_pages, pdf_reader

from .conftest import PIANO_SLUG, only_chapters

pytestmark = pytest.mark.django_db

ATTO = "Deliberazione dell'Assemblea dei Sindaci n. 3/2025"


def _png(width: int = 600, height: int = 300) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#0066cc").save(buffer, "PNG")
    return buffer.getvalue()


def _approve(piano: PianoDiZona, **fields) -> None:
    values = {
        "stato": "approvato",
        "atto_approvazione": ATTO,
        "data_approvazione": datetime.date(2025, 1, 20),
        "luogo_approvazione": "Magenta",
        "presidente_assemblea": "Maria Bianchi",
        "responsabile_ufficio_piano": "",
        **fields,
    }
    for name, value in values.items():
        setattr(piano, name, value)
    piano.save()


@pytest.fixture(scope="module")
def approved(django_db_setup, django_db_blocker, tmp_path_factory):
    """(pdf bytes, page texts) of the demo plan approved, with the President's name only and a logo (its cover and
    closing block, without the chapters)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        piano = PianoDiZona.objects.select_related("ambito").get(slug=PIANO_SLUG)
        piano.ambito.logo.save("magentino.png", ContentFile(_png()), save=True)
        _approve(piano)
        with only_chapters(piano):  # the cover and the closing block: no chapter is needed
            data = build_piano_pdf(piano)
        transaction.set_rollback(True)
    return data, pdf_pages(data)


def test_cover_shows_the_act_and_the_logo(approved):
    data, pages = approved
    cover = pages[0]
    assert "STATO DEL DOCUMENTO Approvato" in cover
    assert f"Approvato con {ATTO} del 20 gennaio 2025." in cover
    assert "non è ancora registrato" not in cover
    images = pdf_reader(data).pages[0].images
    assert [(i.image.width, i.image.height) for i in images] == [(600, 300)]  # the logo, from MEDIA_ROOT


def test_closing_block_has_the_act_and_the_signatures(approved):
    last = approved[1][-1]
    assert "Approvazione del piano Approvato" in last
    assert f"è approvato con {ATTO} del 20 gennaio 2025." in last
    assert "Magenta, 20 gennaio 2025" in last
    assert "Il Presidente dell'Assemblea dei Sindaci Maria Bianchi" in last
    assert "Il Responsabile dell'Ufficio di Piano nominativo non indicato" in last  # a name missing is said
    assert "In approvazione" not in last
    assert "non reca firme" not in last


# --- The data behind the block -------------------------------------------------------------------------------


def test_every_approval_field_and_the_logo_change_the_fingerprint(piano, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seen = {piano_fingerprint(piano)}
    for name, value in [
        ("atto_approvazione", ATTO),
        ("data_approvazione", datetime.date(2025, 1, 20)),
        ("luogo_approvazione", "Magenta"),
        ("presidente_assemblea", "Maria Bianchi"),
        ("responsabile_ufficio_piano", "Luca Verdi"),
    ]:
        setattr(piano, name, value)
        piano.save()
        seen.add(piano_fingerprint(piano))
    piano.ambito.logo.save("logo.png", ContentFile(_png()), save=True)
    seen.add(piano_fingerprint(piano))
    assert len(seen) == 7  # a change regenerates the cached PDF


def test_plan_form_edits_the_signatories(client_for, udp_user, piano):
    url = reverse("planning:piano_update", args=[piano.slug])
    page = client_for(udp_user).get(url).content.decode()
    for name in ("presidente_assemblea", "responsabile_ufficio_piano", "luogo_approvazione"):
        assert f'name="{name}"' in page
    form = PianoForm(
        data={
            "titolo": piano.titolo,
            "anno_inizio": piano.anno_inizio,
            "anno_fine": piano.anno_fine,
            "note": piano.note,
            "presidente_assemblea": "Maria Bianchi",
            "responsabile_ufficio_piano": "Luca Verdi",
            "luogo_approvazione": "Magenta",
        },
        instance=piano,
    )
    assert form.is_valid(), form.errors
    form.save()
    piano.refresh_from_db()
    assert (piano.presidente_assemblea, piano.responsabile_ufficio_piano, piano.luogo_approvazione) == (
        "Maria Bianchi",
        "Luca Verdi",
        "Magenta",
    )
    assert "presidente_assemblea" not in PianoForm(ambiti=PianoDiZona.objects.none()).fields  # new plans: later


def test_admin_edits_the_signatories_and_the_logo(client_for, admin_user, piano):
    client = client_for(admin_user)
    page = client.get(reverse("admin:planning_pianodizona_change", args=[piano.pk])).content.decode()
    for name in ("presidente_assemblea", "responsabile_ufficio_piano", "luogo_approvazione", "atto_approvazione"):
        assert f'name="{name}"' in page
    page = client.get(reverse("admin:territory_ambito_change", args=[piano.ambito_id])).content.decode()
    assert 'name="logo"' in page
    assert 'type="file"' in page


def test_logo_url_only_for_a_logo_on_disk(piano, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ambito = piano.ambito
    assert logo_url(ambito) == ""  # no logo: the cover shows the approval state alone
    ambito.logo = "ambiti/loghi/perso.png"  # recorded, but the file is gone
    assert logo_url(ambito) == ""
    ambito.logo.save("magentino.png", ContentFile(_png()), save=False)
    assert logo_url(ambito) == media_url(ambito.logo.name)


# --- The fetcher serves the logos, and nothing else, from MEDIA_ROOT ----------------------------------------------


def test_fetcher_serves_only_the_logos_from_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "ambiti" / "loghi").mkdir(parents=True)
    (tmp_path / "ambiti" / "loghi" / "logo ambito.png").write_bytes(_png(4, 2))
    (tmp_path / "ambiti" / "loghi" / "nota.txt").write_text("testo")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "piano.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path.parent / "fuori.png").write_bytes(_png(4, 2))
    os.symlink(tmp_path.parent / "fuori.png", tmp_path / "ambiti" / "loghi" / "link.png")

    fetcher = StaticFilesFetcher()
    url = media_url("ambiti/loghi/logo ambito.png")
    assert url == "https://portale.invalid/media/ambiti/loghi/logo%20ambito.png"
    response = fetcher.fetch(url)
    assert response.read() == _png(4, 2)
    assert response.headers["Content-Type"] == "image/png"
    assert fetcher.media_path(url) == (tmp_path / "ambiti" / "loghi" / "logo ambito.png").resolve()
    for refused in (
        media_url("ambiti/loghi/nota.txt"),  # not an image
        media_url("reports/piano.pdf"),  # a generated report
        "https://portale.invalid/media/ambiti/loghi/../../reports/piano.pdf",
        "https://portale.invalid/media/ambiti/loghi/%2e%2e/%2e%2e/%2e%2e/fuori.png",
        media_url("ambiti/loghi/link.png"),  # a link leading outside the folder
        "https://example.org/media/ambiti/loghi/logo%20ambito.png",
        "file:///etc/passwd",
    ):
        assert fetcher.media_path(refused) is None, refused
        with pytest.raises(ValueError, match="Risorsa non consentita nel PDF"):
            fetcher.fetch(refused)
