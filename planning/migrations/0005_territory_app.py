"""Ambito, Comune and Popolazione left planning for the territory app: the foreign keys follow, the tables stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0004_territory_app"),
        ("accounts", "0002_territory_app"),
        ('planning', '0004_piano_firme_ambito_logo'),
        ('territory', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (the models keep their db_table): only Django's state moves.
            state_operations=[
                migrations.AlterField(
                    model_name='historicaltabellaspesa',
                    name='ambito',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.RemoveField(
                    model_name='comune',
                    name='ambito',
                ),
                migrations.AlterField(
                    model_name='pianodizona',
                    name='ambito',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='piani', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='pianoperformance',
                    name='ambito',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='piani_performance', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='schedavalutazione',
                    name='sub_ambito',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='territory.ambito', verbose_name='sub-ambito'),
                ),
                migrations.AlterField(
                    model_name='historicalpianoperformance',
                    name='ambito',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='historicalpianodizona',
                    name='ambito',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='obiettivo',
                    name='sub_ambito',
                    field=models.ForeignKey(blank=True, help_text='Solo per gli obiettivi di un sub-ambito', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='territory.ambito', verbose_name='sub-ambito'),
                ),
                migrations.AlterField(
                    model_name='valorestampato',
                    name='ambito',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='valori_stampati', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='tabellaspesa',
                    name='ambito',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tabelle_spesa', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='historicalobiettivo',
                    name='sub_ambito',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='Solo per gli obiettivi di un sub-ambito', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.ambito', verbose_name='sub-ambito'),
                ),
                migrations.AlterField(
                    model_name='historicalattorerete',
                    name='ambito',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='attorerete',
                    name='ambito',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attori_rete', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='historicalvalorestampato',
                    name='ambito',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.ambito', verbose_name='ambito'),
                ),
                migrations.AlterField(
                    model_name='historicalschedavalutazione',
                    name='sub_ambito',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.ambito', verbose_name='sub-ambito'),
                ),
                migrations.AlterField(
                    model_name='historicalvalorestampato',
                    name='comune',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.comune', verbose_name='comune'),
                ),
                migrations.AlterField(
                    model_name='spesasociale',
                    name='comune',
                    field=models.ForeignKey(blank=True, help_text='Solo per la spesa di un singolo Comune', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='spese_sociali', to='territory.comune', verbose_name='comune'),
                ),
                migrations.AlterField(
                    model_name='valorestampato',
                    name='comune',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='territory.comune', verbose_name='comune'),
                ),
                migrations.RemoveField(
                    model_name='popolazione',
                    name='comune',
                ),
                migrations.AlterField(
                    model_name='historicalspesasociale',
                    name='comune',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='Solo per la spesa di un singolo Comune', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territory.comune', verbose_name='comune'),
                ),
                migrations.DeleteModel(
                    name='Ambito',
                ),
                migrations.DeleteModel(
                    name='Popolazione',
                ),
                migrations.DeleteModel(
                    name='Comune',
                ),
            ],
            database_operations=[],
        ),
    ]
