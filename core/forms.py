"""Shared form pieces: Italian number inputs and Bootstrap Italia widget classes."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms

from core.numbers import NumberParseError, parse_decimal


class ItalianDecimalField(forms.DecimalField):
    """A number typed as 1234,56, 1.234,56 or 1234.56; anything else (1.2.3, 12,3,4) is refused, never guessed.

    Django's localized DecimalField strips every '.' and would read «1.2.3» as 123: this field uses the
    portal's parser instead (core.numbers.parse_decimal), the same one the schede use.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float):
            return super().to_python(value)
        try:
            return parse_decimal(str(value))
        except NumberParseError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class ItalianNumberFilter(django_filters.NumberFilter):
    field_class = ItalianDecimalField


def style_form(form: forms.BaseForm, *, small: bool = False) -> None:
    """Bootstrap Italia classes on every widget of a form (checkboxes and hidden inputs excluded)."""
    suffix = " form-select-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select" + suffix)
        else:
            widget.attrs.setdefault("class", "form-control" + (" form-control-sm" if small else ""))
