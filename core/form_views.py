"""Pages that edit one object with several forms at once (a form and its inline formsets).

The view defines ``build(data=None, obj=None)``, the dict of forms bound on ``data`` (unbound without it) for
``obj`` (the view's own object without it; :class:`InlineFormsMixin` builds a form and its inline formsets from
their classes), and ``save(forms)``, which writes the valid forms and returns the success response.
:class:`FormsCreateMixin` answers the POST of a new object, :class:`FormsMergeMixin` the POST of a stored one,
merged field by field with a concurrent edit (:mod:`core.optimistic`). Both show the page again through
``render_forms(forms, **context)``, by default the template with ``forms`` in its context.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.functional import cached_property

from core.optimistic import locked, merge_response, save_with_merge

if TYPE_CHECKING:  # the views these mixins go into
    from django.views.generic import TemplateView

    _TemplateView = TemplateView
else:
    _TemplateView = object

Forms = Mapping[str, Any]  # name → a bound form or formset


class FormsPageMixin(_TemplateView):
    """What both mixins share: the message of an invalid POST and the page shown again with the forms."""

    invalid_message: str | None = None

    if TYPE_CHECKING:  # defined by the view (here they would hide the view's own mixins)

        def build(self, data: QueryDict | None = None, obj: Any = None) -> Forms: ...

        def save(self, forms: Forms) -> HttpResponse: ...

    def render_forms(self, forms: Forms, **context: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(forms=forms, **context))


class InlineFormsMixin:
    """``build`` for the page of one object, new or stored (``instance``): its form (``form_class``) and the inline
    formsets of its rows (``formsets``: name → formset class; the name is the formset's prefix and its key among
    the forms). ``form_kwargs()`` and ``formset_kwargs()`` give what they need besides the data."""

    form_class: type
    formsets: ClassVar[dict[str, type]] = {}

    if TYPE_CHECKING:  # defined by the view: a new object or the one of the URL

        @property
        def instance(self) -> models.Model: ...

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def formset_kwargs(self) -> dict[str, Any]:
        return {}

    def build(self, data: QueryDict | None = None, obj: models.Model | None = None) -> Forms:
        obj = obj or self.instance
        forms = {"form": self.form_class(data, instance=obj, **self.form_kwargs())}
        for name, formset in self.formsets.items():
            forms[name] = formset(data, instance=obj, prefix=name, **self.formset_kwargs())
        return forms


class FormsCreateMixin(FormsPageMixin):
    """POST of a new object: every form valid → ``save(forms)``; else the page again with the errors."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        forms = self.build(request.POST)
        if all(form.is_valid() for form in forms.values()):
            return self.save(forms)
        if self.invalid_message:
            messages.error(request, self.invalid_message)
        return self.render_forms(forms)


class FormsMergeMixin(FormsPageMixin):
    """POST of the stored object ``get_merge_object()``: locked, re-read and saved with
    :func:`core.optimistic.save_with_merge`; a conflict or invalid forms show the page again."""

    if TYPE_CHECKING:  # defined by the view

        def get_merge_object(self) -> models.Model: ...

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_merge_object()
        outcome = save_with_merge(
            data=request.POST,
            fetch=lambda for_update: locked(type(obj), obj.pk, for_update),
            build=self.build,
            save=self.save,
        )
        return merge_response(request, outcome, self.render_forms, invalid_message=self.invalid_message)


class NewInstanceMixin:
    """The page of a form (a Django FormView) that creates an object: `instance` is a new object of the form's
    model (`creating`)."""

    creating = True

    @cached_property
    def instance(self) -> models.Model:
        form_class = self.get_form_class()  # type: ignore[attr-defined]
        return form_class._meta.model()
