"""The charts of an Ambito, built from stored facts: used by the dashboard page and by the report PDFs."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.fields.json import KT

from core.charts import Chart, Reference, bar_chart, line_chart, stacked_bar_chart
from core.formatting import format_int
from monitoring import rollup_extremes
from monitoring.indicators import SUMS_KEY, from_millionths, scheda_indicators
from monitoring.models import WITHOUT_ADDENDS, ModelloScheda, Scheda
from monitoring.rollup import Riepilogo
from monitoring.rollup_population import CHART_COMUNI_MAX, PopulationRollup
from territory.models import Popolazione
from territory.selectors import SIZE_BOUNDS, size_class

# Up to this many Comuni a chart has one line or bar per Comune; a larger Ambito's charts group the Comuni by
# class of size (population trend, age structure) or show the top and bottom TOP_N (indicators: at most the
# rollup_extremes.KEPT the rollup stores at each end).
TOP_N = rollup_extremes.KEPT
# Classes of Comuni by resident population (upper bound included, territory.selectors.SIZE_BOUNDS; None: no bound).
SIZE_LABELS = (
    "Comuni fino a 5.000 abitanti",
    "Comuni da 5.001 a 20.000 abitanti",
    "Comuni da 20.001 a 100.000 abitanti",
    "Comuni oltre 100.000 abitanti",
)
SIZE_CLASSES = list(zip(SIZE_BOUNDS, SIZE_LABELS, strict=True))


def _large(comuni: QuerySet, n_comuni: int | None) -> bool:
    """Whether the Ambito has too many Comuni for one line or bar each (`n_comuni` when the caller knows it)."""
    return (comuni.count() if n_comuni is None else n_comuni) > CHART_COMUNI_MAX


def _notes_text(notes: dict[int, str]) -> str:
    return "".join(
        f" Anno {a}: {n} (gli altri Comuni non hanno il punto di quell'anno)." for a, n in sorted(notes.items())
    )


def population_trend(
    comuni: QuerySet,
    slug: str,
    notes: dict[int, str] | None = None,
    anni: list[int] | None = None,
    n_comuni: int | None = None,
) -> Chart:
    """Resident population by Comune and year (all the years stored, or only `anni`); by class of Comuni in a
    large Ambito.

    `notes` labels the partial years of the Ambito (`PopulationYears.notes()`): each Comune's figure is its own,
    but the year is marked partial on the axis, in the description and in the data table."""
    facts = Popolazione.objects.filter(comune__in=comuni.values("pk"), totale__isnull=False)
    if anni is not None:
        facts = facts.filter(anno__in=anni)
    if _large(comuni, n_comuni):
        rows = (
            facts.annotate(classe=size_class())
            .values("classe", "anno")
            .annotate(totale_classe=Sum("totale"))
            .order_by("classe", "anno")
            .values_list("classe", "anno", "totale_classe")
        )
        return _population_trend_by_class(rows, slug, notes or {})
    facts = facts.order_by("comune__nome", "anno")
    return _population_trend_by_comune(facts.values_list("comune__nome", "anno", "totale"), slug, notes or {})


def population_trend_from(rollup: PopulationRollup, slug: str, notes: dict[int, str]) -> Chart:
    """`population_trend` (every year) from the Ambito's stored rollup (monitoring.rollup_population)."""
    by_comune = rollup.by_comune()
    if rollup.n_comuni > CHART_COMUNI_MAX or by_comune is None:
        return _population_trend_by_class(rollup.trend_by_class(), slug, notes)
    return _population_trend_by_comune([(nome, anno, totale) for nome, anno, totale, *_r in by_comune], slug, notes)


