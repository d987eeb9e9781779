"""Template filters of the evaluation, context and performance pages: {{ value|pct_compatta }} → «75,0%», «58,3%»."""

from django import template

from planning.valutazione.rules import percentuale_compatta

register = template.Library()


@register.filter
def pct_compatta(value):
    return percentuale_compatta(value)
