"""A typed kind of chapter at most once per plan, kept by the database too (concurrent saves, the admin)."""

import pytest
from django.db import IntegrityError, transaction

from planning.models import Capitolo, TipoCapitolo

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_chapter_of_a_typed_kind(piano):
    assert piano.capitoli.filter(tipo=TipoCapitolo.MONITORAGGIO).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Capitolo.objects.create(piano=piano, titolo="Verifica bis", tipo=TipoCapitolo.MONITORAGGIO)


def test_free_text_chapters_any_number_of_times(piano):
    Capitolo.objects.create(piano=piano, titolo="Allegato A", tipo=TipoCapitolo.LIBERO)
    Capitolo.objects.create(piano=piano, titolo="Allegato B", tipo=TipoCapitolo.LIBERO)
    assert piano.capitoli.filter(titolo__startswith="Allegato").count() == 2
