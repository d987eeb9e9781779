"""The codice fiscale of a user (accounts.Profilo): validation in Italian, the admin inline, the demo users."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import codice_fiscale, demo
from accounts.demo import DEMO_CODICI_FISCALI, DEMO_USERS
from accounts.forms import ProfiloForm
from accounts.models import Profilo, Ruolo
from tests.factories import UserFactory, user_with_role


@pytest.mark.parametrize("code", ["RSSMRA85T10A562S", "RSSMRA85T10A56NH", "PRTMGN85D50E801E"])
def test_valid_codes_including_omocodia(code):
    assert codice_fiscale.problem(code) is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("RSSMRA85T10A562", "deve avere 16 caratteri: ne ha 15"),
        ("rssmra85t10a562s", "va scritto in maiuscolo"),
        ("RSSMRA85Z10A562S", "non ha la forma prevista"),  # Z is no month
        ("1SSMRA85T10A562S", "non ha la forma prevista"),
        ("RSSMRA85T10A562T", "Il carattere di controllo (16°) è «T»: per questo codice dovrebbe essere «S»"),
    ],
)
def test_invalid_codes_say_what_is_wrong(code, message):
    assert message in codice_fiscale.problem(code)


def test_normalize_removes_spid_prefix_spaces_and_case():
    assert codice_fiscale.normalize(" tinit-rssmra85t10a562s ") == "RSSMRA85T10A562S"
    assert codice_fiscale.normalize("RSS MRA 85T10 A562S") == "RSSMRA85T10A562S"


@pytest.mark.django_db
def test_model_refuses_invalid_code_with_italian_message():
    profilo = Profilo(user=UserFactory(), codice_fiscale="RSSMRA85T10A562T")
    with pytest.raises(ValidationError) as error:
        profilo.full_clean()
    assert "carattere di controllo" in str(error.value.message_dict["codice_fiscale"])


@pytest.mark.django_db
def test_form_accepts_lowercase_and_refuses_duplicate():
    form = ProfiloForm(data={"codice_fiscale": "rssmra85t10a562s"}, instance=Profilo(user=UserFactory()))
    assert form.is_valid(), form.errors
    form.save()
    assert Profilo.objects.get().codice_fiscale == "RSSMRA85T10A562S"
    other = ProfiloForm(data={"codice_fiscale": "RSSMRA85T10A562S"}, instance=Profilo(user=UserFactory()))
    assert not other.is_valid()
    assert other.errors["codice_fiscale"] == ["Questo codice fiscale è già associato a un altro utente."]


@pytest.mark.django_db
def test_admin_sets_codice_fiscale_on_the_user_page(client, admin_user):
    user = UserFactory(username="nuovo.operatore")
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = client.get(url).content.decode()
    assert "Codice fiscale (accesso con SPID e CIE)" in page
    data = {
        "username": user.username,
        "is_active": "on",
        "date_joined_0": "01/12/2026",
        "date_joined_1": "08:00:00",
        "profilo-TOTAL_FORMS": "1",
        "profilo-INITIAL_FORMS": "0",
        "profilo-0-codice_fiscale": "prtrgg88m22h223p",
        "assegnazioni-TOTAL_FORMS": "0",
        "assegnazioni-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Profilo.objects.get(user=user).codice_fiscale == "PRTRGG88M22H223P"
    data["profilo-0-codice_fiscale"] = "PRTRGG88M22H223Q"
    data["profilo-INITIAL_FORMS"] = "1"
    data["profilo-0-id"] = str(user.profilo.pk)
    data["profilo-0-user"] = str(user.pk)
    page = client.post(url, data).content.decode()
    assert "per questo codice dovrebbe essere «P»" in page


@pytest.mark.django_db
def test_admin_lists_show_codice_fiscale(client, admin_user, magenta, django_assert_max_num_queries):
    for n in range(5):
        user = user_with_role(f"op-{n}", Ruolo.OPERATORE, comune=magenta)
        base = f"PRTMGN85D5{n}E801"
        Profilo.objects.create(user=user, codice_fiscale=base + codice_fiscale.check_character(base))
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        users = client.get(reverse("admin:auth_user_changelist")).content.decode()
    with django_assert_max_num_queries(12):
        assegnazioni = client.get(reverse("admin:accounts_assegnazione_changelist")).content.decode()
    assert "PRTMGN85D50E801E" in users
    assert "PRTMGN85D50E801E" in assegnazioni
    found = client.get(reverse("admin:auth_user_changelist"), {"q": "PRTMGN85D50E801E"}).content.decode()
    assert "op-0" in found
    assert "op-1" not in found


def test_demo_users_have_valid_distinct_codici_fiscali():
    assert set(DEMO_CODICI_FISCALI) == {username for username, *_ in DEMO_USERS}
    assert len(set(DEMO_CODICI_FISCALI.values())) == len(DEMO_CODICI_FISCALI)
    for code in DEMO_CODICI_FISCALI.values():
        assert codice_fiscale.problem(code) is None, code


@pytest.mark.django_db
def test_demo_users_load_gives_each_its_codice_fiscale_again_and_again(monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / "credenziali.json")
    demo.demo_users_load()
    demo.demo_users_load()  # rerun by `make run`: nothing duplicated
    found = dict(
        Profilo.objects.filter(user__username__in=DEMO_CODICI_FISCALI).values_list("user__username", "codice_fiscale")
    )
    assert found == DEMO_CODICI_FISCALI
