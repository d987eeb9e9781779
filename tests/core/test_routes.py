"""core.routes.FilledUrl: a route reversed once, then filled in, gives the URLs reverse() gives."""

import pytest
from django.urls import reverse

from core.routes import FilledUrl


@pytest.mark.parametrize(
    ("name", "kwarg", "values"),
    [
        ("monitoring:scheda_detail", "pk", [1, 42, 987654320, 10**12]),
        ("planning:comune_detail", "codice_istat", ["015130", "035033", "999999"]),
        ("planning:ambito_detail", "slug", ["magentino", "scala-7896"]),
    ],
)
def test_the_filled_url_is_the_reversed_one(name, kwarg, values):
    url = FilledUrl(name, kwarg)
    assert [url(v) for v in values] == [reverse(name, kwargs={kwarg: v}) for v in values]


def test_the_value_is_escaped_for_an_html_attribute():
    url = FilledUrl("planning:comune_detail", "codice_istat")
    assert url('a"<b>') == reverse("planning:comune_detail", kwargs={"codice_istat": "x"}).replace(
        "x", "a&quot;&lt;b&gt;"
    )
