"""Comparison of the indicators across the Comuni of an Ambito and across Ambiti: totals are ratios of sums, gaps in
places and full-time social workers, sort order, the Reggio values of seed 000, scoping, queries, exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.comparison import compare_ambiti, compare_comuni, target_gap
from monitoring.indicators import ambito_indicators
from monitoring.models import ModelloScheda, Scheda
from territory.models import Ambito, Comune
from tests.documents import body, xlsx_rows
from tests.factories import user_with_role

D = Decimal


def _facts(num, den, targets=None) -> dict:
    return {
        "num": None if num is None else str(num),
        "den": None if den is None else str(den),
        "targets": targets or [None],
    }


def make_ambito(slug: str, n: int, *, provincia: str = "RE", parent: Ambito | None = None) -> tuple[Ambito, list]:
    """A new Ambito with `n` Comuni of the ISTAT list not in any Ambito (by name)."""
    ambito = Ambito.objects.create(nome=f"Ambito {slug}", slug=slug, codice=slug.upper(), parent=parent)
    comuni = list(Comune.objects.filter(ambito__isnull=True, sigla_provincia=provincia).order_by("nome")[:n])
    assert len(comuni) == n, "la provincia non ha abbastanza Comuni liberi"
    Comune.objects.filter(pk__in=[c.pk for c in comuni]).update(ambito=ambito)
    return ambito, comuni


def nid_schede(comuni, facts: list[tuple]) -> list[Scheda]:
    """NID26 schede with the given (num, den) of R21 (R22 the same)."""
    modello = ModelloScheda.objects.get(codice="NID26")
    return [
        Scheda.objects.create(modello=modello, comune=c, indicatori={"R21": _facts(n, d), "R22": _facts(n, d)})
        for c, (n, d) in zip(comuni, facts, strict=False)
    ]


def soc_schede(comuni, facts: list[tuple]) -> list[Scheda]:
    """SOC26 schede with (inhabitants, social workers) for R01B and (users, R05) for R04."""
    modello = ModelloScheda.objects.get(codice="SOC26")
    out = []
    for c, (pop, workers, users, r05) in zip(comuni, facts, strict=True):
        indicatori = {"R01B": _facts(pop, workers, [None, None]), "R04": _facts(users, pop, [[str(r05), str(pop)]])}
        out.append(Scheda.objects.create(modello=modello, comune=c, indicatori=indicatori))
    return out


@pytest.fixture
def prova(db):
    """Four Comuni: A 5/10 (50%), B 100/1000 (10%), C 10/31 (32,26%), D without a scheda."""
    ambito, comuni = make_ambito("prova", 4)
    nid_schede(comuni[:3], [(5, 10), (100, 1000), (10, 31)])
    soc_schede(comuni[:3], [(12000, 2, 100, "1.5"), (3000, 1, 90, "2"), (10001, 2, 0, "1")])
    return ambito, comuni


def indicator(comparison, code):
    (ind,) = [i for i in comparison.indicators if i.code == code]
    return ind


@pytest.mark.django_db
def test_totals_are_ratios_of_sums_not_means_of_ratios(prova):
    ambito, _comuni = prova
    admin = user_with_role("admin-c", None)
    r21 = indicator(compare_comuni(ambito, ModelloScheda.objects.get(codice="NID26"), admin), "R21")
    # mean of the Comuni's values: (50 + 10 + 32,26) / 3 = 30,75%; ratio of sums: 115 / 1041 = 11,05%
    mean = (D(50) + D(10) + D(1000) / D(31)) / 3
    assert r21.total.numerator == 115
    assert r21.total.denominator == 1041
    assert r21.total.value == D(11500) / D(1041)
    assert r21.total.value != mean
    assert r21.rounded(r21.total.value) == D("11.05")
    assert r21.total.schede == 3  # the Comune without a scheda adds nothing
    # the gap of the totals on the sums: 33% of 1041 = 343,53 places, 115 there → 229 (rounded up)
    assert r21.total.targets[0].gap == 229
    assert r21.total.targets[0].met is False
    assert r21.gap_sums == [D(230 + 1)]  # what each Comune lacks by itself: A 0, B 230, C 1


@pytest.mark.django_db
def test_gaps_in_places_rounded_up_and_sorted_by_gap(prova):
    ambito, comuni = prova
    r21 = indicator(compare_comuni(ambito, ModelloScheda.objects.get(codice="NID26"), user_with_role("a", None)), "R21")
    names = [r.name for r in r21.rows]
    a, b, c, d = (comuni[i].nome for i in range(4))
    assert names == [b, c, a, d]  # B 230 places, C 1 (33% of 31 = 10,23), A met, D without data last
    gaps = {r.name: r.targets[0].gap for r in r21.rows}
    assert gaps == {b: 230, c: 1, a: 0, d: None}
    assert [r.targets[0].met for r in r21.rows] == [False, False, True, None]
    assert r21.gap_unit == "posti"


@pytest.mark.django_db
def test_gaps_in_full_time_social_workers(prova):
    ambito, comuni = prova
    soc = compare_comuni(ambito, ModelloScheda.objects.get(codice="SOC26"), user_with_role("a", None))
    r01b = indicator(soc, "R01B")
    by_name = {r.name: r for r in r01b.rows}
    a, b, c = (by_name[comuni[i].nome] for i in range(3))
    # A: 12.000 inhabitants, 2 workers (1:6.000): 2,4 needed for 1:5.000, 3 for 1:4.000
    assert a.value == 6000
    assert [t.gap for t in a.targets] == [D("0.40"), D("1.00")]
    assert b.value == 3000
    assert [t.gap for t in b.targets] == [0, 0]
    # C: 10.001 inhabitants, 2 workers: 2,0002 needed → 0,01 (rounded up to the hundredth: never short)
    assert [t.gap for t in c.targets] == [D("0.01"), D("0.51")]
    assert [r.name for r in r01b.rows][:3] == [a.name, c.name, b.name]
    # totals: 25.001 / 5 = 5.000,2 inhabitants per worker (the mean of the Comuni is 4.666,8)
    assert r01b.total.value == D("5000.2")
    assert [t.gap for t in r01b.total.targets] == [D("0.01"), D("1.26")]
    assert r01b.gap_sums == [D("0.41"), D("1.51")]
    assert r01b.gap_unit == "assistenti sociali a tempo pieno"
    # the service level R04 against each Comune's reference level R05 (a cell): gap in users
    r04 = indicator(soc, "R04")
    gaps = {r.name: [t.gap for t in r.targets] for r in r04.rows}
    assert gaps[a.name] == [80]  # 1,5% of 12.000 = 180 users, 100 served
    assert gaps[b.name] == [0]  # 3% served, reference 2%
    assert gaps[c.name] == [101]  # 1% of 10.001 = 100,01 → 101 users
    # totals: the reference level weighted by inhabitants: (1,5×12.000 + 2×3.000 + 1×10.001) / 25.001
    assert r04.total.targets[0].target == D(34001) / D(25001)
    assert r04.total.targets[0].gap == 151  # 340,01 users needed, 190 served


def test_target_gap_rules():
    spec = {"scale": 100, "gap": {"decimals": 0}}
    t = {"label": "Obiettivo 33%", "compare": ">="}
    assert target_gap(spec, t, D(33), D(100), D(33)).gap == 0  # exactly met
    assert target_gap(spec, t, D(32), D(100), D(33)).gap == 1
    assert target_gap(spec, t, D(10), D(0), D(33)).met is None  # no denominator: unknown
    workers = {"scale": 1, "gap": {"decimals": 2}}
    le = {"label": "LEP", "compare": "<="}
    assert target_gap(workers, le, D(5000), D(1), D(5000)).gap == 0
    assert target_gap(workers, le, D(15000), D(2), D(4000)).gap == D("1.75")
    # 800 inhabitants and no social worker: no ratio, but 0,16 full-time workers missing for 1:5.000
    none = target_gap(workers, le, D(800), D(0), D(5000))
    assert none.met is False
    assert none.gap == D("0.16")
    assert target_gap(spec, t, D(0), D(0), D(33)).met is None  # no children: nothing to reach


@pytest.mark.django_db
def test_reggio_values_of_seed_000(client_for, admin_user):
    reggio_emilia = Ambito.objects.get(slug="reggio-emilia")
    nid = compare_comuni(reggio_emilia, ModelloScheda.objects.get(codice="NID26"), admin_user)
    soc = compare_comuni(reggio_emilia, ModelloScheda.objects.get(codice="SOC26"), admin_user)
    r21, r22, r01b = indicator(nid, "R21"), indicator(nid, "R22"), indicator(soc, "R01B")
    assert r21.rounded(r21.rows[0].value) == D("51.80")
    assert r21.rounded(r21.total.value) == D("51.80")
    assert r22.rounded(r22.rows[0].value) == D("52.46")
    assert r01b.rounded(r01b.rows[0].value) == 2651
    assert r01b.rounded(r01b.total.value) == 2651
    assert [t.gap for t in r01b.rows[0].targets] == [0, 0]  # 65 workers for 172.284 inhabitants
    assert [i.code for i in soc.indicators] == ["R01B", "R04"]  # every indicator with targets
    url = reverse("monitoring:comparison", args=["reggio-emilia"])
    page = client_for(admin_user).get(url).content.decode()
    assert "51,80%" in page
    assert "52,46%" in page
    page = client_for(admin_user).get(url, {"modello": "SOC26"}).content.decode()
    assert "2.651" in page
    assert "Livello di servizio effettivo 2025" in page


@pytest.mark.django_db
def test_page_sections_table_and_chart(client_for, prova):
    ambito, comuni = prova
    user = user_with_role("udp-prova", Ruolo.UFFICIO_PIANO, ambito=ambito)
    response = client_for(user).get(reverse("monitoring:comparison", args=[ambito.slug]), {"modello": "NID26"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<caption>") >= 2  # R21 and R22
    assert '<th scope="col">Obiettivo 33%</th>' in page
    assert "11,05%" in page  # the totals row: 115 / 1041
    assert "<title" in page
    assert 'role="img"' in page
    assert 'stroke-dasharray="6 4"' in page  # the objective line
    # the table in order of gap: B before C before A
    b, c, a = (page.index(comuni[i].nome) for i in (1, 2, 0))
    assert b < c < a
    link = reverse("monitoring:comparison", args=[ambito.slug])
    assert link in client_for(user).get(reverse("monitoring:overview", args=[ambito.slug])).content.decode()
    assert link in client_for(user).get(reverse("reports:dashboard", args=[ambito.slug])).content.decode()


@pytest.mark.django_db
def test_scoping(client_for, udp_user, dirigente_user, operatore_user, admin_user):
    url = reverse("monitoring:comparison", args=["reggio-emilia"])
    assert client_for(udp_user).get(url).status_code == 404  # Ufficio di Piano of the Magentino
    assert client_for(dirigente_user).get(url).status_code == 404
    magentino = reverse("monitoring:comparison", args=["magentino"])
    assert client_for(operatore_user).get(magentino).status_code == 404  # a Comune's operator
    assert client_for(dirigente_user).get(magentino).status_code == 200
    assert client_for(udp_user).get(magentino).status_code == 200
    assert client_for(admin_user).get(url).status_code == 200
    assert client_for(admin_user).get(url, {"modello": "XYZ99"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 30])
def test_queries_do_not_grow_with_the_comuni(n, django_assert_max_num_queries, client_for):
    ambito, comuni = make_ambito(f"q{n}", n, provincia="TO")
    nid_schede(comuni, [(i, 100 + i) for i in range(n)])
    user = user_with_role(f"udp-q{n}", Ruolo.UFFICIO_PIANO, ambito=ambito)
    modello = ModelloScheda.objects.get(codice="NID26")
    modello.indicator_definition()  # the definition cached in the process (one query otherwise)
    with django_assert_max_num_queries(3):  # the user's grants, the Comuni, the schede
        comparison = compare_comuni(ambito, modello, user)
    assert len(indicator(comparison, "R21").rows) == n
    client = client_for(user)
    url = reverse("monitoring:comparison", args=[ambito.slug])
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_csv_and_xlsx(client_for, prova):
    ambito, comuni = prova
    client = client_for(user_with_role("udp-exp", Ruolo.UFFICIO_PIANO, ambito=ambito))
    url = reverse("monitoring:comparison", args=[ambito.slug])
    response = client.get(url, {"modello": "NID26", "_export": "csv"})
    assert response["Content-Disposition"] == f'attachment; filename="confronto-{ambito.slug}-NID26.csv"'
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Indicatore", "Comune", "Codice", "Valore"]
    r21 = [r for r in rows[1:] if r[0] == "R21"]
    assert [r[1] for r in r21] == [comuni[1].nome, comuni[2].nome, comuni[0].nome, comuni[3].nome, "Totale Ambito"]
    assert r21[0][3:] == ["10,00", "100", "1000", "Obiettivo 33%", "33,00", "no", "230", "posti"]
    assert r21[-1][3:] == ["11,05", "115", "1041", "Obiettivo 33%", "33,00", "no", "229", "posti"]
    response = client.get(url, {"modello": "SOC26", "_export": "xlsx"})
    sheet = xlsx_rows(body(response))
    lep = [r for r in sheet if r[0] == "R01B" and r[1] == comuni[0].nome]
    assert [(r[6], r[9]) for r in lep] == [("LEP 1 ogni 5.000", 0.4), ("Obiettivo 1 ogni 4.000", 1)]
    assert client.get(url, {"_export": "pdf"}).status_code == 404


@pytest.mark.django_db
def test_compare_ambiti_across_a_regione(django_assert_max_num_queries):
    """Ambiti (of a Regione): each Ambito is the ratio of its sums, a sub-Ambito's Comuni count once, the totals are
    the ratio of the sums of every scheda."""
    nord, comuni_nord = make_ambito("nord", 2, provincia="BO")
    sud, comuni_sud = make_ambito("sud", 1, provincia="FE")
    sub, comuni_sub = make_ambito("sud-ovest", 1, provincia="MO", parent=sud)
    nid_schede(comuni_nord, [(5, 10), (100, 1000)])  # 105 / 1010 = 10,40%
    nid_schede(comuni_sud + comuni_sub, [(60, 100), (40, 100)])  # 100 / 200 = 50%
    modello = ModelloScheda.objects.get(codice="NID26")
    modello.indicator_definition()
    with django_assert_max_num_queries(1):
        comparison = compare_ambiti([nord, sud], modello)
    r21 = indicator(comparison, "R21")
    assert [r.name for r in r21.rows] == ["Ambito nord", "Ambito sud"]  # nord lacks 228,3 → 229 places
    assert r21.rows[0].value == D(10500) / D(1010)
    assert r21.rows[0].targets[0].gap == 229
    assert r21.rows[1].value == 50
    assert r21.rows[1].schede == 2
    assert r21.rows[1].targets[0].gap == 0
    # totals: 205 / 1210 = 16,94% (the mean of the Ambiti would be 30,20%)
    assert r21.total.value == D(20500) / D(1210)
    assert r21.total.targets[0].gap == 195  # 33% of 1210 = 399,3 places, 205 there
    assert r21.gap_sums == [D(229)]
    # the sub-Ambito listed too: its Comune counts under it, never twice
    both = indicator(compare_ambiti([nord, sud, sub], modello), "R21")
    assert both.total.value == r21.total.value
    assert {r.name: r.schede for r in both.rows} == {"Ambito nord": 2, "Ambito sud": 1, "Ambito sud-ovest": 1}


@pytest.mark.django_db
def test_same_totals_as_the_overview(prova):
    """The comparison's totals are those of the schede overview (monitoring.indicators.ambito_indicators), a Comune
    with inhabitants and no social worker included in both."""
    ambito, comuni = prova
    soc_schede(comuni[3:], [(800, 0, 3, "1")])
    modello = ModelloScheda.objects.get(codice="SOC26")
    r01b = indicator(compare_comuni(ambito, modello, user_with_role("a", None)), "R01B")
    facts = list(Scheda.objects.filter(modello=modello, comune__ambito=ambito).values_list("indicatori", flat=True))
    (overview,) = [i for i in ambito_indicators(modello.indicator_definition(), facts) if i.code == "R01B"]
    assert (r01b.total.numerator, r01b.total.denominator) == (overview.numerator, overview.denominator) == (25801, 5)
    assert r01b.total.value == overview.value
    assert r01b.rows[0].name == comuni[0].nome  # A lacks 1,00 worker for 1:4.000
    (d,) = [r for r in r01b.rows if r.name == comuni[3].nome]
    assert d.value is None
    assert [t.gap for t in d.targets] == [D("0.16"), D("0.20")]
