"""Concurrent editing of Django forms without lost values: the same rule as the schede grid (core.merge).

Every tracked form carries a hidden ``_base`` field with its values as they were loaded. On save the
edited object is locked (``select_for_update``), the forms are bound on its *current* values, and for each
field ``core.merge.three_way`` decides:

- the user did not change it → the stored value stays (even if someone else changed it meanwhile);
- only the user changed it → the user's value is written;
- both changed it to different values → a conflict: nothing is saved, the page shows both values and the
  user chooses (``_scelta-<campo>``: "mio" or "altro"); every other field already shows the current value.

Views with one ModelForm (FormView style) use :class:`MergeOnSaveMixin`; pages with several forms and formsets
call :func:`save_with_merge` and answer with :func:`merge_response`. Templates render each form's hidden fields
(``_base``) and include ``core/_conflitti.html`` inside the ``<form>``.

A page that creates an object carries a base too: the values it showed (the new instance's and the initial
ones). A plain create never uses it; but when the object is one per owner (the settings of an Ambito or of a
plan) and somebody else created it after the page was loaded, the POST is merged with it field by field, as
an edit, instead of overwriting it with every value the stale page showed.
"""

from __future__ import annotations

import datetime
import json
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.db import models, transaction
from django.forms.boundfield import BoundField
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.formatting import it_number
from core.merge import MINE, THEIRS, three_way

if TYPE_CHECKING:  # the views MergeOnSaveMixin goes into
    from django.views.generic import FormView

    _FormView = FormView[Any]
else:
    _FormView = object

BASE = "_base"
CONFLICT_MESSAGE = _lazy(
    "Un altro utente ha modificato gli stessi campi mentre lei lavorava: nulla è stato salvato. "
    "Scelga quale valore tenere per ogni campo indicato e salvi di nuovo."
)
CHOICE = "_scelta-"
DISPUTED = "_conflitti"


# --- Canonical values: what "the same value" means for a form field -----------------------------------


def canonical(value: Any) -> str | list[str]:
    """A JSON-able comparable form: pk for objects, sorted lists, plain decimals, ISO dates, trimmed text."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return sorted(str(canonical(v)) for v in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, int | float):
        return canonical(Decimal(str(value)))
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, str):  # ModelChoiceIteratorValue
        return canonical(value.value)
    return str(value).replace("\r\n", "\n").strip()


def display(form_field: forms.Field, value: Any) -> str:
    """A value as the user reads it (choice labels, Sì/No, 1.234,56, dd/mm/yyyy)."""
    if value in (None, "", [], ()) or (isinstance(value, models.QuerySet) and not value.exists()):
        return _("(vuoto)")
    if isinstance(form_field, forms.BooleanField):
        return _("Sì") if value else _("No")
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        choices = cast("Iterable[tuple[Any, Any]]", form_field.choices)  # normalised by the field
        labels = {str(canonical(k)): str(label) for k, label in choices}
        values = canonical(value)
        items = values if isinstance(values, list) else [values]
        return ", ".join(labels.get(v, v) for v in items) or _("(vuoto)")
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        d = Decimal(str(value))
        exponent = d.normalize().as_tuple().exponent
        return it_number(d, max(0, -exponent) if isinstance(exponent, int) else 0)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --- Tracking a form ------------------------------------------------------------------------------------


def tracked_forms(items: Iterable) -> list[forms.BaseForm]:
    """Flatten forms and formsets into the forms they hold (formset rows included)."""
    out = []
    for item in items:
        if isinstance(item, BaseFormSet):
            out.extend(item.forms)
        elif isinstance(item, forms.BaseForm):
            out.append(item)
    return out


class BaseValuesField(forms.CharField):
    """The hidden JSON of the values as loaded: never counts as a change (a blank extra row stays blank)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, widget=forms.HiddenInput, **kwargs)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False


def _initial(form: forms.BaseForm, form_field: forms.Field, name: str) -> Any:
    """The value a field starts from; an unset checkbox (a formset row's DELETE) is unticked, not empty."""
    value = form.get_initial_for_field(form_field, name)
    if value is None and isinstance(form_field, forms.BooleanField):
        return None if isinstance(form_field, forms.NullBooleanField) else False
    return value


@dataclass
class _Tracking:
    """What track() keeps of a form: its stored values, its instance's stored attributes, then its merge."""

    stored: dict[str, Any]
    snapshot: dict[str, Any]
    merge: FormMerge | None = None


