"""Two people editing the same page at once, each in a browser session of their own (core.optimistic).

Each edit page of the plan is described by an :class:`EditPage` (URL, form id, two fields and the values typed);
the scenarios below are the same for every page, so each app's tests are a table plus three short tests:

- different fields: A changes X and saves, B changes Y on its stale page and saves: both are stored;
- same field: B gets 409 with both values in the conflict box and nothing of B's is saved; B's page keeps B's
  own changes, cannot be saved without a choice, and saves after choosing "altro" (A's value) or "mio" (B's);
- outsiders (another Ambito, read-only roles) still get 404 on the page and on the post.

A test module lists its pages in a class based on :class:`SameTimeEdits`, which runs the three scenarios on each
page. Pages are read with tests.html_forms.form_fields and posted exactly as a browser would post them.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.http import HttpResponse
from django.test import Client

from core.numbers import format_it, parse_decimal
from tests.html_forms import form_fields


def sessions(*users) -> list[Client]:
    """One test client per user, each logged in with a session of its own (`client_for` shares one client)."""
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def load(client: Client, url: str, form_id: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_fields(response.content.decode(), form_id)


def load_both(first: Client, second: Client, url: str, form_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """The same page as the two users see it before either saves."""
    return load(first, url, form_id), load(second, url, form_id)


def open_both(pair: list[Client], url: str, form_id: str) -> tuple[Client, Client, dict[str, str], dict[str, str]]:
    """The two sessions of `pair` load the same form: (first, second, first's fields, second's fields)."""
    first, second = pair
    return first, second, *load_both(first, second, url, form_id)


def second_save_conflicts(
    first: Client, second: Client, url: str, page_a: dict[str, str], page_b: dict[str, str]
) -> HttpResponse:
    """A saves (302), then B saves its stale page and gets the conflict page (409), which is returned."""
    assert first.post(url, page_a).status_code == 302
    response = second.post(url, page_b)
    assert response.status_code == 409, f"no conflict page: {response.status_code}"
    return response


def choose_and_save(client: Client, url: str, conflict: HttpResponse, form_id: str, field: str, choice: str) -> None:
    """On its conflict page the user picks `choice` ("altro" or "mio") for `field` and saves: 302."""
    again = form_fields(conflict.content.decode(), form_id)
    again[field] = choice
    response = client.post(url, again)
    assert response.status_code == 302, response.content.decode()[:3000]


def conflict_box(html: str) -> str:
    """The text of the conflict box (templates/core/_conflitti.html), entities decoded."""
    assert 'data-testid="conflitto"' in html, "no conflict box in the page"
    return html_lib.unescape(html.split('data-testid="conflitto"')[1].split("</fieldset>")[0])


def choice_name(name: str) -> str:
    """`titolo` → `_scelta-titolo`; a formset row's `azioni-0-nota` → `azioni-0-_scelta-nota`."""
    prefix, _sep, field_name = name.rpartition("-")
    return f"{prefix}-_scelta-{field_name}" if prefix else f"_scelta-{field_name}"


def _same(value: str) -> str:
    return value


def amount_shown(typed: str) -> str:
    """How an amount typed as '130,5' reads back in the form after saving: '130,50' (two decimals, thousands dots)."""
    return format_it(parse_decimal(typed), 2)


@dataclass(frozen=True)
class EditPage:
    """An edit page and what the two users type in it.

    `x` is the field both users may change (A types `x_a`, B types `x_b`); `y` is a field only B changes
    (to `y_b`). `shown` turns a typed value into the one the form shows after saving (amounts: '130,5' →
    '130,50', amount_shown); `boxed` into the one the conflict box shows.
    """

    name: str
    url: Callable[[], str]
    form: str
    x: str
    x_a: str
    x_b: str
    y: str
    y_b: str
    shown: Callable[[str], str] = field(default=_same)
    boxed: Callable[[str], str] = field(default=_same)

    def __str__(self) -> str:
        return self.name


