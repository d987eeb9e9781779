"""The demo plans match the seeds: Magentino 2025-2027 (seed 001) and Oglio Po 2021-2023 (seed 003)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from planning.models import (
    Azione,
    CampoModello,
    Intervento,
    LineaPNRR,
    MacroArea,
    ModelloIntervento,
    Obiettivo,
    PianoDiZona,
    ValoreCampo,
)

pytestmark = pytest.mark.django_db

TITOLI_MAGENTINO = [
    "Sostegno alla genitorialità e conciliazione dei tempi di vita e di lavoro delle famiglie",
    "Promozione del protagonismo giovanile",
    "Prevenzione primaria e secondaria del disagio nei minori e negli adolescenti",
    "Potenziamento interventi finalizzati al raggiungimento dei LEPS con particolare riguardo alla valutazione "
    "multidimensionale ed al PUA",
    "Promozione sostegno alle famiglie e ai caregiver",
    "Promozione autodeterminazione della persona con disabilità nel proprio percorso di vita",
    "Diffusione di una cultura dell'inclusione",
    "Interventi a sostegno della domiciliarità",
    "Promozione della continuità assistenziale in altri contesti",
    "Consolidamento e «messa a sistema» degli interventi e servizi esistenti a contrasto della povertà "
    "(es. casa, lavoro e inclusione attiva)",
    "Misure a sostegno del mantenimento dell'alloggio",
    "Consolidamento interventi a bassa soglia",
    "Facilitazione accesso a soluzioni abitative nel mercato pubblico e privato",
    "Sviluppo e potenziamento luoghi e punti informativi",
    "Sensibilizzazione del territorio in merito ai servizi esistenti",
    "Formazione trasversale rivolta agli operatori e alla cittadinanza",
    "Definizione criteri omogenei per l'accesso ai servizi (a titolo esemplificativo e non esaustivo: "
    "compartecipazione della spesa da parte delle famiglie)",
    "Potenziamento équipe stabili multidisciplinari integrate con ASST",
]

# Card "Interventi a sostegno della domiciliarità" (seed 001, lines 1371-1396): label → value, in seed order.
DOMICILIARITA = [
    ("TITOLO INTERVENTO", ["Interventi a sostegno della domiciliarità"]),
    ("QUALI OBIETTIVI VUOLE RAGGIUNGERE", ["Promozione di sostegni e alternative alla domiciliarità"]),
    (
        "AZIONI PROGRAMMATE",
        [
            "Linea 1.1.3. «Dimissioni protette»",
            "Incremento SAD",
            "Sportello assistenti familiari (LR 15/2015 - vedi area “Governance e rete”)",
        ],
    ),
    ("TARGET", ["Persone con disabilità/non autosufficienza e loro famiglie"]),
    ("RISORSE ECONOMICHE PREVENTIVATE", ["FNPS, Linea 1.1.3 PNRR"]),
    (
        "RISORSE DI PERSONALE DEDICATE",
        [
            "Servizio Sociale d’Ambito - Servizi sociali territoriali – Terzo settore – Enti gestori dei servizi domiciliari"  # noqa: E501
        ],
    ),
    (
        "L'OBIETTIVO È TRASVERSALE ED INTEGRATO CON ALTRE AREE DI POLICY?",
        ["Sì, tra “Domiciliarità”, “Anziani e persone con disabilità”"],
    ),
    (
        "INDICARE I PUNTI CHIAVE DELL'INTERVENTO",
        [
            "Flessibilità",
            "Tempestività della risposta",
            "Allargamento del servizio a nuovi soggetti",
            "Ampliamento dei supporti forniti all’utenza",
            "Aumento delle ore di copertura del servizio",
            "Allargamento della rete e coprogrammazione",
            "Nuova utenza rispetto al passato",
            "Integrazione con gli interventi domiciliari a carattere sociosanitario",
            "Rafforzamento degli strumenti di long term care",
            "Autonomia e domiciliarità",
            "Personalizzazione dei servizi",
            "Accesso ai servizi",
            "Ruolo delle famiglie e del caregiver",
            "Sviluppo azioni LR 15/2015",
            "Rafforzamento delle reti sociali",
            "Contrasto all’isolamento",
        ],
    ),
    (
        "PREVEDE IL COINVOLGIMENTO DI ASST NELL'ANALISI DEL BISOGNO E NELLA PROGRAMMAZIONE?",
        ["Sì, è prevista l’applicazione del “Protocollo operativo per la valutazione multidimensionale”"],
    ),
    (
        "PREVEDE IL COINVOLGIMENTO DI ASST NELLA REALIZZAZIONE DELL'INTERVENTO E AZIONI CONGIUNTE AMBITO-ASST?",
        [
            "Sì, è prevista l’applicazione del “Protocollo operativo per la valutazione multidimensionale” nonché "
            "l’attuazione del progetto congiunto con ASST “Servizi sociali per le dimissioni protette”"
        ],
    ),
    (
        "L'INTERVENTO È REALIZZATO IN COOPERAZIONE CON ALTRI AMBITI?",
        ["Sì, nella definizione di una risposta omogenea nell’attuazione dei LEPS"],
    ),
    ("È IN CONTINUITÀ CON LA PROGRAMMAZIONE PRECEDENTE (2021-2023)?", ["Sì"]),
    (
        "L'OBIETTIVO PREVEDE LA DEFINIZIONE DI UN NUOVO SERVIZIO?",
        ["Sì, servizio sostanzialmente rivisto ed aggiornato nella declinazione delle azioni"],
    ),
    (
        "L'OBIETTIVO È IN CONTINUITÀ E/O RAPPRESENTA IL POTENZIAMENTO DI UN PROGETTO PREMIALE DELLA PROGRAMMAZIONE 2021-2023?",  # noqa: E501
        ["Sì"],
    ),
    ("L'INTERVENTO È FORMALMENTE CO-PROGRAMMATO CON IL TERZO SETTORE?", ["No"]),
    ("L'INTERVENTO È FORMALMENTE CO-PROGETTATO CON IL TERZO SETTORE?", ["No"]),
    ("L'INTERVENTO PREVEDE IL COINVOLGIMENTO DI ALTRI ATTORI DELLA RETE TERRITORIALE? (oltre ad ASST e ETS)", ["No"]),
    (
        "QUESTO INTERVENTO A QUALE/I BISOGNO/I RISPONDE?",
        [
            "Interventi sociosanitari integrati e continuità assistenziale",
            "Interventi di sollievo e supporto alle famiglie",
        ],
    ),
    (
        "IL BISOGNO RILEVATO ERA GIÀ STATO AFFRONTATO NELLA PRECEDENTE PROGRAMMAZIONE O PUÒ ESSERE DEFINITO COME UN NUOVO "  # noqa: E501
        "BISOGNO EMERSO NELLA PRECEDENTE TRIENNALITÀ?",
        ["Bisogno consolidato"],
    ),
    (
        "L'OBIETTIVO È DI TIPO PROMOZIONALE/PREVENTIVO O RIPARATIVO?",
        ["L'obiettivo ha caratteristiche/finalità di tipo promozionale/preventivo/riparativo"],
    ),
    (
        "L'OBIETTIVO PRESENTA MODELLI INNOVATIVI DI PRESA IN CARICO, DI RISPOSTA AL BISOGNO E COOPERAZIONE CON ALTRI ATTORI DELLA RETE",  # noqa: E501
        ["Sì, nella misura di una lettura integrata dei bisogni ed una risposta più strutturata a livello di Ambito"],
    ),
    (
        "L'OBIETTIVO PRESENTA DEGLI ASPETTI INERENTI ALLA DIGITALIZZAZIONE? (organizzativi, gestionali, erogativi, ecc.)",  # noqa: E501
        ["No"],
    ),
    (
        "QUALI MODALITÀ ORGANIZZATIVE, OPERATIVE E DI EROGAZIONE SONO ADOTTATE?",
        [
            "Progetti elaborati e condivisi per il tramite della valutazione multidimensionale",
            "Promuovere la conoscenza dei servizi con la finalità di facilitare accesso e fruizione da parte delle famiglie",  # noqa: E501
        ],
    ),
    ("QUALI RISULTATI VUOLE RAGGIUNGERE?", ["Numero di famiglie ed utenti raggiunti"]),
    (
        "QUALE IMPATTO DOVREBBE AVERE L'INTERVENTO?",
        [
            "Numero di valutazioni multidimensionali effettuate congiuntamente tra ASST e servizi territoriali",
            "Maggiore coordinamento tra i servizi sociosanitari e servizi territoriali che facilitino la fruizione dei "
            "servizi da parte delle famiglie",
        ],
    ),
]


def text_of(html: str) -> str:
    html = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&#x27;", "'"), ("&quot;", '"'), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")):
        html = html.replace(entity, char)
    return re.sub(r"\s+", " ", html).strip()


def test_magentino_plan_has_four_areas_and_eighteen_interventions_with_seed_titles(piano):
    assert list(piano.aree.values_list("codice", "titolo")) == [
        ("A", "Famiglia, minori e politiche giovanili"),
        ("B", "Interventi a favore delle persone con disabilità, delle persone over 65enni e della domiciliarità"),
        (
            "C",
            "Contrasto alla povertà, emarginazione sociale e promozione dell'inclusione attiva e delle politiche per il lavoro",  # noqa: E501
        ),
        ("D", "Governance e rete"),
    ]
    assert list(piano.interventi.order_by("ordine").values_list("titolo", flat=True)) == TITOLI_MAGENTINO


def test_magentino_objectives_per_area(piano):
    per_area = {}
    for o in piano.obiettivi.select_related("area"):
        per_area.setdefault(o.area.codice, []).append(o.titolo)
    assert {k: len(v) for k, v in per_area.items()} == {"A": 2, "B": 2, "C": 2, "D": 3}
    assert "Promozione di una conoscenza diffusa" in per_area["D"]
    assert piano.interventi.filter(obiettivo__titolo="Promozione di una conoscenza diffusa").count() == 2


def test_every_magentino_card_has_all_25_fields(piano, lombardia):
    assert lombardia.campi.count() == 25
    template_answers = lombardia.campi.exclude(tipo="base").count()
    for intervento in piano.interventi.all():
        assert intervento.modello_id == lombardia.pk
        assert intervento.valori.count() == template_answers, intervento.titolo
        assert intervento.azioni.exists(), intervento.titolo
        assert intervento.target, intervento.titolo
        assert intervento.personale, intervento.titolo


def test_magentino_actions_are_the_cards_planned_actions(piano):
    sostegno = piano.interventi.get(titolo=TITOLI_MAGENTINO[0])
    assert list(sostegno.azioni.values_list("titolo", flat=True)) == [
        "Servizio affidi",
        "Laboratori genitori figli per fasce d'età",
        "Punti di ascolto gratuiti e/o con tariffe etiche/agevolate",
        "Attivazione gruppi di auto mutuo aiuto",
        "Laboratori pomeridiani di supporto allo studio",
        "Campus nei periodi di chiusura delle scuole",
        "Spazio Neutro",
        "Attività intergenerazionali",
    ]
    assert Azione.objects.filter(intervento__piano=piano).count() == 58  # 8+4+4+2+5+3+2+3+2+4+1+2+4+5+4+2+1+2


def test_domiciliarita_card_page_shows_the_25_fields_in_seed_order_with_values(client_for, udp_user, domiciliarita):
    html = client_for(udp_user).get(domiciliarita.get_absolute_url()).content.decode()
    card = html[html.index('data-testid="scheda"') : html.index("</table>", html.index('data-testid="scheda"'))]
    rows = re.findall(r"<tr data-testid=\"campo-[^\"]+\">(.*?)</tr>", card, re.S)
    assert len(rows) == 25
    for row, (label, values) in zip(rows, DOMICILIARITA, strict=True):
        th, td = re.search(r"<th[^>]*>(.*?)</th>\s*<td>(.*?)</td>", row, re.S).groups()
        assert text_of(th) == label
        cell = text_of(td)
        position = 0
        for value in values:
            found = cell.find(value, position)
            assert found >= 0, f"{label}: «{value}» non trovato in «{cell}»"
            position = found + len(value)


def test_domiciliarita_typed_answers(domiciliarita):
    valori = {v.campo.chiave: v for v in domiciliarita.valori.select_related("campo")}
    assert valori["coprogrammato"].si_no is False
    assert valori["coprogettato"].si_no is False
    assert valori["asst_analisi"].si_no is True
    assert valori["tipo_bisogno"].scelte == ["consolidato"]
    assert valori["finalita"].scelte == ["promozionale", "preventivo", "riparativo"]
    assert set(valori["trasversale"].macro_aree.values_list("codice", flat=True)) == {
        "DOMICILIARITA",
        "ANZIANI",
        "DISABILITA",
    }
    assert valori["punti_chiave"].voci_punti_chiave.count() == 16
    assert set(domiciliarita.fondi.values_list("codice", flat=True)) == {"FNPS", "PNRR-1.1.3"}
    assert list(domiciliarita.leps.values_list("codice", flat=True)) == ["DP"]


def test_pnrr_lines_amounts_and_flagged_printed_total(piano, client_for, udp_user):
    linee = {linea.codice: linea for linea in LineaPNRR.objects.filter(piano=piano).prefetch_related("voci")}
    assert list(linee) == ["1.1.1", "1.1.3", "1.1.4", "1.2", "1.3.1"]
    totali = {c: sum(v.totale for v in linea.voci.all()) for c, linea in linee.items()}
    assert totali == {
        "1.1.1": Decimal("211500.00"),
        "1.1.3": Decimal("330000.00"),
        "1.1.4": Decimal("74985.60"),
        "1.2": Decimal("714998.15"),
        "1.3.1": Decimal("710000.00"),
    }
    voce_114 = linee["1.1.4"].voci.get()
    assert voce_114.totale_stampato == Decimal("74985.20")  # source error, kept and flagged
    assert voce_114.totale_difforme
    page = client_for(udp_user).get(reverse("planning:piano_pnrr", args=[piano.slug])).content.decode()
    assert page.count('data-testid="totale-difforme"') == 1
    assert "2.041.483,75" in page  # 211.500 + 330.000 + 74.985,60 + 714.998,15 + 710.000


def test_gestione_associata_governance_and_projects(piano):
    servizi = list(piano.servizi_associati.select_related("area"))
    assert len(servizi) == 15
    assert [s.area.codice for s in servizi].count("D") == 2
    stmf = servizi[0]
    assert stmf.nome == "Servizio Tutela Minori e Famiglia (STMF)"
    assert stmf.tempistica == "Scadenza al 31.12.2026"
    governance = list(piano.governance.values_list("nome", "livello"))
    assert ("Assemblea dei Sindaci", "politico") in governance
    assert ("Ufficio di Piano", "tecnico") in governance
    assert ("Tavolo di consultazione del Terzo Settore del Piano di Zona", "consultivo") in governance
    assert len(governance) == 12
    progetti = piano.progetti.select_related("area")
    assert progetti.count() == 20
    pippi = progetti.get(titolo='Programma "P.I.P.P.I."')
    assert pippi.area.codice == "A"
    assert pippi.capofila == "Ambito del Magentino"
    assert pippi.stato_realizzazione.startswith("Avviato a dicembre 2022")


def test_chapters_follow_the_sommario_and_introduction_is_the_seed_text(piano):
    titoli = list(piano.capitoli.values_list("titolo", flat=True))
    assert titoli[0] == "Introduzione"
    assert titoli[-1] == "Monitoraggio e valutazione"
    assert len(titoli) == 9
    assert piano.capitoli.get(titolo="Introduzione").corpo.startswith(
        "La DGR XII/2167 “Approvazione delle linee di indirizzo"
    )


def test_card_templates_are_data(db):
    assert list(ModelloIntervento.objects.values_list("codice", flat=True)) == [
        "LOMB-2025-2027",
        "OP-N1",
        "OP-N2",
        "OP-N3",
    ]
    n3 = ModelloIntervento.objects.get(codice="OP-N3")
    assert n3.livelli_obiettivo == 2
    assert list(n3.campi.values_list("chiave", flat=True)[:3]) == ["obiettivo_strategico", "obiettivo", "punti_chiave"]
    lomb = ModelloIntervento.objects.get(codice="LOMB-2025-2027")
    assert (
        lomb.campi.get(chiave="continuita").etichetta == "È IN CONTINUITÀ CON LA PROGRAMMAZIONE PRECEDENTE (2021-2023)?"
    )
    assert lomb.campi.get(chiave="tipo_bisogno").tipo == "scelta"
    assert CampoModello.objects.get(modello=lomb, chiave="finalita").opzioni_dict == {
        "promozionale": "Promozionale", "preventivo": "Preventivo", "riparativo": "Riparativo"
    }  # fmt: skip


def test_ten_lombardy_macro_areas_with_punti_chiave(db):
    macro = MacroArea.objects.prefetch_related("punti_chiave").order_by("ordine")
    assert macro.count() == 10
    assert macro[0].nome == "Contrasto alla povertà e all'emarginazione sociale"
    domiciliarita = macro.get(codice="DOMICILIARITA")
    assert domiciliarita.punti_chiave.count() == 8


def test_oglio_po_ambito_objectives_casalasco_cards_and_viadanese_budgets(piano_oglio, oglio_po):
    ambito_level = piano_oglio.obiettivi.filter(sub_ambito__isnull=True, parent__isnull=True)
    assert ambito_level.count() == 4
    assert ambito_level.first().titolo.startswith("La vita indipendente")
    casalasco = Intervento.objects.filter(piano=piano_oglio, obiettivo__sub_ambito__slug="casalasco")
    assert casalasco.count() == 6
    assert set(casalasco.values_list("modello__codice", flat=True)) == {"OP-N2"}
    assert casalasco.filter(titolo="NESSUNO ESCLUSO").exists()
    strategici = Obiettivo.objects.filter(piano=piano_oglio, sub_ambito__slug="viadanese", livello="strategico")
    assert list(strategici.values_list("codice", flat=True)) == ["1", "2", "3", "4"]
    specifici = Obiettivo.objects.filter(piano=piano_oglio, livello="specifico").order_by("ordine")
    assert [o.codice for o in specifici] == [
        "1.a",
        "1.b",
        "1.c",
        "1.d",
        "1.e",
        "1.f",
        "2.a",
        "2.b",
        "2.c",
        "3.a",
        "4.a",
    ]
    assert all(o.parent.codice == o.codice[0] for o in specifici)  # 1.d and 1.e belong to strategic objective 1
    budget = dict(
        ValoreCampo.objects.filter(
            intervento__piano=piano_oglio, campo__chiave="budget", intervento__modello__codice="OP-N3"
        ).values_list("intervento__obiettivo__codice", "importo")
    )
    assert budget["1.a"] == Decimal("10000.00")
    assert budget["1.c"] == Decimal("150000.00")
    assert budget["1.b"] == Decimal("8000.00")
    assert budget["1.f"] is None
    assert budget["2.a"] == budget["2.b"] == Decimal("30000.00")
    assert budget["4.a"] == Decimal("20000.00")


def test_viadanese_card_groups_punti_chiave_by_macro_area(client_for, udp_oglio, piano_oglio):
    card = Intervento.objects.get(piano=piano_oglio, codice="1.a")
    page = text_of(client_for(udp_oglio).get(card.get_absolute_url()).content.decode())
    assert "OBIETTIVO STRATEGICO 1 Gestire i crescenti livelli di incertezza" in page
    assert "Obiettivo specifico 1.a Coordinare gli interventi di Assistenza Educativa Scolastica" in page
    assert "Interventi a favore di persone con disabilità Ruolo delle famiglie e del caregiver" in page
    assert "€ 10.000,00" in page


def test_load_demo_twice_neither_fails_nor_duplicates(piano):
    before = (
        PianoDiZona.objects.count(),
        Intervento.objects.count(),
        ValoreCampo.objects.count(),
        Azione.objects.count(),
    )
    call_command("load_demo", "--no-users", verbosity=0)
    after = (
        PianoDiZona.objects.count(),
        Intervento.objects.count(),
        ValoreCampo.objects.count(),
        Azione.objects.count(),
    )
    assert before == after


def test_demo_texts_have_no_private_use_characters():
    """Bullets of the source documents' symbol fonts come out of text extraction as private-use characters (U+F0FF
    and the like), which no font of the PDF has: the demo texts carry a real bullet («•») instead."""
    private = re.compile("[\ue000-\uf8ff]")
    fixtures = Path(settings.BASE_DIR) / "fixtures"
    found = [
        f"{path.relative_to(fixtures)}: {line.strip()[:80]}"
        for path in sorted(fixtures.rglob("*.json"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if private.search(line)
    ]
    assert len(list(fixtures.rglob("*.json"))) > 5
    assert found == []