#: The tracked forms and what track() keeps of each (weak keys: the record goes with its form).
_TRACKED: weakref.WeakKeyDictionary[forms.BaseForm, _Tracking] = weakref.WeakKeyDictionary()


def track(*items: forms.BaseForm | BaseFormSet) -> None:
    """Give each form (and each formset row) its hidden ``_base`` with the stored values it was built on."""
    for form in tracked_forms(items):
        if BASE in form.fields:
            continue
        stored = {name: _initial(form, f, name) for name, f in form.fields.items()}
        snapshot = (
            {f.attname: getattr(form.instance, f.attname) for f in form.instance._meta.concrete_fields}
            if isinstance(form, forms.ModelForm)
            else {}
        )
        _TRACKED[form] = _Tracking(stored, snapshot)
        form.fields[BASE] = BaseValuesField()
        form.fields[BASE].initial = json.dumps({n: canonical(v) for n, v in stored.items()}, ensure_ascii=False)


@dataclass
class ConflictItem:
    """One field in dispute, ready for the conflict box."""

    form: forms.BaseForm
    name: str
    label: str
    mine: str
    theirs: str
    who: str = ""  # who saved the stored value, and when (from the object's history, when it has one)
    when: datetime.datetime | None = None

    @property
    def choice_name(self) -> str:
        return self.form.add_prefix(CHOICE + self.name)

    @property
    def disputed_name(self) -> str:
        return self.form.add_prefix(DISPUTED)

    @property
    def anchor(self) -> str:
        return self.form[self.name].auto_id or ""


@dataclass
class FormMerge:
    changed: set[str] = field(default_factory=set)
    conflicts: list[ConflictItem] = field(default_factory=list)


def _posted_base(form: forms.BaseForm) -> dict | None:
    try:
        data = json.loads(form.data.get(form.add_prefix(BASE)) or "")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def merge_form(form: forms.BaseForm) -> FormMerge:
    """After ``is_valid()``: keep the stored value of every field the user did not change; find conflicts.

    Fields the user left alone get their stored value back in ``cleaned_data`` (and on the instance of a
    ModelForm), so saving the form writes only the user's own changes. A field listed as disputed after a
    previous conflict needs the user's choice, or the form gets an error on that field.
    """
    outcome = FormMerge()
    tracking = _TRACKED.get(form)
    if tracking is None or not form.is_bound or not hasattr(form, "cleaned_data"):
        return outcome
    stored = tracking.stored
    names = [n for n in stored if n != BASE and n in form.cleaned_data]
    base = _posted_base(form)
    mine = {n: canonical(form.cleaned_data[n]) for n in names}
    theirs = {n: canonical(stored[n]) for n in names}
    undecided = []
    for name in form.data.getlist(form.add_prefix(DISPUTED)) if hasattr(form.data, "getlist") else []:
        if name not in mine:
            continue
        choice = form.data.get(form.add_prefix(CHOICE + name))
        if choice == THEIRS and base is not None and name in base:
            mine[name] = base[name]  # the value the other user saved, shown as the base after the conflict
        elif choice != MINE:
            undecided.append(name)  # still in dispute until the user chooses
    merge = three_way(base if base is not None else {}, mine, theirs)
    disputed = list(dict.fromkeys([c.key for c in merge.conflicts] + undecided))
    outcome.changed = set(merge.changes) | set(disputed)
    for name in disputed:
        f = form.fields[name]
        mine_text, theirs_text = display(f, form.cleaned_data[name]), display(f, stored[name])
        outcome.conflicts.append(ConflictItem(form, name, _label(form, name), mine_text, theirs_text))
    _restore_unchanged(form, [n for n in names if n not in outcome.changed])
    # From now on the form "changed" only where the user changed it: savers that skip unchanged rows
    # (formset.save, `if form.has_changed()`) leave alone the rows somebody else changed meanwhile.
    form.changed_data = [n for n in names if n in outcome.changed]
    tracking.merge = outcome
    return outcome


def _label(form: forms.BaseForm, name: str) -> str:
    """The field's label in the conflict box; a form may name its row with ``conflict_label(name)``."""
    custom = getattr(form, "conflict_label", None)
    return str(custom(name) if custom else (form.fields[name].label or name))


