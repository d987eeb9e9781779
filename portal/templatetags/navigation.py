"""`{% page_trail "Titolo" as breadcrumbs %}`: the breadcrumb of a page without a view of its own (error pages,
password change, the report progress page): Home › <section of the URL, if the user can use it> › Titolo."""

from django import template

from accounts.sections import home_trail
from accounts.sections import page_trail as section_page_of

register = template.Library()


@register.simple_tag(takes_context=True)
def page_trail(context, label):
    request = context.get("request")
    return section_page_of(request, label) if request is not None else home_trail().then(label)
