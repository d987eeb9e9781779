"""Shared form pieces: Italian number inputs and the portal's base forms and filterset (Bootstrap Italia look)."""

from __future__ import annotations

import operator
from decimal import Decimal
from functools import reduce
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.boundfield import BoundField
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.numbers import NumberParseError, format_it, parse_decimal


class ItalianNumberInput(forms.TextInput):
    """A text input that shows a stored number the Italian way, with its decimals (1.234,56, not 1234.56), as
    ItalianDecimalField reads it back; what the user typed (a bound form) is shown as it is."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            exponent = Decimal(value).as_tuple().exponent
            decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            return format_it(Decimal(value), decimals)
        return super().format_value(value)


class ItalianDecimalField(forms.DecimalField):
    """A number typed as 1234,56, 1.234,56 or 1234.56; anything else (1.2.3, 12,3,4) is refused, never guessed.

    Django's localized DecimalField strips every '.' and would read «1.2.3» as 123: this field uses the
    portal's parser instead (core.numbers.parse_decimal), the same one the schede use.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", ItalianNumberInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # the stubs give IntegerField's
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float):
            return super().to_python(value)
        try:
            return parse_decimal(str(value))
        except NumberParseError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


def optional_amount(label: str | Promise) -> ItalianDecimalField:
    """An optional number of up to 14 digits with 2 decimals: a target, a value reached or observed."""
    return ItalianDecimalField(label=label, required=False, max_digits=14, decimal_places=2)


class ItalianNumberFilter(django_filters.NumberFilter):
    field_class = ItalianDecimalField


#: Widgets that keep their own look: check boxes, radio buttons and hidden inputs get no Bootstrap Italia class.
UNSTYLED_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)


def widget_css_class(widget: forms.Widget, *, small: bool = False) -> str:
    """The Bootstrap Italia class of a widget: form-select for selects, form-control for the other inputs
    (with the -sm variant when `small`), "" for the widgets in UNSTYLED_WIDGETS."""
    if isinstance(widget, UNSTYLED_WIDGETS):
        return ""
    if isinstance(widget, forms.Select):
        return "form-select form-select-sm" if small else "form-select"
    return "form-control form-control-sm" if small else "form-control"


class StyledBoundField(BoundField):
    """A field rendered with its Bootstrap Italia class, unless its widget already names a class."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        css = widget_css_class(widget, small=getattr(self.form, "small_widgets", False))
        if css and "class" not in widget.attrs and "class" not in attrs:
            attrs = {"class": css, **attrs}  # first, so that the attributes keep their usual order
        return super().build_widget_attrs(attrs, widget)


class PortalFormMixin:
    """Bootstrap Italia look for every field of the form, including fields added in a subclass's __init__.

    Set `small_widgets = True` for the compact inputs of the entry grids (form-control-sm, form-select-sm).
    """

    bound_field_class: type[BoundField] | None = StyledBoundField
    small_widgets = False


class PortalForm(PortalFormMixin, forms.Form):
    """The base of the portal's forms."""


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    """The base of the portal's model forms."""


YES_NO = [("si", _("Sì")), ("no", _("No"))]
ANY_CHOICE = _("Tutti")  # the empty choice of a filter: no filtering


def yes_no_filter(
    method: str, label: str | Promise, empty_label: str | Promise = ANY_CHOICE
) -> django_filters.ChoiceFilter:
    """A «Sì / No» choice filter of a filterset; its `method` gets "si" or "no" (all the rows: no choice)."""
    return django_filters.ChoiceFilter(method=method, choices=YES_NO, label=label, empty_label=empty_label)


class PortalFilterSet(django_filters.FilterSet):
    """The base of the portal's filtersets: the filter form is a PortalForm (or Meta.form, when it is styled).

    A free-text filter is ``q = CharFilter(method="search")``: it keeps the rows matching any of
    ``search_lookups`` (e.g. ``"titolo__icontains"``), or what ``search_q(text)`` returns when it is overridden;
    ``search_distinct`` removes the duplicates a lookup across a to-many relation makes. Blank text filters nothing.
    """

    search_lookups: tuple[str, ...] = ()
    search_distinct = False

    def search_q(self, value: str) -> Q:
        return reduce(operator.or_, (Q(**{lookup: value}) for lookup in self.search_lookups))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        found = queryset.filter(self.search_q(value))
        return found.distinct() if self.search_distinct else found

    def get_form_class(self) -> type[forms.Form]:
        base = self._meta.form if issubclass(self._meta.form, PortalFormMixin) else PortalForm
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{type(self).__name__}Form", (base,), fields)