def _stored_cleaned(form: forms.BaseForm, name: str) -> Any:
    """The stored value of a field as ``cleaned_data`` holds it (objects, querysets, Decimals)."""
    bound = form[name]
    raw = _as_data(bound)
    widget = bound.field.widget
    multiple = isinstance(widget, forms.SelectMultiple | forms.CheckboxSelectMultiple | forms.MultipleHiddenInput)
    value = raw if multiple else (raw[0] if raw else ("" if not isinstance(widget, forms.CheckboxInput) else False))
    try:
        return bound.field.clean(value)
    except forms.ValidationError:
        return _TRACKED[form].stored[name]


def _restore_unchanged(form: forms.BaseForm, names: list[str]) -> None:
    instance = form.instance if isinstance(form, forms.ModelForm) else None
    for name in names:
        model_field = None
        if instance is not None:
            try:
                model_field = instance._meta.get_field(name)
            except Exception:  # a form-only field
                model_field = None
        if instance is not None and model_field is not None and model_field.concrete and not model_field.many_to_many:
            setattr(instance, model_field.attname, _TRACKED[form].snapshot.get(model_field.attname))
            form.cleaned_data[name] = getattr(instance, name)
        else:
            form.cleaned_data[name] = _stored_cleaned(form, name)


# --- Rebasing the page after a conflict ----------------------------------------------------------------


