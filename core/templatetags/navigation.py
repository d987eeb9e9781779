"""`{% page_trail "Titolo" as breadcrumbs %}`: the breadcrumb of a page without a view of its own (error pages,
password change, the report progress page): Home › <section of the URL, if the user can use it> › Titolo."""

from django import template

from core import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def page_trail(context, label):
    request = context.get("request")
    return navigation.page_trail(request, label) if request is not None else navigation.home_trail().then(label)
