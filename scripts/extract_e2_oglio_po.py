"""One-off extractor of the E2 sub-ambito evaluation cards of the Oglio Po plan (seed 003, chapter 1.2) into
fixtures/valutazione/oglio_po_e2_2019_2020.json. Run: python scripts/extract_e2_oglio_po.py SEED_FILE.

The text comes from a PDF with two-column cards: each card's cells are found by the printed questions of the
template (case-insensitive), the lines are joined, page numbers dropped. The output was read against the seed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "valutazione" / "oglio_po_e2_2019_2020.json"
ARROW = "\uf0f0"


def clean(text: str) -> str:
    text = text.replace(ARROW, " → ")
    text = re.sub(r"\s+", " ", text).strip()
    return text


def grab(pattern: str, text: str) -> str:
    m = re.search(pattern.replace(" ", r"\s+"), text, re.I | re.S)
    return clean(m.group(1)) if m else ""


def answer(text: str) -> str:
    t = text.lower().lstrip("( ")
    if t.startswith(("parzial", "in parte")) or "in modo parziale" in t[:60]:
        return "parzialmente"
    if re.match(r"s[iì]\b", t) and "parzial" in t[:20]:
        return "parzialmente"
    if "parzialmente" in t[:45]:
        return "parzialmente"
    if re.match(r"s[iì]\b", t):
        return "si"
    if re.match(r"no\b", t):
        return "no"
    return ""


def percent(text: str):
    m = re.search(r"(\d+(?:,\d+)?)\s*%", text)
    return float(m.group(1).replace(",", ".")) if m else None


def stato(nota: str) -> str:
    n = nota.lower()
    for key, value in (
        ("parzialmente", "parzialmente_realizzata"),
        ("realizzata parzial", "parzialmente_realizzata"),
        ("in parte", "parzialmente_realizzata"),
        ("non realizzat", "non_realizzata"),
        ("non è stata realizzat", "non_realizzata"),
        ("interrott", "interrotta"),
        ("sospes", "sospesa"),
        ("in corso", "in_corso"),
        ("in fase di programmazione", "non_realizzata"),
        ("in fase di", "in_corso"),
        ("realizzat", "realizzata"),
    ):
        if key in n:
            return value
    return ""


def lines_of(path: str) -> list[str]:
    raw = Path(path).read_text(encoding="utf-8").splitlines()
    return [("" if re.fullmatch(r"\s*\d{1,3}\s*", line) else line) for line in raw]


def casalasco(lines: list[str], start: int, end: int) -> list[dict]:
    idx = [i for i in range(start, end) if lines[i].strip().startswith("OBIETTIVI (parole chiave")]
    cards, area = [], ""
    heads = []
    for i in idx:
        j = i - 1
        while not lines[j].strip():
            j -= 1
        title_line = j
        k = j - 1
        while not lines[k].strip():
            k -= 1
        if lines[k].strip().startswith("Area "):
            heads.append((k, title_line, lines[k].strip()))
        else:
            heads.append((title_line, title_line, None))
    for n, (_first, title_line, new_area) in enumerate(heads):
        area = new_area or area
        last = heads[n + 1][0] if n + 1 < len(heads) else end
        body = "\n".join(lines[title_line + 1 : last])
        text = clean(body)
        azioni_text = grab(r"\n\s*AZIONI\s(.*?)Dimensione Output", body)
        azioni = []
        for bullet in [b.strip(" ;.") for b in azioni_text.split("•") if b.strip(" ;.")]:
            sep = "→" if "→" in bullet else " Azione "
            titolo, _, nota = bullet.partition(sep)
            nota = ("Azione " + nota) if sep == " Azione " else nota
            azioni.append({"titolo": titolo.strip(), "stato": stato(nota), "nota": nota.strip()})
        d4 = grab(r"Livello Di Coincidenza(.*?)Criticità Rilevate", body)
        for template in (
            "Tra Risorse",
            "Impegnate/Liquidate 0% – 100%",
            "Risorse Impegnate/Liquidate",
            "Impegnate e liquidate 100%",
            "Impegnate/Liquidate",
        ):
            d4 = d4.replace(template, " ")
        d6 = grab(r"Si/No \(Motivare La Risposta\)(.*?)L.obiettivo Era In Continuit", body)
        d7 = grab(r"\(2015/2017\)\s*Si/No(.*?)L.obiettivo Verr", body)
        d8 = grab(r"Si/No \(Motivarne La Scelta\)(.*)$", body)
        d1 = grab(r"Dimensione Output\s*0%\s*–\s*100%(.*?)Valutazione Da Parte", body)
        cards.append(
            {
                "modello": "e2",
                "sub_ambito": "casalasco",
                "area": AREE_CASALASCO[n],
                "obiettivo": clean(lines[title_line]),
                "descrizione": grab(r"OBIETTIVI \(parole chiave della programmazione\)(.*?)\n\s*AZIONI\s", body),
                "d1_esito": d1,
                "d1_percentuale_stampata": percent(d1),
                "d2_utenti": grab(r"Analisi Clima\s+Aziendale(.*?)Livello Di Coincidenza", body),
                "d4_esito": clean(d4),
                "d5_criticita": grab(r"Criticità Rilevate\s+Piano Di\s+Miglioramento(.*?)Questo Obiettivo Ha", body),
                "d6_risposta": answer(d6),
                "d6_note": d6,
                "d7_risposta": answer(d7),
                "d7_note": d7 if len(d7) > 3 else "",
                "d8_risposta": answer(d8),
                "d8_note": d8,
                "azioni": azioni,
            }
        )
        assert text
    return cards


# The areas as printed: «Area minori e famiglia» before card 1, «Area fragilità, povertà e abitare» before card 11,
# «Lavoro e conciliazione» before card 15. Cards 5-10 (domiciliarità, isolamento, disabilità, caregiver) follow
# without a heading of their own in the text: their area is left empty rather than guessed.
AREE_CASALASCO = (
    ["Minori e famiglia"] * 4 + [""] * 6 + ["Fragilità, povertà e abitare"] * 4 + ["Lavoro e conciliazione"] * 2
)

HEAD = re.compile(r"^\s*(Obiettivo:|OBIETTIVO\?\?\?|Obiettivi? del Servizio|“ L’Isola)")


def viadanese(lines: list[str], start: int, end: int) -> list[dict]:
    heads = [i for i in range(start, end) if HEAD.match(lines[i])]
    cards = []
    for n, first in enumerate(heads):
        last = heads[n + 1] if n + 1 < len(heads) else end
        body = "\n".join(lines[first:last])
        title_part = re.split(r"\n\s*Obiettivi? di (?:miglioramento|mantenimento)", body, maxsplit=1)[0]
        title = clean(title_part)
        title = re.sub(r"^Obiettivo:\s*", "", title)
        if title.startswith("OBIETTIVO???"):
            title = "Obiettivo senza titolo nel documento («OBIETTIVO???»)"
        title = re.sub(r"^Obiettivi? del ", "", title)
        descr = grab(r"(Obiettivi? di (?:miglioramento|mantenimento).*?)DIMENSIONE OUTPUT", body)
        d1 = grab(r"programmazione\s*0%-100%\)(.*?)Valutazione da parte", body)
        d6 = grab(r"problematica\?(.*?)L.obiettivo era in continuit", body)
        d6 = re.sub(r"^S[iì]/No \(motivare la\s+risposta\)\s*", "", d6, flags=re.I)
        d6r = re.match(r"^(S[iì]|No) \(motivare la risposta\)\s*", d6, re.I)
        if d6r:
            d6 = d6[d6r.end() :]
        d7 = grab(r"2017\)(.*?)L.obiettivo verr", body)
        d7 = re.sub(r"^S[iì]/No\s*", "", d7, flags=re.I)
        d8 = grab(r"2021-2023\?(.*)$", body)
        d8r = re.match(r"^(S[iì]/No|S[iì]|No) \(motivare la\s*risposta\)\s*", d8, re.I)
        if d8r:
            d8 = d8[d8r.end() :]
        cards.append(
            {
                "modello": "e2",
                "sub_ambito": "viadanese",
                "area": "",
                "obiettivo": title,
                "descrizione": descr,
                "d1_esito": d1,
                "d1_percentuale_stampata": percent(d1),
                "d2_utenti": grab(r"analisi clima aziendale(.*?)Livello di coincidenza", body),
                "d4_esito": grab(r"impegnate/liquidate\s*0%-100%\)?(.*?)Criticit", body),
                "d5_criticita": grab(r"Piano di miglioramento(.*?)Questo obiettivo ha", body),
                "d6_risposta": (answer(d6r.group(1)) if d6r else answer(d6)),
                "d6_note": d6,
                "d7_risposta": answer(d7),
                "d7_note": d7 if len(d7) > 3 else "",
                "d8_risposta": (answer(d8r.group(1)) if d8r and "/" not in d8r.group(1) else answer(d8)),
                "d8_note": d8,
                "azioni": [],
            }
        )
    return cards


FONTE = (
    "Seed 003, Piano di Zona 2021-2023 dell'Ambito Oglio Po, cap. 1.2 «Gli esiti della programmazione di sub "
    "ambito»: le schede E2 del sub-ambito Casalasco (16, con le azioni e il loro esito) e del sub-ambito Viadanese "
    "(21, con gli obiettivi di miglioramento e di mantenimento, senza azioni). Estratte da "
    "scripts/extract_e2_oglio_po.py e rilette: vedi README.md."
)


def main(seed: str) -> None:
    lines = lines_of(seed)
    find = lambda s, after=0: next(i for i in range(after, len(lines)) if s in lines[i])  # noqa: E731
    c0 = find("1.2.1 Il sub ambito casalasco")
    v0 = find("1.2.2 Il sub ambito viadanese", c0)
    v1 = find("Cap 2.", v0)
    cards = casalasco(lines, c0, v0) + viadanese(lines, v0 + 1, v1)
    doc = {"_fonte": FONTE, "piano": "oglio-po-2021-2023", "schede": cards}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(len(cards), "cards")


if __name__ == "__main__":
    main(sys.argv[1])
