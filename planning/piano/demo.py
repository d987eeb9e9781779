"""Demo data of the Piano di Zona, from fixtures/piano/ (copies of the seed documents, see README there).

Catalogues and card templates are created or updated on every run; a demo plan is loaded only when the
Ambito has no plan for that period yet, so `load_demo` can run again without duplicating or overwriting edits.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from territory.models import Ambito

from .. import models
from .services import CAPITOLI_SOMMARIO

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "piano"
SI_NO_RE = re.compile(r"^(Sì|Si|SI|SÌ|No|NO)\b[,.;\s]*(.*)$", re.S)


def _read(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("/", "-").strip().lower())


def md(value) -> str:
    """A card value as Markdown: lists become «- » lines; an inline list after a colon becomes a list."""
    if isinstance(value, list):
        return "\n".join(f"- {item}" for item in value)
    text = str(value or "").strip()
    match = re.search(r":\s+- ", text)
    if match:
        head, tail = text[: match.start() + 1], text[match.end() :]
        items = re.split(r"\s+-\s+(?=[A-ZÀ-Ý«“\"])", tail)
        return head + "\n\n" + "\n".join(f"- {i.strip()}" for i in items)
    return text


def catalogues_load() -> None:
    data = _read("cataloghi.json")
    for i, item in enumerate(data["fondi"], start=1):
        models.Fondo.objects.update_or_create(
            codice=item["codice"], defaults={"nome": item["nome"], "tipo": item["tipo"], "ordine": i}
        )
    for i, item in enumerate(data["macro_aree"], start=1):
        macro, _ = models.MacroArea.objects.update_or_create(
            codice=item["codice"], defaults={"nome": item["nome"], "ordine": i, "fonte": "DGR XI/4563 del 19/04/2021"}
        )
        for j, testo in enumerate(item["punti_chiave"], start=1):
            models.PuntoChiave.objects.update_or_create(macro_area=macro, testo=testo, defaults={"ordine": j})
    for i, item in enumerate(data["leps"], start=1):
        models.Leps.objects.update_or_create(
            codice=item["codice"], defaults={"nome": item["nome"], "riferimento": item["riferimento"], "ordine": i}
        )


def templates_load() -> None:
    for spec in _read("modelli.json")["modelli"]:
        modello, _ = models.ModelloIntervento.objects.update_or_create(
            codice=spec["codice"],
            defaults={k: spec[k] for k in ("nome", "descrizione", "fonte", "livelli_obiettivo")},
        )
        # Move existing positions out of the way so that a reordered template never clashes on (modello, ordine).
        for campo in modello.campi.all():
            campo.ordine += 1000
            campo.save(update_fields=["ordine"])
        for i, field in enumerate(spec["campi"], start=1):
            models.CampoModello.objects.update_or_create(
                modello=modello,
                chiave=field["chiave"],
                defaults={
                    "ordine": i,
                    "etichetta": field["etichetta"],
                    "tipo": field["tipo"],
                    "attributo": field.get("attributo", ""),
                    "opzioni": field.get("opzioni", []),
                    "aiuto": field.get("aiuto", ""),
                    "raggruppa": field.get("raggruppa", False),
                },
            )
        modello.campi.filter(ordine__gt=1000).delete()


class _PuntiChiave:
    """Resolves printed punti chiave to the catalogue (preferring the card's macro-areas); unknown ones are added."""

    def __init__(self):
        self.by_text: dict[str, list[models.PuntoChiave]] = {}
        for p in models.PuntoChiave.objects.select_related("macro_area").order_by("macro_area__ordine", "ordine"):
            self.by_text.setdefault(_norm(p.testo), []).append(p)

    def __call__(self, testo: str, prefer: list[str], macro: str | None = None) -> models.PuntoChiave:
        found = self.by_text.get(_norm(testo), [])
        if macro:
            found = [p for p in found if p.macro_area_id and p.macro_area.codice == macro]
        for p in found:
            if p.macro_area_id and p.macro_area.codice in prefer:
                return p
        if found:
            return found[0]
        area = models.MacroArea.objects.get(codice=macro) if macro else None
        punto, _ = models.PuntoChiave.objects.get_or_create(macro_area=area, testo=testo, defaults={"ordine": 900})
        self.by_text.setdefault(_norm(testo), []).append(punto)
        return punto


def _si_no(valore: models.ValoreCampo, campo: models.CampoModello, raw) -> None:
    match = SI_NO_RE.match(str(raw).strip())
    if match:
        valore.si_no = match.group(1).lower().startswith("s")
        valore.testo = md(match.group(2))
    else:
        valore.testo = md(raw)


def _scelta(valore: models.ValoreCampo, campo: models.CampoModello, raw) -> None:
    text = str(raw).strip()
    for key, label in campo.opzioni:
        if text.lower().startswith(label.lower()):
            valore.scelte = [key]
            valore.testo = md(text[len(label) :].strip())
            return
    valore.testo = md(text)


def _scelta_multipla(valore: models.ValoreCampo, campo: models.CampoModello, raw) -> None:
    text = str(raw)
    valore.scelte = [key for key, label in campo.opzioni if key[:-1] in text.lower()]
    valore.testo = md(text)


def _importo(valore: models.ValoreCampo, campo: models.CampoModello, raw) -> None:
    spec = raw if isinstance(raw, dict) else {"importo": raw}
    valore.importo = Decimal(spec["importo"]) if spec.get("importo") not in (None, "") else None
    valore.testo = md(spec.get("nota", ""))


def _testo(valore: models.ValoreCampo, campo: models.CampoModello, raw) -> None:
    valore.testo = md(raw)


_FILL = {
    models.TipoCampo.TESTO: _testo,
    models.TipoCampo.SI_NO: _si_no,
    models.TipoCampo.SCELTA: _scelta,
    models.TipoCampo.SCELTA_MULTIPLA: _scelta_multipla,
    models.TipoCampo.MACRO_AREE: _testo,
    models.TipoCampo.IMPORTO: _importo,
}


def _punti_chiave_load(valore: models.ValoreCampo, raw, card: dict, punti: _PuntiChiave) -> None:
    prefer = card.get("macro_aree", [])
    rows, seen = [], set()
    for i, item in enumerate(raw if isinstance(raw, list) else [raw], start=1):
        macro, testo = (item[0], item[1]) if isinstance(item, list) else (None, item)
        punto = punti(testo, prefer, macro)
        if punto.pk in seen:
            continue
        seen.add(punto.pk)
        rows.append(
            models.ValorePuntoChiave(valore=valore, punto=punto, ordine=i, testo=testo if testo != punto.testo else "")
        )
    models.ValorePuntoChiave.objects.bulk_create(rows)


def _valore(intervento, campo: models.CampoModello, raw, card: dict, punti: _PuntiChiave) -> None:
    valore = models.ValoreCampo(intervento=intervento, campo=campo)
    fill = _FILL.get(campo.tipo)
    if fill:
        fill(valore, campo, raw)
    valore.save()
    if campo.tipo == models.TipoCampo.MACRO_AREE and card.get("macro_aree"):
        valore.macro_aree.set(models.MacroArea.objects.filter(codice__in=card["macro_aree"]))
    if campo.tipo == models.TipoCampo.PUNTI_CHIAVE:
        _punti_chiave_load(valore, raw, card, punti)


def card_load(
    *, piano, obiettivo, modello, card: dict, ordine: int, attori: dict, punti: _PuntiChiave
) -> models.Intervento:
    campi = card["campi"]
    intervento = models.Intervento.objects.create(
        piano=piano,
        obiettivo=obiettivo,
        modello=modello,
        codice=card.get("codice", ""),
        titolo=card.get("titolo") or campi.get("titolo") or obiettivo.titolo[:400],
        descrizione=md(campi.get("descrizione", "")),
        target=md(campi.get("target", "")),
        risorse_descrizione=md(campi.get("risorse", "")),
        personale=md(campi.get("personale", "")),
        ordine=ordine,
    )
    intervento.fondi.set(models.Fondo.objects.filter(codice__in=card.get("fondi", [])))
    intervento.leps.set(models.Leps.objects.filter(codice__in=card.get("leps", [])))
    intervento.partner.set([attori[n] for n in card.get("partner", [])])
    azioni = campi.get("azioni") or []
    models.Azione.objects.bulk_create(
        models.Azione(intervento=intervento, ordine=i, titolo=t)
        for i, t in enumerate(azioni if isinstance(azioni, list) else [azioni], start=1)
    )
    for campo in modello.campi.all():
        if campo.tipo != models.TipoCampo.BASE and campo.chiave in campi:
            _valore(intervento, campo, campi[campo.chiave], card, punti)
    return intervento


# The note of the demo plans loaded by earlier versions, replaced on the next load_demo.
OLD_NOTE = "Dati dimostrativi tratti dal documento del Piano di Zona; fonti e correzioni in fixtures/piano/README.md."


def plan_load(name: str) -> models.PianoDiZona | None:
    """Load one demo plan (fixtures/piano/<name>) unless its Ambito already has a plan for that period."""
    doc = _read(name)
    spec = doc["piano"]
    ambito = Ambito.objects.get(slug=spec["ambito"])
    note = gettext("Dati dimostrativi tratti dal documento «%(titolo)s».") % {"titolo": spec["titolo"]}
    existing = models.PianoDiZona.objects.filter(ambito=ambito, anno_inizio=spec["anno_inizio"])
    if existing.exists():
        existing.filter(note=OLD_NOTE).update(note=note)  # the wording of earlier versions named a file
        return None
    piano = models.PianoDiZona.objects.create(
        ambito=ambito,
        slug=f"{ambito.slug}-{spec['anno_inizio']}-{spec['anno_fine']}",
        titolo=spec["titolo"],
        anno_inizio=spec["anno_inizio"],
        anno_fine=spec["anno_fine"],
        stato=spec.get("stato", "bozza"),
        accordo_programma=spec.get("accordo_programma", ""),
        note=note,
    )
    capitoli = doc.get("capitoli") or [{"tipo": k, "titolo": t, "corpo": ""} for k, t in CAPITOLI_SOMMARIO]
    models.Capitolo.objects.bulk_create(
        models.Capitolo(piano=piano, ordine=i, tipo=c["tipo"], titolo=c["titolo"], corpo=c["corpo"])
        for i, c in enumerate(capitoli, start=1)
    )
    aree = {
        a["codice"]: models.Area.objects.create(
            piano=piano, codice=a["codice"], titolo=a["titolo"], descrizione=a.get("descrizione", ""), ordine=i
        )
        for i, a in enumerate(doc.get("aree", []), start=1)
    }
    sub_ambiti = {a.slug: a for a in ambito.sub_ambiti.all()}
    obiettivi: dict = {}
    for i, o in enumerate(doc.get("obiettivi", []), start=1):
        obiettivi[o.get("id", i)] = models.Obiettivo.objects.create(
            piano=piano,
            area=aree.get(o.get("area")),
            parent=obiettivi.get(o.get("parent")),
            sub_ambito=sub_ambiti.get(o.get("sub_ambito")),
            livello=o.get("livello", "generale"),
            codice=o.get("codice", ""),
            titolo=o["titolo"],
            descrizione=o.get("descrizione", ""),
            ordine=i,
        )
    attori = {}
    for a in doc.get("attori", []):
        attori[a["nome"]], _ = models.AttoreRete.objects.get_or_create(
            ambito=ambito, nome=a["nome"], defaults={"tipo": a["tipo"]}
        )
    modelli = {m.codice: m for m in models.ModelloIntervento.objects.prefetch_related("campi")}
    punti = _PuntiChiave()
    for i, card in enumerate(doc.get("interventi", []), start=1):
        card_load(
            piano=piano,
            obiettivo=obiettivi[card["obiettivo"]],
            modello=modelli[card.get("modello", "LOMB-2025-2027")],
            card=card,
            ordine=i,
            attori=attori,
            punti=punti,
        )
    for i, linea in enumerate(doc.get("pnrr", []), start=1):
        obj = models.LineaPNRR.objects.create(
            piano=piano,
            fondo=models.Fondo.objects.filter(codice=linea.get("fondo")).first(),
            ordine=i,
            codice=linea["codice"],
            titolo=linea["titolo"],
            intervento=linea.get("intervento", ""),
            totale_stampato=Decimal(linea["totale_stampato"]) if linea.get("totale_stampato") else None,
        )
        for j, voce in enumerate(linea["voci"], start=1):
            models.VocePNRR.objects.create(
                linea=obj,
                ordine=j,
                nome=voce.get("nome", ""),
                investimento=Decimal(voce["investimento"]),
                gestione_annua=Decimal(voce["gestione_annua"]),
                anni_gestione=voce["anni"],
                totale_stampato=Decimal(voce["totale_stampato"]) if voce.get("totale_stampato") else None,
            )
    for i, s in enumerate(doc.get("gestione_associata", []), start=1):
        models.ServizioAssociato.objects.create(
            piano=piano,
            area=aree.get(s.get("area")),
            ordine=i,
            **{k: s.get(k, "") for k in ("nome", "attivita_target", "canali_finanziamento", "strumenti", "tempistica")},
        )
    for i, p in enumerate(doc.get("progetti", []), start=1):
        models.Progetto.objects.create(
            piano=piano,
            area=aree.get(p.get("area")),
            ordine=i,
            **{
                k: p.get(k, "")
                for k in (
                    "titolo",
                    "fonte_finanziamento",
                    "stato_realizzazione",
                    "aree_lavoro",
                    "capofila",
                    "partenariato",
                )
            },
        )
    for i, g in enumerate(doc.get("governance", []), start=1):
        models.OrganismoGovernance.objects.create(
            piano=piano, ordine=i, **{k: g.get(k, "") for k in ("nome", "livello", "composizione", "funzioni")}
        )
    return piano


@transaction.atomic
def demo_piano_load() -> dict[str, int]:
    """Catalogues, card templates and the demo plans (Magentino 2025-2027, Oglio Po 2021-2023)."""
    catalogues_load()
    templates_load()
    loaded = 0
    for name in ("magentino_2025_2027.json", "oglio_po_2021_2023.json"):
        if (FIXTURES / name).exists() and plan_load(name) is not None:
            loaded += 1
    return {
        "piani_caricati": loaded,
        "piani": models.PianoDiZona.objects.count(),
        "interventi": models.Intervento.objects.count(),
    }
