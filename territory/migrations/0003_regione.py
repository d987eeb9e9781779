"""The Regioni as rows (the 20 ISTAT Regioni) and Ambito.regione from a free text to a link to one of them.

An Ambito's text that names no Regione is not lost: it is kept in the Ambito's notes, and the link stays empty.
"""

import django.db.models.deletion
from django.db import migrations, models

REGIONI = {
    "01": "Piemonte",
    "02": "Valle d'Aosta/Vallée d'Aoste",
    "03": "Lombardia",
    "04": "Trentino-Alto Adige/Südtirol",
    "05": "Veneto",
    "06": "Friuli-Venezia Giulia",
    "07": "Liguria",
    "08": "Emilia-Romagna",
    "09": "Toscana",
    "10": "Umbria",
    "11": "Marche",
    "12": "Lazio",
    "13": "Abruzzo",
    "14": "Molise",
    "15": "Campania",
    "16": "Puglia",
    "17": "Basilicata",
    "18": "Calabria",
    "19": "Sicilia",
    "20": "Sardegna",
}
UNMATCHED = "Regione indicata in precedenza (non riconosciuta): "


def _key(name):
    return name.split("/")[0].strip().casefold().replace("-", " ").replace("'", " ")


def forward(apps, schema_editor):
    Regione = apps.get_model("territory", "Regione")
    Ambito = apps.get_model("territory", "Ambito")
    by_key = {}
    for codice, nome in REGIONI.items():
        by_key[_key(nome)] = Regione.objects.get_or_create(codice=codice, defaults={"nome": nome})[0]
    for ambito in Ambito.objects.exclude(regione_testo=""):
        regione = by_key.get(_key(ambito.regione_testo))
        if regione is not None:
            ambito.regione = regione
        else:
            ambito.note = (ambito.note + "\n" if ambito.note else "") + UNMATCHED + ambito.regione_testo
        ambito.save(update_fields=["regione", "note"])


def backward(apps, schema_editor):
    Ambito = apps.get_model("territory", "Ambito")
    for ambito in Ambito.objects.select_related("regione"):
        lines = ambito.note.split("\n") if ambito.note else []
        kept = [line for line in lines if not line.startswith(UNMATCHED)]
        old = [line[len(UNMATCHED) :] for line in lines if line.startswith(UNMATCHED)]
        ambito.regione_testo = ambito.regione.nome if ambito.regione else (old[0] if old else "")
        ambito.note = "\n".join(kept)
        ambito.save(update_fields=["regione_testo", "note"])


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0002_versione_dati"),
    ]

    operations = [
        migrations.CreateModel(
            name="Regione",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("codice", models.CharField(max_length=2, unique=True, verbose_name="codice ISTAT")),
                ("nome", models.CharField(max_length=80, unique=True, verbose_name="denominazione")),
            ],
            options={
                "verbose_name": "regione",
                "verbose_name_plural": "regioni",
                "ordering": ["codice"],
            },
        ),
        migrations.RenameField(model_name="ambito", old_name="regione", new_name="regione_testo"),
        migrations.AddField(
            model_name="ambito",
            name="regione",
            field=models.ForeignKey(
                blank=True,
                help_text="La Regione che approva le campagne SOSE dell'Ambito e lo vede nel quadro regionale",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ambiti",
                to="territory.regione",
                verbose_name="regione",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