def different_fields_are_both_kept(page: EditPage, first: Client, second: Client) -> None:
    url = page.url()
    page_a, page_b = load_both(first, second, url, page.form)
    assert page_a[page.x] != page.x_a, "the test values must be changes"
    assert page_b[page.y] != page.y_b, "the test values must be changes"

    page_a[page.x] = page.x_a
    response = first.post(url, page_a)
    assert response.status_code == 302, response.content.decode()[:3000]

    page_b[page.y] = page.y_b  # B's page still shows the old value of X
    response = second.post(url, page_b)
    assert response.status_code == 302, response.content.decode()[:3000]

    stored = load(first, url, page.form)
    assert stored[page.x] == page.shown(page.x_a), f"A's change to {page.x} was lost: {stored[page.x]!r}"
    assert stored[page.y] == page.shown(page.y_b), f"B's change to {page.y} was lost: {stored[page.y]!r}"


def same_field_is_a_choice(page: EditPage, first: Client, second: Client, choice: str) -> None:
    url = page.url()
    page_a, page_b = load_both(first, second, url, page.form)
    y_before = page_b[page.y]
    page_a[page.x] = page.x_a
    assert first.post(url, page_a).status_code == 302

    page_b[page.x] = page.x_b
    page_b[page.y] = page.y_b
    response = second.post(url, page_b)
    assert response.status_code == 409, f"no conflict page: {response.status_code}"
    html = response.content.decode()
    box = conflict_box(html)
    assert page.boxed(page.x_a) in box
    assert page.boxed(page.x_b) in box
    assert f'name="{choice_name(page.x)}"' in box

    stored = load(first, url, page.form)
    assert stored[page.x] == page.shown(page.x_a)
    assert stored[page.y] == y_before

    again = form_fields(html, page.form)  # B's page keeps B's own changes, as typed
    assert again[page.x] == page.x_b
    assert again[page.y] == page.y_b
    assert second.post(url, again).status_code == 409  # not without a choice
    assert load(first, url, page.form)[page.x] == page.shown(page.x_a)

    again[choice_name(page.x)] = choice
    response = second.post(url, again)
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = load(first, url, page.form)
    assert stored[page.x] == page.shown(page.x_a if choice == "altro" else page.x_b)
    assert stored[page.y] == page.shown(page.y_b)


def outsiders_get_404(page: EditPage, insider: Client, outsiders: list[Client]) -> None:
    url = page.url()
    loaded = load(insider, url, page.form)
    before = dict(loaded)
    loaded[page.x] = page.x_a
    for outsider in outsiders:
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, loaded).status_code == 404
    stored = load(insider, url, page.form)
    assert stored[page.x] == before[page.x]


class SameTimeEdits:
    """The three scenarios above on every page of `pages`, as pytest tests.

    A test module subclasses it as `Test...` and sets `pages`; the writers are two members of the Ufficio di Piano
    and the outsiders a member of another Ambito and a dirigente, unless the subclass overrides the `writers` and
    `outsiders` fixtures.
    """

    pages: list[EditPage]

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "edit_page" in metafunc.fixturenames:
            metafunc.parametrize("edit_page", self.pages, ids=str)

    @pytest.fixture
    def writers(self, two_udp: list[Client]) -> list[Client]:
        return two_udp

    @pytest.fixture
    def outsiders(self, udp_oglio, dirigente_user) -> list[Client]:
        return sessions(udp_oglio, dirigente_user)

    def test_changes_to_different_fields_are_both_kept(self, writers: list[Client], edit_page: EditPage) -> None:
        different_fields_are_both_kept(edit_page, *writers)

    @pytest.mark.parametrize("choice", ["altro", "mio"])
    def test_same_field_changed_by_both_is_chosen_and_nothing_is_lost(
        self, writers: list[Client], edit_page: EditPage, choice: str
    ) -> None:
        same_field_is_a_choice(edit_page, *writers, choice)

    def test_outsiders_still_get_404(self, writers: list[Client], outsiders: list[Client], edit_page: EditPage) -> None:
        outsiders_get_404(edit_page, writers[0], outsiders)
