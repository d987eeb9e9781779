"""Read side of the evaluation: cards with dimension 1 computed under both rules, the carry-forward links and the
continuity answers derived from them. A fixed number of queries whatever the number of cards."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from accounts.scoping import scope

from ..models import (
    AzioneValutata,
    Continuita,
    PianoDiZona,
    RegolaParziali,
    SchedaValutazione,
    StatoAzione,
    Valutazione,
)
from ..piano.history import Modifica, modifiche
from . import rules

DIMENSIONI = {
    1: "Grado di raggiungimento dell'obiettivo rispetto a ciò che era stato definito nella programmazione "
    "(n. azioni realizzate / n. azioni programmate × 100)",
    2: "Valutazione da parte degli utenti (ove pertinente)",
    3: "Livello di adeguatezza delle risorse umane e strumentali impiegate rispetto al raggiungimento degli "
    "obiettivi prefissati",
    4: "Livello di coincidenza tra risorse stanziate e risorse impegnate/liquidate",
    5: "Criticità rilevate nel raggiungimento dell'obiettivo",
    6: "L'obiettivo ha adeguatamente risposto ad un bisogno producendo un cambiamento positivo nell'area "
    "individuata come problematica",
    7: "Obiettivo in continuità con la programmazione precedente",
    8: "Obiettivo riproposto nella programmazione",
}


def regola_label(parziali_come_realizzate: bool) -> str:
    return str(RegolaParziali.COME_REALIZZATE.label if parziali_come_realizzate else RegolaParziali.ESCLUSE.label)


@dataclass
class Dimensione:
    numero: int
    etichetta: str
    valore: str
    note: str = ""
    derivata: SafeString | str = ""  # the answer known from a carry-forward link (dimension 8), with links
    derivata_testo: str = ""  # the same as plain text (reports)


@dataclass
class SchedaEsito:
    """An evaluation card ready for a page or a report.

    `grado` uses the plan's rule, `grado_altra_regola` the other one; `stampato` is the percentage printed in the
    document and `stampato_regole` the rules that reproduce it ([] when none does). `righe` and `azioni` are the
    (label, value) pairs the Piano di Zona PDF prints.
    """

    scheda: SchedaValutazione
    titolo: str
    area: str
    conteggi: rules.Conteggi
    parziali_come_realizzate: bool
    grado: Decimal | None
    grado_altra_regola: Decimal | None
    stampato: Decimal | None
    stampato_regole: list[bool]
    dimensioni: list[Dimensione]
    azioni: list[tuple[str, str]]
    riprese: list[Continuita] = field(default_factory=list)
    sub_ambito: str = ""  # the sub-ambito of an E2 card

    @property
    def area_completa(self) -> str:
        """«Sub-ambito Casalasco · Minori e famiglia»: where the card belongs, as pages and reports print it."""
        return " · ".join(x for x in (self.sub_ambito, self.area) if x)

    @property
    def grado_con_parziali(self) -> Decimal | None:
        return self.grado if self.parziali_come_realizzate else self.grado_altra_regola

    @property
    def grado_senza_parziali(self) -> Decimal | None:
        return self.grado_altra_regola if self.parziali_come_realizzate else self.grado

    @property
    def regola(self) -> str:
        return regola_label(self.parziali_come_realizzate)

    @property
    def stampato_coerente(self) -> bool | None:
        """Whether the printed percentage follows the plan's rule (None when nothing is printed or computable)."""
        if self.stampato is None or self.grado is None:
            return None
        return self.parziali_come_realizzate in self.stampato_regole

    @property
    def stampato_spiegazione(self) -> str:
        if self.stampato is None or self.grado is None:
            return ""
        printed = rules.percentuale_compatta(self.stampato)
        if self.stampato_coerente:
            return f"Il documento indica {printed}, come la regola del piano."
        if self.stampato_regole:
            altra = regola_label(not self.parziali_come_realizzate)
            return f"Il documento indica {printed}: corrisponde all'altra regola ({altra})."
        return f"Il documento indica {printed}: non corrisponde a nessuna delle due regole."

    @property
    def riproposto(self) -> bool:
        return bool(self.riprese) or self.scheda.d8_risposta == "si"

    @property
    def righe(self) -> list[tuple[str, str]]:
        out = []
        for d in self.dimensioni:
            valore = d.valore
            if d.derivata_testo:
                valore = f"{valore} ({d.derivata_testo})"
            if d.note:
                valore = f"{valore} — {d.note}" if valore and valore != "—" else d.note
            out.append((f"{d.numero}. {d.etichetta}", valore))
        return out