def _as_data(bound_field: BoundField) -> list[str]:
    """A stored value in the shape a browser posts it."""
    value = bound_field.initial
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if value else []
    if isinstance(value, models.QuerySet | list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    if value is None:
        return [""]
    if isinstance(value, models.Model):
        return [str(value.pk)]
    formatted = widget.format_value(value)  # a list for Select widgets
    if isinstance(formatted, list | tuple):
        return [str(v) for v in formatted] or [""]
    return ["" if formatted is None else str(formatted)]


def rebased_data(posted: QueryDict, forms_: Iterable[forms.BaseForm]) -> QueryDict:
    """The posted data with every field the user did not change set to its stored value, and the base moved."""
    data = posted.copy()
    for form in forms_:
        tracking = _TRACKED.get(form)
        if tracking is None:
            continue
        merge = tracking.merge
        changed = merge.changed if merge else set()
        for name in tracking.stored:
            if name == BASE or name in changed:
                continue
            data.setlist(form.add_prefix(name), _as_data(form[name]))
        stored = {n: canonical(v) for n, v in tracking.stored.items()}
        data[form.add_prefix(BASE)] = json.dumps(stored, ensure_ascii=False)
        data.setlist(form.add_prefix(DISPUTED), [c.name for c in (merge.conflicts if merge else [])])
        for c in merge.conflicts if merge else []:
            data.pop(form.add_prefix(CHOICE + c.name), None)
    return data


def locked(model: type[models.Model], pk: Any, for_update: bool = True) -> models.Model:
    """The object by primary key, row-locked for the rest of the transaction when `for_update`."""
    qs = model._default_manager.all()
    return (qs.select_for_update() if for_update else qs).get(pk=pk)


# --- The view helper --------------------------------------------------------------------------------------


@dataclass
class EditOutcome:
    """What happened to a save: `saved` (the save's return value), or forms to show again."""

    saved: Any = None
    forms: Mapping | None = None
    conflicts: list[ConflictItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.forms is None


class _Rollback(Exception):
    pass


def save_with_merge(
    *,
    data: QueryDict,
    fetch: Callable[[bool], Any],
    build: Callable[[QueryDict | None, Any], Mapping],
    save: Callable[[Mapping], Any],
) -> EditOutcome:
    """Lock, bind the forms on the stored values, merge the user's changes and save, all in one transaction.

    `fetch(for_update)` returns the edited object (locked with ``select_for_update`` when asked);
    `build(data, obj)` returns the page's forms and formsets (a dict) bound to `data` on `obj`;
    `save(forms)` writes them. Invalid forms come back as they are; a conflict comes back as forms
    rebound on the current values plus the user's own changes, with the fields in dispute in `conflicts`.
    """
    conflicts: list[ConflictItem] = []
    try:
        with transaction.atomic():
            built = build(data, fetch(True))
            track(*built.values())
            if not all(x.is_valid() for x in built.values()):
                raise _Rollback
            for form in tracked_forms(built.values()):
                conflicts.extend(merge_form(form).conflicts)
            if conflicts:
                raise _Rollback
            return EditOutcome(saved=save(built))
    except _Rollback:
        pass
    if not conflicts:
        return EditOutcome(forms=built)
    rebuilt = build(rebased_data(data, tracked_forms(built.values())), fetch(False))
    track(*rebuilt.values())
    by_prefix: dict = {}
    for item in conflicts:
        by_prefix.setdefault(item.form.prefix, []).append(item)
    shown = []
    for form in tracked_forms(rebuilt.values()):
        for item in by_prefix.get(form.prefix, []):
            who, when = last_change(form.instance if isinstance(form, forms.ModelForm) else None)
            shown.append(ConflictItem(form, item.name, item.label, item.mine, item.theirs, who, when))
    return EditOutcome(forms=rebuilt, conflicts=shown)


def last_change(obj: models.Model | None) -> tuple[str, datetime.datetime | None]:
    """Who saved `obj` last and when, from its django-simple-history records ("" and None if unknown)."""
    history = getattr(obj, "history", None) if obj is not None and obj.pk else None
    record = history.select_related("history_user").order_by("-history_date").first() if history else None
    if record is None:
        return "", None
    return str(record.history_user or ""), record.history_date


# --- Views ------------------------------------------------------------------------------------------------


def merge_response(
    request: HttpRequest,
    outcome: EditOutcome,
    render: Callable[..., HttpResponse],
    *,
    invalid_message: str | None = None,
) -> HttpResponse:
    """The answer to a :func:`save_with_merge` whose `save` returned the success response.

    `render(forms, **context)` shows the page again with the forms: with ``conflitti`` and status 409 after a
    conflict (nothing saved), or as they are when invalid (with `invalid_message`, if given).
    """
    if outcome.ok:
        return outcome.saved
    if outcome.conflicts:
        messages.error(request, CONFLICT_MESSAGE)
        response = render(outcome.forms, conflitti=outcome.conflicts)
        response.status_code = 409
        return response
    if invalid_message:
        messages.error(request, invalid_message)
    return render(outcome.forms)


class MergeOnSaveMixin(_FormView):
    """A FormView editing one object with one ModelForm, saved with :func:`save_with_merge`.

    The page carries the values as loaded (``_base``); on POST the object is locked and re-read, the form is
    bound on its current values, only the user's changes are written, a field changed by both users answers
    409 with the conflict box. Creation (no object, or an unsaved one) keeps the plain FormView path, but its
    page carries the values it showed as ``_base`` too: if the object exists by the time of the POST (a one-per-owner
    object created meanwhile by somebody else), the POST is merged with it like an edit.

    Hooks (defaults in brackets):

    - ``get_merge_object()``: the edited object [the ``instance`` of ``get_form_kwargs()``];
    - ``get_merge_form_kwargs(data, obj)``: the form's kwargs on the re-read object [``get_form_kwargs()``
      with ``data`` and ``instance`` replaced];
    - ``merge_success(form)``: writes the form, returns the success response; runs inside the transaction,
      after the merge [``form_valid(form)``].
    """

    def get_merge_object(self) -> models.Model | None:
        return self.get_form_kwargs().get("instance")

    def get_merge_form_kwargs(self, data: QueryDict | None, obj: models.Model) -> dict:
        return {**self.get_form_kwargs(), "data": data, "instance": obj}

    def merge_success(self, form: Any) -> HttpResponse:
        return self.form_valid(form)

    def _edited(self) -> models.Model | None:
        obj = self.get_merge_object()
        return obj if obj is not None and obj.pk is not None else None

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        if not form.is_bound:
            track(form)  # the page carries the values as loaded (a new object's: those it shows)
        elif BASE not in form.fields:
            form.fields[BASE] = BaseValuesField()  # a creation shown again with errors keeps its posted base
        return form

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self._edited()
        if obj is None:
            return super().post(request, *args, **kwargs)
        form_class = self.get_form_class()
        outcome = save_with_merge(
            data=request.POST,
            fetch=lambda for_update: locked(type(obj), obj.pk, for_update),
            build=lambda data, current: {"form": form_class(**self.get_merge_form_kwargs(data, current))},
            save=lambda forms: self.merge_success(forms["form"]),
        )
        return merge_response(
            request,
            outcome,
            lambda forms, **context: self.render_to_response(self.get_context_data(form=forms["form"], **context)),
        )
