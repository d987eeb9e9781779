"""Templates marked {# compatto #} lose their indentation and the lines of their tags when loaded
(core.template_loaders); what a variable brings, a user's text included, is sent as it is."""

import re

import pytest
from django.template import engines
from django.urls import reverse

from core.template_loaders import MARK, compact
from monitoring.models import ValoreCella
from tests.schede_helpers import entry_post, magenta_nid


def test_a_marked_source_loses_its_indentation_and_the_line_breaks_of_its_tag_lines():
    source = (
        MARK + "{% comment %}Note\n  on two lines{% endcomment %}\n<ul>\n  {% for x in xs %}\n    <li>{{ x }}</li>\n"
    )
    source += "  {% endfor %}\n</ul>\n"
    assert compact(source) == "<ul>\n{% for x in xs %}<li>{{ x }}</li>\n{% endfor %}</ul>"


def test_a_line_of_text_keeps_its_line_break_and_an_unmarked_source_is_unchanged():
    source = "  <p>una\n    {% if a %}due{% endif %}\n  tre</p>\n"
    assert compact(MARK + source) == "<p>una\n{% if a %}due{% endif %}\ntre</p>"
    assert compact(source) == source


def test_a_marked_template_renders_without_indentation_and_keeps_a_variable_as_it_is():
    text = "  rientro\n\n    e righe vuote  "
    template = engines["django"].from_string(
        "<form>\n  {% if show %}\n    <textarea>{{ text }}</textarea>\n  {% endif %}\n</form>"
    )
    assert template.render({"show": True, "text": text}) == (
        f"<form>\n  \n    <textarea>{text}</textarea>\n  \n</form>"
    )  # from_string does not go through the loaders: the mark only acts when a file is loaded
    assert compact(MARK + template.template.source) == (
        "<form>\n{% if show %}<textarea>{{ text }}</textarea>\n{% endif %}</form>"
    )


@pytest.mark.django_db
def test_the_quadro_page_sends_no_indentation_and_a_comment_exactly_as_typed(client_for, udp_user):
    scheda = magenta_nid()
    comment = "  Prima riga rientrata\n\n    terza riga, dopo una vuota"
    client = client_for(udp_user)
    url = reverse("monitoring:quadro", args=[scheda.pk, 1])
    post = entry_post(scheda, {})
    post["c-R01-N25"] = comment
    assert client.post(url, post).status_code == 302
    assert ValoreCella.objects.get(scheda=scheda, riga="R01", colonna="N25").commento == comment.strip()
    valore = ValoreCella.objects.get(scheda=scheda, riga="R01", colonna="N25")
    valore.commento = comment  # as stored by an import: the page strips what it posts
    valore.save()  # versioned: the page's cache moves on
    page = client.get(url).content.decode()
    grid = page[page.index('<table class="table table-sm align-middle scheda-grid">') : page.rindex("</table>")]
    grid = grid.replace(comment, "COMMENTO")
    assert not re.search(r"\n[ \t]+", grid)  # no indented line in the grid
    assert (
        f'<textarea name="c-R01-N25" id="c-R01-N25" rows="2" class="form-control form-control-sm">{comment}</textarea>'
        in page
    )