def schede_queryset() -> QuerySet:
    return SchedaValutazione.objects.select_related("valutazione__piano__ambito", "sub_ambito").prefetch_related(
        Prefetch("azioni", queryset=AzioneValutata.objects.order_by("ordine", "pk")),
        Prefetch(
            "riprese",
            queryset=Continuita.objects.select_related("obiettivo__area", "obiettivo__piano", "intervento__piano"),
        ),
        Prefetch(
            "obiettivo_precedente__riprese",
            queryset=Continuita.objects.select_related("obiettivo__area", "obiettivo__piano", "intervento__piano"),
        ),
    )


def _display(model_field: str, value: str) -> str:
    return str(dict(SchedaValutazione._meta.get_field(model_field).flatchoices).get(value, "")) or "—"


def _link(c: Continuita) -> SafeString:
    url = c.intervento.get_absolute_url() if c.intervento_id else c.piano.get_absolute_url() + "#struttura"
    return format_html('riproposto nel {} come <a href="{}">{}</a>', c.piano.titolo, url, str(c.nuovo)[:110])


def _text(c: Continuita) -> str:
    return f"riproposto nel {c.piano.titolo} come «{str(c.nuovo)[:110]}»"


def esito(scheda: SchedaValutazione, valutazione: Valutazione | None = None) -> SchedaEsito:
    valutazione = valutazione or scheda.valutazione
    regola = valutazione.parziali_come_realizzate
    azioni = list(scheda.azioni.all())
    c = rules.conteggi(a.stato for a in azioni)
    riprese = list(scheda.riprese.all())
    if scheda.obiettivo_precedente_id:
        riprese += list(scheda.obiettivo_precedente.riprese.all())
    grado = rules.grado(c, parziali_come_realizzate=regola)
    if c.totale:
        d1 = f"{rules.percentuale_compatta(grado)} ({regola_label(regola)})"
    elif scheda.d1_percentuale_stampata is not None:
        d1 = f"{rules.percentuale_compatta(scheda.d1_percentuale_stampata)} (dato del documento: azioni non elencate)"
    else:
        d1 = "—"
    if scheda.d1_esito:
        d1 = f"{d1} · {scheda.d1_esito}"
    d4 = scheda.d4_esito or "—"
    if scheda.d4_coincidenza is not None:
        d4 = f"{d4} · impegnato/stanziato {rules.percentuale_compatta(scheda.d4_coincidenza)}"
    periodo_prec = valutazione.periodo_precedente
    dimensioni = [
        Dimensione(1, DIMENSIONI[1], d1, scheda.d1_note),
        *([Dimensione(2, DIMENSIONI[2], scheda.d2_utenti)] if scheda.d2_utenti else []),
        Dimensione(3, DIMENSIONI[3], _display("d3_adeguatezza", scheda.d3_adeguatezza), scheda.d3_note),
        Dimensione(4, DIMENSIONI[4], d4),
        Dimensione(5, DIMENSIONI[5], scheda.d5_criticita or "—"),
        Dimensione(6, DIMENSIONI[6], _display("d6_risposta", scheda.d6_risposta), scheda.d6_note),
        Dimensione(
            7,
            f"{DIMENSIONI[7]} ({periodo_prec})" if periodo_prec else DIMENSIONI[7],
            _display("d7_risposta", scheda.d7_risposta),
            scheda.d7_note,
        ),
        Dimensione(
            8,
            f"{DIMENSIONI[8]} {valutazione.piano.periodo}",
            "Sì" if riprese else _display("d8_risposta", scheda.d8_risposta),
            scheda.d8_note,
            format_html_join("; ", "{}", ((_link(r),) for r in riprese)) if riprese else "",
            "; ".join(_text(r) for r in riprese),
        ),
    ]
    return SchedaEsito(
        scheda=scheda,
        titolo=scheda.obiettivo,
        area=scheda.area,
        sub_ambito=scheda.sub_ambito.nome if scheda.sub_ambito_id else "",
        conteggi=c,
        parziali_come_realizzate=regola,
        grado=grado,
        grado_altra_regola=rules.grado(c, parziali_come_realizzate=not regola),
        stampato=scheda.d1_percentuale_stampata,
        stampato_regole=rules.regole_coerenti(c, scheda.d1_percentuale_stampata),
        dimensioni=dimensioni,
        azioni=[
            (f"{a.gruppo}: {a.titolo}" if a.gruppo else a.titolo, f"{StatoAzione(a.stato).label}{' *' * a.desunto}")
            for a in azioni
        ],
        riprese=riprese,
    )


