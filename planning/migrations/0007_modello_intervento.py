"""The template of an intervention card is `ModelloIntervento`, distinct from monitoring's `ModelloScheda` (the
template of a SOSE scheda): the model, its history and their tables are renamed, the rows stay."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("planning", "0006_capitolo_tipo"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="HistoricalModelloScheda", new_name="HistoricalModelloIntervento"),
        migrations.RenameModel(old_name="ModelloScheda", new_name="ModelloIntervento"),
        migrations.AlterModelOptions(
            name="historicalmodellointervento",
            options={
                "get_latest_by": ("history_date", "history_id"),
                "ordering": ("-history_date", "-history_id"),
                "verbose_name": "storico modello di scheda intervento",
                "verbose_name_plural": "historical modelli di scheda intervento",
            },
        ),
        migrations.AlterModelOptions(
            name="modellointervento",
            options={
                "ordering": ["codice"],
                "verbose_name": "modello di scheda intervento",
                "verbose_name_plural": "modelli di scheda intervento",
            },
        ),
    ]
