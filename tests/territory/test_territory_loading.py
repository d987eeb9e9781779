"""ISTAT list of Comuni and demo territory: counts, idempotency, exact seed figures."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum

from territory.models import Ambito, Comune, Popolazione
from territory.services import default_comuni_csv

pytestmark = pytest.mark.django_db


def packaged_codes() -> set[str]:
    text = default_comuni_csv().read_bytes().decode("iso-8859-1")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return {row[4] for row in rows[1:] if row}


def test_every_istat_comune_is_loaded():
    codes = packaged_codes()
    assert len(codes) > 7800
    assert set(Comune.objects.values_list("codice_istat", flat=True)) == codes
    magenta = Comune.objects.get(codice_istat="015130")
    assert (magenta.nome, magenta.sigla_provincia, magenta.regione) == ("Magenta", "MI", "Lombardia")


def test_load_comuni_is_idempotent_and_reports_counts():
    out = io.StringIO()
    call_command("load_comuni", stdout=out)
    assert "0 creati, 0 aggiornati" in out.getvalue()
    assert Comune.objects.count() == len(packaged_codes())


def test_load_comuni_from_file_updates_names(tmp_path):
    original = default_comuni_csv().read_bytes().decode("iso-8859-1")
    changed = original.replace(";Magenta;Magenta;", ";Magenta Nuova;Magenta Nuova;", 1)
    assert changed != original
    path = tmp_path / "Elenco-comuni-italiani.csv"
    path.write_bytes(changed.encode("iso-8859-1"))
    out = io.StringIO()
    call_command("load_comuni", str(path), stdout=out)
    assert "0 creati, 1 aggiornati" in out.getvalue()
    assert Comune.objects.get(codice_istat="015130").nome == "Magenta Nuova"


def test_load_comuni_rejects_bad_file_naming_line(tmp_path):
    original = default_comuni_csv().read_bytes().decode("iso-8859-1")
    lines = original.split("\r\n")
    lines[3] = lines[3].replace(lines[3].split(";")[4], "12A", 1)
    path = tmp_path / "rotto.csv"
    path.write_bytes("\r\n".join(lines).encode("iso-8859-1"))
    physical_line = "\r\n".join(lines[:3]).count("\n") + 2  # the header spans several physical lines
    before = Comune.objects.count()
    with pytest.raises(CommandError, match=rf"Riga {physical_line}, colonna «Codice Comune formato alfanumerico»"):
        call_command("load_comuni", str(path))
    assert Comune.objects.count() == before


def test_magentino_has_13_comuni_summing_to_seed_total():
    magentino = Ambito.objects.get(slug="magentino")
    assert magentino.comuni.count() == 13
    assert magentino.ente_capofila == "Comune di Magenta"
    assert (magentino.ats, magentino.asst) == ("ATS Città Metropolitana di Milano", "ASST Ovest Milanese")
    total_2024 = Popolazione.objects.filter(comune__ambito=magentino, anno=2024).aggregate(t=Sum("totale"))["t"]
    assert total_2024 == 131668


def test_magentino_facts_stored_as_printed_including_the_2023_discrepancy():
    magentino = Ambito.objects.get(slug="magentino")
    # The seed prints 130.711 for 2023, but its rows sum to 130.719: the facts are kept, not "fixed".
    total_2023 = Popolazione.objects.filter(comune__ambito=magentino, anno=2023).aggregate(t=Sum("totale"))["t"]
    assert total_2023 == 130719
    sedriano = Popolazione.objects.get(comune__nome="Sedriano", comune__sigla_provincia="MI", anno=2024)
    assert (sedriano.totale, sedriano.stranieri, sedriano.eta_65_oltre, sedriano.eta_0_17) == (12850, 1459, 2644, 2178)
    boffalora = Popolazione.objects.get(comune__codice_istat="015026", anno=2015)
    assert boffalora.comune.nome == "Boffalora sopra Ticino"
    assert (boffalora.totale, boffalora.stranieri, boffalora.eta_65_oltre, boffalora.eta_0_17) == (4159, 229, 943, 661)
    sums = Popolazione.objects.filter(comune__ambito=magentino, anno=2024).aggregate(
        s=Sum("stranieri"), o=Sum("eta_65_oltre"), m=Sum("eta_0_17")
    )
    assert sums == {"s": 12191, "o": 30683, "m": 21035}


def test_oglio_po_sub_ambiti_and_population_by_sex():
    oglio_po = Ambito.objects.get(slug="oglio-po")
    casalasco, viadanese = Ambito.objects.get(slug="casalasco"), Ambito.objects.get(slug="viadanese")
    assert casalasco.parent == viadanese.parent == oglio_po
    assert casalasco.comuni.count() == 17
    assert viadanese.comuni.count() == 10
    facts = Popolazione.objects.filter(comune__ambito__parent=oglio_po)
    assert facts.filter(anno=2021).aggregate(m=Sum("maschi"), f=Sum("femmine"), t=Sum("totale")) == {
        "m": 40823,
        "f": 41158,
        "t": 81981,
    }
    # The seed prints 41.316 females for 2020; the rows sum to 41.709 (kept as printed per Comune).
    assert facts.filter(anno=2020).aggregate(f=Sum("femmine"), t=Sum("totale")) == {"f": 41709, "t": 83025}
    viadana = Popolazione.objects.get(comune__nome="Viadana", anno=2021)
    assert (viadana.maschi, viadana.femmine, viadana.totale) == (9745, 9802, 19547)


def test_reggio_emilia_population_and_nursery_ages():
    reggio = Comune.objects.get(codice_istat="035033")
    assert reggio.ambito.slug == "reggio-emilia"
    fact = Popolazione.objects.get(comune=reggio, anno=2024)
    assert (fact.totale, fact.eta_0, fact.eta_1, fact.eta_2) == (172284, 1230, 1215, 1337)
    assert fact.data_riferimento.isoformat() == "2024-12-31"


def test_load_demo_twice_does_not_duplicate(capsys):
    counts = (Ambito.objects.count(), Comune.objects.count(), Popolazione.objects.count())
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "udp.magentino" in out
    assert "operatore.magenta" in out
    assert "dirigente.magentino" in out
    assert (Ambito.objects.count(), Comune.objects.count(), Popolazione.objects.count()) == counts

    assert get_user_model().objects.filter(username="udp.magentino").count() == 1
    assert get_user_model().objects.get(username="udp.magentino").assegnazioni.count() == 1