def valutazione_del_piano(piano: PianoDiZona) -> Valutazione | None:
    return Valutazione.objects.select_related("piano__ambito", "piano_valutato").filter(piano=piano).first()


def schede_esiti(valutazione: Valutazione, queryset: QuerySet | None = None) -> list[SchedaEsito]:
    qs = queryset if queryset is not None else valutazione.schede.all()
    schede = list(schede_queryset().filter(pk__in=qs.values("pk")).order_by("ordine", "pk"))
    return [esito(s, valutazione) for s in schede]


def sintesi(esiti: list[SchedaEsito]) -> dict:
    """Totals of all cards: actions by state and the overall degree under both rules (sums, not averages)."""
    totale = rules.Conteggi(
        **{
            name: sum(getattr(e.conteggi, name) for e in esiti)
            for name in ("realizzate", "parziali", "non_realizzate", "sospese", "interrotte", "in_corso")
        }
    )
    return {
        "conteggi": totale,
        "con_parziali": rules.grado(totale, parziali_come_realizzate=True),
        "senza_parziali": rules.grado(totale, parziali_come_realizzate=False),
        "schede": len(esiti),
        "stampati_difformi": [e for e in esiti if e.stampato_coerente is False],
    }


def annotate_riproposta(qs: QuerySet) -> QuerySet:
    """`riproposta` = carried forward (link) or declared «Sì» in dimension 8."""
    linked = Continuita.objects.filter(Q(da_scheda=OuterRef("pk")) | Q(da_obiettivo=OuterRef("obiettivo_precedente")))
    return qs.annotate(collegata=Exists(linked))


def schede_lista(valutazione: Valutazione) -> QuerySet:
    """Cards with action counts per state and the carry-forward flag, in one query (the cards' table)."""
    qs = valutazione.schede.select_related("sub_ambito").annotate(
        n_azioni=Count("azioni"),
        n_realizzate=Count("azioni", filter=Q(azioni__stato=StatoAzione.REALIZZATA)),
        n_parziali=Count("azioni", filter=Q(azioni__stato=StatoAzione.PARZIALMENTE_REALIZZATA)),
    )
    return annotate_riproposta(qs).order_by("ordine", "pk")


def piani_precedenti(piano: PianoDiZona, user) -> QuerySet:
    """The earlier plans of the same Ambito the user sees (where objectives and interventions are taken from)."""
    return scope(PianoDiZona.objects.filter(ambito=piano.ambito, anno_inizio__lt=piano.anno_inizio), user)


def riprese_del_piano(piano: PianoDiZona) -> QuerySet:
    """What `piano` continues: its carry-forward links with their origin and destination."""
    return Continuita.objects.filter(piano=piano).select_related(
        "obiettivo__area",
        "obiettivo__parent__area",
        "intervento__obiettivo",
        "da_scheda__valutazione",
        "da_obiettivo__piano",
        "da_intervento__piano",
        "creato_da",
    )


def schede_da_riproporre(valutazione: Valutazione) -> QuerySet:
    """The evaluated objectives not yet carried forward into the plan, in the cards' order."""
    return valutazione.schede.filter(riprese__isnull=True).order_by("ordine")


def valutazione_storia(valutazione: Valutazione) -> list[Modifica]:
    """The latest changes of the evaluation and of its cards."""
    return modifiche(
        [
            ("Valutazione", valutazione.history.all(), lambda r: f"{r.periodo_valutato}"),
            ("Scheda", SchedaValutazione.history.filter(valutazione_id=valutazione.pk), lambda r: r.obiettivo),
        ],
        limit=20,
    )


def scheda_storia(scheda: SchedaValutazione) -> list[Modifica]:
    """The changes of a card, of its actions and of its carry-forward link."""
    return modifiche(
        [
            ("", scheda.history.all()),
            ("Azione", AzioneValutata.history.filter(scheda_id=scheda.pk), lambda r: r.titolo),
            ("Continuità", Continuita.history.filter(da_scheda_id=scheda.pk), lambda r: "riproposto nel piano"),
        ]
    )


def riprese_storia(piano: PianoDiZona) -> list[Modifica]:
    """The latest changes of the plan's carry-forward links."""
    return modifiche(
        [("Continuità", Continuita.history.filter(piano_id=piano.pk), lambda r: f"collegamento n. {r.id}")], limit=20
    )
