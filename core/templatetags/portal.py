"""Template filters for Italian numbers: {{ value|it_num:2 }} and {{ value|it_pct }}."""

from django import template

from core.formatting import it_number, it_percent

register = template.Library()


@register.filter
def it_num(value, decimals=0):
    return it_number(value, int(decimals))


@register.filter
def it_pct(value, decimals=1):
    return it_percent(value, int(decimals))


@register.filter
def markdown(value):
    """{{ text|markdown }}: Markdown rendered to sanitised HTML (see core.markdown)."""
    from core.markdown import render_markdown

    return render_markdown(value)
