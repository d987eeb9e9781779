"""PDF of a scheda (WeasyPrint): bytes, metadata, header, acceptance values as printed, sentences, page numbers."""

from __future__ import annotations

import pytest

from core.pdf import BASE_URL, StaticFilesFetcher, render_pdf
from monitoring.models import Scheda
from monitoring.pdf import scheda_pdf
from monitoring.services import scheda_save
from tests.documents import assert_tagged_pdf, pdf_text

# With the db mark these tests run among the database tests, before the transactional ones (which flush).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdfs(django_db_setup, django_db_blocker) -> dict[str, bytes]:
    """Reggio nell'Emilia's NID26 and SOC26 PDFs, rendered once for the module."""
    with django_db_blocker.unblock():
        schede = Scheda.objects.select_related("modello", "comune").filter(comune_id="035033")
        return {s.modello.codice: scheda_pdf(s) for s in schede}


def test_pdf_bytes_and_metadata(pdfs):
    reader = assert_tagged_pdf(
        pdfs["NID26"],
        title="NID26 - ASILI NIDO - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2025",
        author="Comune di Reggio nell'Emilia",
    )
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()


@pytest.mark.parametrize("code", ["NID26", "SOC26"])
def test_header_like_the_seed(pdfs, code):
    text = pdf_text(pdfs[code])
    service = "ASILI NIDO" if code == "NID26" else "SOCIALE"
    assert f"{code} - {service} - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2025" in text
    assert "Denominazione REGGIO NELL'EMILIA" in text
    assert "Codice identificativo (codice ISTAT del Comune) 035033" in text
    assert "Data ultima modifica" in text
    assert "Pagina 1 di" in text


# What the seed prints: values of the NID26 and SOC26 schede, and the sentences chosen by their conditions.
NID_VALUES = [
    "R10 - TOTALE Utenti pubblici",
    "FC50U-2018 1345 1800 0 0 0",
    "4015 3475",  # R20 2018, 2025
    "33,50 51,80",  # R21
    "44,63 52,46",  # R22
    "536,00",  # R29V
    "4935260,53",  # R04, no thousands separator
    "13536848,94",  # R23
    "R36 ALBINEA(RE) 2 NO",
    "R60 - TOTALE 8",
    "Quadro 1",
    "Quadro 4",
    "R61 - Relazione in formato libero (massimo 6.000 caratteri) Si intende precisare",
]

SOC_VALUES = [
    "M12 - Utenti famiglia e minori 6543 15425 119129 7,72",
    "M47 - Utenti disabili 227 212 491796 2319,79",
    "ROB - TOTALE UTENTI 33487 36792",
    "2651",
    "21,36",
    "20666224,37",
    "65,00 65,00",
    "Le politiche del welfare rappresentano un tratto identitario",
]

NID_SENTENCES = [
    "Terminata la compilazione del Quadro 1, l'ente locale deve quindi procedere alla verifica del Quadro 2 "
    "degli obiettivi di servizio 2025-2027.",
    "Nel 2025 al Comune NON sono stati assegnati utenti aggiuntivi in quanto il livello del servizio è già "
    "pari o superiore all'obiettivo di servizio 2025.",
    "L'ente locale deve, invece, procedere alla compilazione del Quadro 4 di relazione in formato strutturato.",
    "Nel 2026 al Comune NON sono stati assegnati utenti aggiuntivi",
    "In proiezione al 2027 al Comune NON sono stati assegnati provvisoriamente utenti aggiuntivi",
    "L'Ente NON ha obiettivi di servizio assegnati per l'anno 2027.",
    "L'Ente prevede, per il 2027, un aumento del numero di utenti serviti rispetto all'anno base di riferimento.",
]

SOC_SENTENCES = [
    "Nel 2025 per il Comune il numero di assistenti sociali in rapporto alla popolazione è risultato pari a 1 "
    "ogni 2651 abitanti.",
    "Nel 2025 il livello di servizio effettivo dell'ente locale è risultato non inferiore al livello di "
    "servizio di riferimento.",
    "L'ente non deve compilare il Quadro 3 degli obiettivi di servizio.",
]


@pytest.mark.parametrize(
    ("code", "printed"),
    [("NID26", text) for text in NID_VALUES + NID_SENTENCES] + [("SOC26", text) for text in SOC_VALUES + SOC_SENTENCES],
)
def test_values_and_conditional_sentences_as_the_seed_prints_them(pdfs, code, printed):
    assert printed in pdf_text(pdfs[code])


def test_quadro_that_does_not_apply_is_shown_with_its_note(pdfs):
    text = pdf_text(pdfs["SOC26"])
    assert "Quadro 3 Obiettivi di servizio 2025 Da compilare solo se il Comune" in text
    assert "Il quadro non si applica a questa scheda" in text


def test_empty_slots_of_the_list_are_not_printed(pdfs):
    text = pdf_text(pdfs["NID26"])
    assert "R36 ALBINEA(RE)" in text
    assert "R37" not in text


def test_fetcher_serves_static_files_and_refuses_everything_else():
    fetcher = StaticFilesFetcher()
    response = fetcher(BASE_URL + "static/css/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    for url in (
        "https://example.com/x.css",
        "file:///etc/passwd",
        BASE_URL + "static/../config/settings.py",
        BASE_URL + "admin/",
        "http://portale.invalid/static/css/pdf.css",
    ):
        with pytest.raises(ValueError, match="Risorsa non consentita"):
            fetcher(url)


def test_render_pdf_ignores_external_resources(settings):
    pdf = render_pdf("reports/pdf/base.html", {}, title="Prova", author="Test")
    assert pdf.startswith(b"%PDF")
    assert "Prova" in pdf_text(pdf)


def test_pdf_of_a_draft_with_a_pasted_text(udp_user):
    scheda = Scheda.objects.select_related("modello", "comune").get(modello__codice="NID26", comune_id="015130")
    text = "Testo incollato\x0bda un editor <b>non HTML</b>"
    scheda_save(scheda=scheda, user=udp_user, values={("R61", "TXT"): text}, expected_version=scheda.versione)
    content = pdf_text(scheda_pdf(scheda))
    assert "Denominazione MAGENTA" in content
    assert "<b>non HTML</b>" in content
    assert "R37" not in content
    assert "R60 - TOTALE" in content
