"""The header and the footer of every page are cached by what they show (core.templatetags.fragments): each user
sees their own name and menu, every request its own CSRF token, and a change shows on the next request."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Ruolo
from core.templatetags.fragments import PLACEHOLDER
from territory.models import Regione
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


def logged_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def header(page: str) -> str:
    return page.split('<header class="it-header-wrapper">')[1].split("</header>")[0]


def menu_sections(page: str) -> list[str]:
    return re.findall(r'data-section="([^"]+)"', header(page))


def test_each_user_sees_their_own_name_and_menu(udp_user, operatore_user):
    udp_user.first_name, udp_user.last_name = "Ada", "Uffici"
    udp_user.save()
    operatore_user.first_name, operatore_user.last_name = "Otto", "Comune"
    operatore_user.save()
    for _ in range(2):  # the second time from the cache
        udp_page = logged_in(udp_user).get(HOME).content.decode()
        operatore_page = logged_in(operatore_user).get(HOME).content.decode()
        assert "Ada Uffici" in header(udp_page)
        assert "Otto Comune" not in header(udp_page)
        assert "Otto Comune" in header(operatore_page)
        assert "Ada Uffici" not in header(operatore_page)
        assert "territorio" in menu_sections(udp_page)
        assert "territorio" not in menu_sections(operatore_page)


def test_the_active_section_and_the_header_line_follow_the_page(client_for, udp_user):
    client = client_for(udp_user)
    client.get(HOME)
    page = client.get(reverse("planning:ambito_list")).content.decode()
    assert re.search(r'class="nav-link active" href="[^"]+" aria-current="page" data-section="territorio"', page)
    assert 'aria-current="page" data-section="home"' not in page


def test_a_changed_name_shows_on_the_next_request(client_for, udp_user):
    client = client_for(udp_user)
    client.get(HOME)
    udp_user.first_name, udp_user.last_name = "Nuovo", "Nome"
    udp_user.save()
    assert "Nuovo Nome" in header(client.get(HOME).content.decode())


def test_every_request_carries_its_own_csrf_token_and_logout_works(udp_user):
    tokens = []
    for _ in range(2):  # two browsers of the same user: the second header comes from the cache
        client = logged_in(udp_user)
        page = client.get(HOME).content.decode()
        assert PLACEHOLDER not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header(page))[1]
        tokens.append(token)
        response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302  # the token matches this browser's CSRF cookie
        assert client.get(HOME).status_code == 302  # logged out
    assert tokens[0] != tokens[1]


def test_a_regione_user_has_its_own_header_line(udp_user):
    regione = user_with_role("regione-lombardia", Ruolo.REGIONE, regione=Regione.objects.get(nome="Lombardia"))
    assert "Regione Lombardia" in header(logged_in(regione).get(HOME).content.decode())
    assert "Regione Lombardia" not in header(logged_in(udp_user).get(HOME).content.decode())
