"""The free-text Regione of the Ambiti, replaced by the link to a Regione in 0003 (its own transaction on PostgreSQL)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0003_regione"),
    ]

    operations = [
        migrations.RemoveField(model_name="ambito", name="regione_testo"),
    ]