def _population_trend_by_comune(rows: Iterable, slug: str, notes: dict[int, str]) -> Chart:
    """The population of each Comune by year, from (nome, anno, totale) by name and year."""
    series: dict[str, list[tuple[int, int]]] = {}
    for nome, anno, totale in rows:
        series.setdefault(nome, []).append((anno, totale))
    years = sorted({a for points in series.values() for a, _ in points})
    span = f"{years[0]}-{years[-1]}" if years else ""
    notes = {a: n for a, n in notes.items() if n and a in years}
    description = f"Andamento della popolazione residente di ciascuno dei {len(series)} Comuni, anni {span}."
    if notes:
        description += _notes_text(notes)
    return line_chart(
        title=f"Popolazione residente per Comune {span}",
        description=description,
        series=list(series.items()),
        chart_id=f"pop-{slug}",
        height=360 + 18 * (len(series) // 5),
        x_notes=notes,
    )


def _population_trend_by_class(rows: Iterable, slug: str, notes: dict[int, str]) -> Chart:
    """The population of each class of Comuni by year (a Comune's class is that of its population that year),
    from (class, year, Σ totale) by class and year."""
    series: dict[str, list[tuple[int, int]]] = {}
    for classe, anno, totale in rows:
        series.setdefault(SIZE_CLASSES[classe][1], []).append((anno, totale))
    years = sorted({a for points in series.values() for a, _ in points})
    span = f"{years[0]}-{years[-1]}" if years else ""
    notes = {a: n for a, n in notes.items() if n and a in years}
    description = (
        f"Andamento della popolazione residente dei Comuni per classe di ampiezza demografica (la classe di ogni "
        f"Comune è quella del suo dato di ciascun anno), anni {span}."
    )
    return line_chart(
        title=f"Popolazione residente per classe di ampiezza dei Comuni {span}",
        description=description + _notes_text(notes),
        series=list(series.items()),
        chart_id=f"pop-{slug}",
        height=360,
        x_notes=notes,
    )


def _shares(totale: int, minori: int, anziani: int) -> list[Decimal]:
    shares = [Decimal(v) * 100 / Decimal(totale) for v in (minori, totale - minori - anziani, anziani)]
    return [s.quantize(Decimal("0.1")) for s in shares]


def _age_structure_by_class(facts: QuerySet) -> list[tuple[int, int, int, int, int]]:
    """(class, Comuni, Σ totale, Σ 0-17, Σ 65+) of each class of Comuni with ages (the shares are from the sums of
    its residents, never averages of shares)."""
    rows = (
        facts.filter(eta_0_17__isnull=False, eta_65_oltre__isnull=False, totale__gt=0)
        .annotate(classe=size_class())
        .values("classe")
        .annotate(n=Count("pk"), t=Sum("totale"), m=Sum("eta_0_17"), a=Sum("eta_65_oltre"))
        .order_by("classe")
        .values_list("classe", "n", "t", "m", "a")
    )
    return list(rows)


def age_structure(comuni: QuerySet, slug: str, year: int | None, n_comuni: int | None = None) -> Chart:
    """Share of residents aged 0-17, 18-64 and 65+ in each Comune (latest year); by class of Comuni (with how
    many Comuni each has) in a large Ambito."""
    facts = Popolazione.objects.filter(comune__in=comuni.values("pk"), anno=year, totale__isnull=False)
    if _large(comuni, n_comuni):
        return _age_chart_by_class(_age_structure_by_class(facts), slug, year)
    rows = facts.order_by("comune__nome").values_list("comune__nome", "totale", "eta_0_17", "eta_65_oltre")
    return _age_chart_by_comune(rows, slug, year)


def age_structure_from(rollup: PopulationRollup, slug: str, year: int | None) -> Chart:
    """`age_structure` from the Ambito's stored rollup (monitoring.rollup_population)."""
    by_comune = rollup.by_comune()
    if rollup.n_comuni > CHART_COMUNI_MAX or by_comune is None:
        return _age_chart_by_class(rollup.ages_by_class(year), slug, year)
    rows = [(nome, totale, minori, anziani) for nome, anno, totale, minori, anziani in by_comune if anno == year]
    return _age_chart_by_comune(rows, slug, year)


def _age_chart_by_class(rows: Iterable, slug: str, year: int | None) -> Chart:
    return stacked_bar_chart(
        title=f"Struttura per età della popolazione {year or ''}".strip(),
        description="Quota di residenti di 0-17 anni, 18-64 anni e 65 anni e oltre per classe di ampiezza "
        "demografica dei Comuni (tra parentesi quanti Comuni ha ogni classe).",
        categories=["0-17 anni", "18-64 anni", "65 anni e oltre"],
        bars=[(f"{SIZE_CLASSES[c][1]} ({n})", _shares(t, m, a)) for c, n, t, m, a in rows],
        chart_id=f"eta-{slug}",
    )


def _age_chart_by_comune(rows: Iterable, slug: str, year: int | None) -> Chart:
    """The age shares of each Comune, from (nome, totale, 0-17, 65+) by name."""
    bars = []
    for nome, totale, minori, anziani in rows:
        if minori is None or anziani is None or not totale:
            continue
        bars.append((nome, _shares(totale, minori, anziani)))
    return stacked_bar_chart(
        title=f"Struttura per età della popolazione {year or ''}".strip(),
        description="Quota di residenti di 0-17 anni, 18-64 anni e 65 anni e oltre in ciascun Comune.",
        categories=["0-17 anni", "18-64 anni", "65 anni e oltre"],
        bars=bars,
        chart_id=f"eta-{slug}",
    )


def _cents(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.01")) if value is not None else None


def _family_modello(family: str) -> ModelloScheda | None:
    """The latest active template of a family (NID, SOC), without its definition."""
    modelli = ModelloScheda.objects.filter(codice__startswith=family, attivo=True).defer("definizione")
    return modelli.order_by("-anno_riferimento", "codice").first()


def _indicator_bars(comuni: QuerySet, family: str, code: str) -> list[tuple[str, Decimal | None]]:
    """Each Comune's indicator `code` from the stored facts of its scheda of the family (latest year first)."""
    bars = []
    schede = (
        Scheda.objects.filter(comune__in=comuni.values("pk"), modello__codice__startswith=family, modello__attivo=True)
        .order_by("comune__nome", "-modello__anno_riferimento")
        .values_list("comune_id", "comune__nome", "modello_id", "indicatori")
    )
    modelli = {m.pk: m for m in ModelloScheda.objects.filter(codice__startswith=family).defer("definizione")}
    seen = set()
    for comune_id, nome, modello_id, facts in schede:
        if comune_id in seen:
            continue
        seen.add(comune_id)
        for ind in scheda_indicators(modelli[modello_id].indicator_definition(), facts):
            if ind.code == code:
                bars.append((nome, _cents(ind.value)))
    return bars


def _indicator_extremes(
    comuni: QuerySet, family: str, code: str, n: int, rollup: Riepilogo | None = None
) -> tuple[list[tuple[str, Decimal | None]], int]:
    """The `n` Comuni with the highest and the `n` with the lowest indicator `code` of the latest template of the
    family, highest first, and how many Comuni have a value: from the Ambito's rollup (its stored extremes) when
    there is one, else selected by the database (two queries of `n` rows and a count). Both order by the exact
    addends (monitoring.rollup_extremes); when a scheda has none, by its facts (`_extremes_from_facts`)."""
    modello = _family_modello(family)
    if modello is None:
        return [], 0
    found = rollup.extremes(modello.pk, code) if rollup is not None else None
    if found is None:
        schede = Scheda.objects.filter(comune__in=comuni.values("pk"), modello=modello).order_by()
        if schede.filter(WITHOUT_ADDENDS).exists():
            return _extremes_from_facts(schede, modello, code, n)
        ends = rollup_extremes.of_schede(schede, code)
        count = schede.filter(**{f"indicatori__{SUMS_KEY}__has_key": code}).count()
        found = ends["alti"], ends["bassi"], count
    alti, bassi, count = found
    if count <= 2 * n:  # every one (n is at most KEPT: the two ends hold them all)
        shown = sorted({entry[3]: entry for entry in alti + bassi}.values(), key=rollup_extremes.order_key)
    else:
        shown = alti[:n] + bassi[:n][::-1]
    definition = modello.indicator_definition()
    bars = []
    for num, den, nome, _pk in shown:
        facts = {code: {"num": from_millionths(num), "den": from_millionths(den)}}
        (ind,) = [i for i in scheda_indicators(definition, facts) if i.code == code]
        bars.append((nome, _cents(ind.value)))
    return bars, count


def _extremes_from_facts(
    schede: QuerySet, modello: ModelloScheda, code: str, n: int
) -> tuple[list[tuple[str, Decimal | None]], int]:
    """`_indicator_extremes` when some scheda has no exact addends: every scheda's facts read (three small fields)
    and ordered here by the ratio of its numerator and denominator, ties by Comune name."""
    facts = schede.values_list("comune__nome", KT(f"indicatori__{code}__num"), KT(f"indicatori__{code}__den"))
    known = []
    for nome, num, den in facts:
        ratio = _ratio(num, den)
        if ratio is not None:
            known.append((-ratio, nome, num, den))
    known.sort()
    shown = known if len(known) <= 2 * n else known[:n] + known[-n:]
    definition = modello.indicator_definition()
    bars = []
    for _r, nome, num, den in shown:
        (ind,) = [i for i in scheda_indicators(definition, {code: {"num": num, "den": den}}) if i.code == code]
        bars.append((nome, _cents(ind.value)))
    return bars, len(known)


def _ratio(num: str | None, den: str | None) -> float | None:
    try:
        return float(num) / float(den) if num not in (None, "") and den not in (None, "") else None
    except (ValueError, ZeroDivisionError):
        return None


def _indicator_chart_bars(comuni: QuerySet, family: str, code: str, n_comuni: int | None, rollup: Riepilogo | None):
    """(bars, what they show): every Comune in a small Ambito, the top and bottom `TOP_N` in a large one."""
    if not _large(comuni, n_comuni):
        return _indicator_bars(comuni, family, code), "per Comune"
    bars, count = _indicator_extremes(comuni, family, code, TOP_N, rollup)
    if count <= 2 * TOP_N:
        return bars, "per Comune"
    shown = f"dei {TOP_N} Comuni con il valore più alto e dei {TOP_N} con il più basso"
    return bars, f"{shown}, su {format_int(count)} con il dato"


def nursery_coverage(
    comuni: QuerySet, slug: str, n_comuni: int | None = None, rollup: Riepilogo | None = None
) -> Chart:
    bars, which = _indicator_chart_bars(comuni, "NID", "R21", n_comuni, rollup)
    return bar_chart(
        title="Copertura dei servizi per la prima infanzia (R21) rispetto all'obiettivo del 33%",
        description=f"Posti pubblici e in convenzione per 100 bambini di 3-36 mesi, {which} (schede NID).",
        bars=bars,
        chart_id=f"nid-{slug}",
        value_label="Copertura %",
        decimals=2,
        suffix="%",
        references=[Reference(33, "Obiettivo 33%")],
    )


def social_workers(comuni: QuerySet, slug: str, n_comuni: int | None = None, rollup: Riepilogo | None = None) -> Chart:
    """Abitanti per assistente sociale; `rollup` (the Ambito's, monitoring.rollup) gives a large Ambito's top and
    bottom Comuni without reading every scheda (as for `nursery_coverage`)."""
    bars, which = _indicator_chart_bars(comuni, "SOC", "R01B", n_comuni, rollup)
    return bar_chart(
        title="Abitanti per assistente sociale (R01B): LEP 1:5.000 e obiettivo 1:4.000",
        description=f"Numero di abitanti per ogni assistente sociale, {which} (schede SOC); sotto la linea è meglio.",
        bars=[(n, v.quantize(Decimal("1")) if v is not None else None) for n, v in bars],
        chart_id=f"soc-{slug}",
        value_label="Abitanti per assistente sociale",
        references=[Reference(5000, "LEP 1 ogni 5.000"), Reference(4000, "Obiettivo 1 ogni 4.000", "#a66300")],
    )
