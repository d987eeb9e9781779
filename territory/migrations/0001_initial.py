"""Ambito, Comune and Popolazione moved here from planning, keeping their tables (planning_ambito, ...) and rows."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


MODELS = ("ambito", "comune", "popolazione")


def _relabel(apps, old: str, new: str) -> None:
    """Keep the content types (and so permissions, admin log entries, history) of the moved models."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "planning", "territory")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "territory", "planning")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("planning", "0004_piano_firme_ambito_logo"),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (the models keep their db_table): only Django's state moves.
            state_operations=[
                migrations.CreateModel(
                    name='Ambito',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('nome', models.CharField(max_length=200, verbose_name='nome')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                        ('codice', models.CharField(max_length=30, unique=True, verbose_name='codice')),
                        ('ente_capofila', models.CharField(blank=True, max_length=200, verbose_name='ente capofila')),
                        ('ats', models.CharField(blank=True, help_text='Agenzia di tutela della salute', max_length=200, verbose_name='ATS / ASL')),
                        ('asst', models.CharField(blank=True, max_length=200, verbose_name='ASST / distretto sanitario')),
                        ('regione', models.CharField(blank=True, max_length=80, verbose_name='regione')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('logo', models.ImageField(blank=True, help_text='Immagine PNG o JPEG; compare sulla copertina del Piano di Zona in PDF', upload_to='ambiti/loghi/', validators=[django.core.validators.FileExtensionValidator(['png', 'jpg', 'jpeg'])], verbose_name='logo')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sub_ambiti', to='territory.ambito', verbose_name='ambito superiore')),
                    ],
                    options={
                        'verbose_name': 'ambito territoriale',
                        'verbose_name_plural': 'ambiti territoriali',
                        'db_table': 'planning_ambito',
                        'ordering': ['nome'],
                    },
                ),
                migrations.CreateModel(
                    name='Comune',
                    fields=[
                        ('codice_istat', models.CharField(max_length=6, primary_key=True, serialize=False, verbose_name='codice ISTAT')),
                        ('nome', models.CharField(db_index=True, max_length=200, verbose_name='denominazione')),
                        ('codice_provincia', models.CharField(blank=True, max_length=3, verbose_name='codice provincia')),
                        ('sigla_provincia', models.CharField(blank=True, db_index=True, max_length=2, verbose_name='sigla provincia')),
                        ('codice_regione', models.CharField(blank=True, max_length=2, verbose_name='codice regione')),
                        ('regione', models.CharField(blank=True, max_length=80, verbose_name='regione')),
                        ('ambito', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='comuni', to='territory.ambito', verbose_name='ambito')),
                    ],
                    options={
                        'verbose_name': 'comune',
                        'verbose_name_plural': 'comuni',
                        'db_table': 'planning_comune',
                        'ordering': ['nome'],
                    },
                ),
                migrations.CreateModel(
                    name='Popolazione',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('anno', models.PositiveSmallIntegerField(verbose_name='anno')),
                        ('data_riferimento', models.DateField(blank=True, null=True, verbose_name='data di riferimento')),
                        ('totale', models.PositiveIntegerField(blank=True, null=True, verbose_name='totale residenti')),
                        ('maschi', models.PositiveIntegerField(blank=True, null=True, verbose_name='maschi')),
                        ('femmine', models.PositiveIntegerField(blank=True, null=True, verbose_name='femmine')),
                        ('stranieri', models.PositiveIntegerField(blank=True, null=True, verbose_name='residenti stranieri')),
                        ('eta_0_14', models.PositiveIntegerField(blank=True, null=True, verbose_name='0-14 anni')),
                        ('eta_0_17', models.PositiveIntegerField(blank=True, null=True, verbose_name='0-17 anni')),
                        ('eta_65_oltre', models.PositiveIntegerField(blank=True, null=True, verbose_name='65 anni e oltre')),
                        ('eta_0', models.PositiveIntegerField(blank=True, null=True, verbose_name='età 0')),
                        ('eta_1', models.PositiveIntegerField(blank=True, null=True, verbose_name='età 1')),
                        ('eta_2', models.PositiveIntegerField(blank=True, null=True, verbose_name='età 2')),
                        ('fonte', models.CharField(blank=True, max_length=300, verbose_name='fonte')),
                        ('comune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='popolazioni', to='territory.comune', verbose_name='comune')),
                    ],
                    options={
                        'verbose_name': 'popolazione',
                        'verbose_name_plural': 'popolazione per anno',
                        'db_table': 'planning_popolazione',
                        'ordering': ['comune_id', 'anno'],
                        'indexes': [models.Index(fields=['anno', 'comune'], name='planning_po_anno_4b9606_idx')],
                        'constraints': [models.UniqueConstraint(fields=('comune', 'anno'), name='popolazione_unica_comune_anno')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
