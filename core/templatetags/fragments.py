"""`{% cached_chrome "name" value1 value2 … %}…{% endcached_chrome %}`: a part of a page (the header, the footer)
rendered once for each combination of the values it is made of, then served from the cache (core.fragments).

The values must be everything the part shows (the user's name, the menu entries with their active flag, the header's
line…): equal values give the same HTML, so two users share a part only when it is the same for both. The CSRF
token is the one thing of the request inside: the part is rendered with a placeholder token, and each request puts
its own token in its place, so a cached part never carries another visitor's token.
"""

from __future__ import annotations

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe

from core.fragments import cached_fragment

register = template.Library()

PLACEHOLDER = "csrf-segnaposto-del-frammento"


class CachedChromeNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, values: list) -> None:
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context: template.Context) -> SafeString:
        parts = [value.resolve(context) for value in self.values]

        def render() -> str:
            with context.push(csrf_token=PLACEHOLDER):
                return self.nodelist.render(context)

        html = cached_fragment(f"parte:{self.name}", parts, render)
        with context.push(csrf_token=PLACEHOLDER):
            placeholder = CsrfTokenNode().render(context)
        return mark_safe(html.replace(placeholder, CsrfTokenNode().render(context)))  # both escaped by format_html


@register.tag
def cached_chrome(parser: template.base.Parser, token: template.base.Token) -> CachedChromeNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cached_chrome vuole il nome della parte")
    nodelist = parser.parse(("endcached_chrome",))
    parser.delete_first_token()
    name = template.Variable(bits[1]).resolve({})  # a quoted literal
    return CachedChromeNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
