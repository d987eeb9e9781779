"""The schede point to the Comuni of the territory app (same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0003_rilevazioni_trimestrali'),
        ('territory', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (the models keep their db_table): only Django's state moves.
            state_operations=[
                migrations.AlterField(
                    model_name='historicalscheda',
                    name='comune',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.comune', verbose_name='comune'),
                ),
                migrations.AlterField(
                    model_name='scheda',
                    name='comune',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='schede', to='territory.comune', verbose_name='comune'),
                ),
            ],
            database_operations=[],
        ),
    ]
