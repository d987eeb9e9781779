"""The assignments point to the Ambiti and Comuni of the territory app (same tables)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('territory', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (the models keep their db_table): only Django's state moves.
            state_operations=[
                migrations.AlterField(
                    model_name='assegnazione',
                    name='ambito',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='assegnazione',
                    name='comune',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='territory.comune', verbose_name='comune'),
                ),
            ],
            database_operations=[],
        ),
    ]
