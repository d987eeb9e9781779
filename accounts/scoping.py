"""The one place that decides what a user may see or change.

Every view builds its querysets through `scope(queryset, user, action)`. A model opts in by naming
the lookup paths to its Ambito and Comune with the class attributes `scope_ambito_path` and
`scope_comune_path`. Objects outside the scope are simply absent, so views answer 404.

Actions:
- VIEW: Ufficio di Piano and Dirigente see their Ambiti (and sub-ambiti); an Operatore sees its Comune.
- EDIT: Ufficio di Piano changes its Ambiti; an Operatore changes its own Comune's data (schede).
- MANAGE: only the Ufficio di Piano (e.g. imports, validation of schede).
- APPROVE: only the Regione, on the Ambiti of its Regione (approval of an Ambito's SOSE campaign).
A Regione user sees (VIEW) every Ambito whose `regione` is its Regione, and changes nothing of them.
Superusers (Amministratore) see and change everything.

Views reach the object of their URL through `ScopedObjectMixin`: the object among those the user may see or
change, or 404 before anything else happens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, ClassVar

from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from territory.models import Ambito, Comune

from .models import Assegnazione, Ruolo

VIEW = "view"
EDIT = "edit"
MANAGE = "manage"
APPROVE = "approve"

_ROLES_FOR_AMBITO = {
    VIEW: {Ruolo.UFFICIO_PIANO, Ruolo.DIRIGENTE, Ruolo.REGIONE},
    EDIT: {Ruolo.UFFICIO_PIANO},
    MANAGE: {Ruolo.UFFICIO_PIANO},
    APPROVE: {Ruolo.REGIONE},
}
_ROLES_FOR_COMUNE = {VIEW: {Ruolo.OPERATORE}, EDIT: {Ruolo.OPERATORE}, MANAGE: set(), APPROVE: set()}


@dataclass
class Grants:
    """Ambito and Comune ids a user holds, per role (a Regione's Ambiti under the role Regione), and its Regioni."""

    ambiti: dict[str, set[int]] = field(default_factory=dict)
    comuni: dict[str, set[str]] = field(default_factory=dict)
    regioni: set[int] = field(default_factory=set)

    def ambito_ids(self, action: str) -> set[int]:
        return set().union(*(self.ambiti.get(r, set()) for r in _ROLES_FOR_AMBITO[action]))

    def comune_ids(self, action: str) -> set[str]:
        return set().union(*(self.comuni.get(r, set()) for r in _ROLES_FOR_COMUNE[action]))

    @property
    def roles(self) -> set[str]:
        return {r for r, ids in self.ambiti.items() if ids} | {r for r, ids in self.comuni.items() if ids}


def grants_for(user) -> Grants:
    """The user's grants, read once per request (cached on the user object)."""
    cached = getattr(user, "_portal_grants", None)
    if cached is not None:
        return cached
    grants = Grants()
    if user.is_authenticated:
        # one query: each assignment with the sub-ambiti of its Ambito (a row per sub-ambito), or with the Ambiti
        # of its Regione (a row per Ambito): an assignment names one of Ambito, Comune, Regione, so no cross product
        rows = Assegnazione.objects.filter(user=user).values_list(
            "ruolo", "ambito_id", "comune_id", "ambito__sub_ambiti__pk", "regione_id", "regione__ambiti__pk"
        )
        for ruolo, ambito_id, comune_id, child_id, regione_id, regione_ambito_id in rows.order_by():
            if ambito_id:
                grants.ambiti.setdefault(ruolo, set()).update({ambito_id, child_id} - {None})
            if comune_id:
                grants.comuni.setdefault(ruolo, set()).add(comune_id)
            if regione_id:
                grants.regioni.add(regione_id)
                grants.ambiti.setdefault(ruolo, set()).update({regione_ambito_id} - {None})
    user._portal_grants = grants
    return grants


def scope(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """Restrict `queryset` to the objects `user` may see (VIEW) or change (EDIT, MANAGE)."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    model = queryset.model
    ambito_path = getattr(model, "scope_ambito_path", None)
    comune_path = getattr(model, "scope_comune_path", None)
    if ambito_path is None and comune_path is None:
        raise TypeError(f"{model.__name__} non dichiara scope_ambito_path/scope_comune_path")
    grants = grants_for(user)
    condition = Q(pk__in=[])
    ambito_ids = grants.ambito_ids(action)
    comune_ids = grants.comune_ids(action)
    if ambito_path and ambito_ids:
        condition |= Q(**{f"{ambito_path}__in": ambito_ids})
    if comune_path and comune_ids:
        condition |= Q(**{f"{comune_path}__in": comune_ids})
    return queryset.filter(condition)


def scope_key(user, action: str = VIEW) -> list:
    """What decides what `user` may see or change, from the cached grants (no query): users with the same key see
    the same rows of the same data (a part of the cache key of a document built from scoped rows)."""
    if not user.is_authenticated:
        return ["nessuno"]
    if user.is_superuser:
        return ["tutto"]
    grants = grants_for(user)
    return [sorted(grants.ambito_ids(action)), sorted(grants.comune_ids(action))]


def can(user, action: str, obj) -> bool:
    """Whether `user` may perform `action` on the scoped object `obj`."""
    return scope(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def can_loaded(user, action: str, obj) -> bool:
    """Like `can`, answered from the cached grants and the object's own links to its Ambito and Comune: no query
    when the links are loaded (`select_related`). A path through anything but a foreign key falls back to `can`."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    model = type(obj)
    paths = [getattr(model, "scope_ambito_path", None), getattr(model, "scope_comune_path", None)]
    if paths == [None, None] or not all(_forward_path(model, path) for path in paths if path):
        return can(user, action, obj)
    grants = grants_for(user)
    ambito_path, comune_path = paths
    if ambito_path and _linked_id(obj, ambito_path) in grants.ambito_ids(action):
        return True
    return bool(comune_path) and _linked_id(obj, comune_path) in grants.comune_ids(action)


def _forward_path(model: type[Model], path: str) -> bool:
    """Whether `path` follows only foreign keys (one-to-one) forward, to a field of the last row."""
    *steps, last = path.split("__")
    for step in steps:
        field = model._meta.get_field(step)
        if not _forward_link(field):
            return False
        model = field.related_model
    field = model._meta.pk if last == "pk" else model._meta.get_field(last)
    return not field.is_relation or _forward_link(field)


def _forward_link(field: Any) -> bool:
    return field.is_relation and field.concrete and (field.many_to_one or field.one_to_one)


def _linked_id(obj: Model, path: str) -> Any:
    """The primary key `path` (a forward path, see `_forward_path`) leads to from `obj`; None on a null link."""
    *steps, last = path.split("__")
    for step in steps:
        obj = getattr(obj, step)
        if obj is None:
            return None
    field = obj._meta.pk if last == "pk" else obj._meta.get_field(last)
    return getattr(obj, field.attname)


def sees_ids(user, ambito_id: Any, comune_id: Any = None, action: str = VIEW) -> bool:
    """Whether `scope` keeps, for `user`, a row whose Ambito (`scope_ambito_path`) is `ambito_id` and whose Comune
    (`scope_comune_path`, None for a model without one) is `comune_id`: from the cached grants, without a query."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    grants = grants_for(user)
    return ambito_id in grants.ambito_ids(action) or (comune_id is not None and comune_id in grants.comune_ids(action))


def can_all(user, action: str, queryset: QuerySet, pks: Any) -> bool:
    """Whether every row of `queryset` with a primary key in `pks` exists and `user` may perform `action` on it
    (one query): e.g. the Comuni a job was asked for, checked again later."""
    pks = set(pks)
    return scope(queryset.filter(pk__in=pks), user, action).count() == len(pks)


def manages_with_comuni(user, ambito_id: Any, comuni: Any, action: str) -> bool:
    """Whether `user` manages the Ambito `ambito_id` and may `action` every Comune of `comuni` (pks): the work of
    the Ufficio di Piano on the Comuni a job was asked for, checked again when the job is reached later."""
    manages = user.is_superuser or ambito_id in grants_for(user).ambito_ids(MANAGE)
    return manages and can_all(user, action, Comune.objects.all(), comuni)


def can_on_ambito(user, action: str, ambito) -> bool:
    """Like `can`, for an Ambito, answered from the cached grants without a query."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or ambito.pk in grants_for(user).ambito_ids(action)


def reads_ambiti(user) -> bool:
    """Whether the user reads at least one Ambito: Amministratore, Ufficio di Piano, Dirigente.

    The pages of an Ambito (Territorio, Piano di Zona, Performance, Report, the schede overview) are empty for
    anybody else, so the menu and the links leave them out (accounts.sections).
    """
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(grants_for(user).ambito_ids(VIEW))


def reads_regioni(user) -> bool:
    """Whether the user follows at least one Regione (role Regione, and the Amministratore): the regional page."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(grants_for(user).regioni)


def regioni_ids(user) -> set[int] | None:
    """The Regioni the user follows (None: every Regione, for the Amministratore)."""
    if user.is_superuser:
        return None
    return set(grants_for(user).regioni) if user.is_authenticated else set()


def reads_comuni(user) -> bool:
    """Whether the user works on the schede of at least one Comune: Operatore comunale (and Amministratore)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(grants_for(user).comune_ids(VIEW))


class ScopedObjectMixin:
    """A view's object of the URL, among those the user may see (VIEW) or change (EDIT, MANAGE); 404 otherwise.

    A view declares:
    - `scoped_model` and `scoped_select_related`, or `scoped_queryset`: a selector (a function of no argument)
      giving the objects with what the page shows (or it overrides `get_scoped_queryset()`);
    - `lookups`: model lookup → URL keyword, `{"pk": "pk"}` by default (e.g. `{"slug": "slug"}`, or
      `{"piano__slug": "slug", "codice": "codice"}` for an object reached through its parent);
    - `action`: VIEW, EDIT or MANAGE;
    - `ambito_attr`: the dotted path from the object to its Ambito ("" for an Ambito itself) when the page
      belongs to an Ambito: dispatch then sets `request.ambito_corrente` (the header shows it). None: not set.

    The object is resolved once (`scoped_object`, cached) at the start of `dispatch`, so a user without access
    gets 404 before any other check; `check_scoped_object()` runs right after, for the view's own checks (e.g.
    403 on a locked plan).
    """

    scoped_model: ClassVar[type[Model] | None] = None
    scoped_select_related: ClassVar[tuple[str, ...]] = ()
    scoped_queryset: ClassVar[Callable[[], QuerySet] | None] = None
    lookups: ClassVar[dict[str, str]] = {"pk": "pk"}
    action: ClassVar[str] = VIEW
    ambito_attr: ClassVar[str | None] = None

    request: Any
    kwargs: dict[str, Any]

    def get_scoped_queryset(self) -> QuerySet:
        """The objects the URL may name, before scoping."""
        selector = type(self).scoped_queryset  # read on the class: a plain function, not bound to the view
        if selector is not None:
            return selector()
        if self.scoped_model is None:
            declares = "scoped_model, scoped_queryset né get_scoped_queryset()"
            raise TypeError(f"{type(self).__name__} non dichiara {declares}")
        return self.scoped_model._default_manager.select_related(*self.scoped_select_related)

    def get_lookups(self) -> dict[str, Any]:
        """The filter that names the object, from the URL keywords."""
        return {lookup: self.kwargs[kwarg] for lookup, kwarg in self.lookups.items()}

    @cached_property
    def scoped_object(self) -> Any:
        queryset = scope(self.get_scoped_queryset(), self.request.user, self.action)
        return get_object_or_404(queryset, **self.get_lookups())

    def scoped_ambito(self) -> Ambito | None:
        """The Ambito the page belongs to (see `ambito_attr`)."""
        if self.ambito_attr is None:
            return None
        return attrgetter(self.ambito_attr)(self.scoped_object) if self.ambito_attr else self.scoped_object

    def check_scoped_object(self, obj: Any) -> None:
        """Further checks once the object is resolved: raise to refuse (none by default)."""

    def dispatch(self, request, *args, **kwargs):
        obj = self.scoped_object  # 404 before anything else
        ambito = self.scoped_ambito()
        if ambito is not None:
            request.ambito_corrente = ambito
        self.check_scoped_object(obj)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def scoped_path(path: str = "") -> Any:
    """A read-only attribute of a `ScopedObjectMixin` view: the object of the URL (`path` empty), or the object
    `path` (dotted) leads to from it, e.g. `scheda = scoped_path()` and `piano = scoped_path("valutazione.piano")`."""
    get = attrgetter(path) if path else None
    return property(lambda view: get(view.scoped_object) if get else view.scoped_object)


class AmbitoPartMixin(ScopedObjectMixin):
    """An object of an Ambito (its `ambito` field) named by the URL's `slug`, such as a plan: the header shows its
    Ambito."""

    scoped_select_related: ClassVar[tuple[str, ...]] = ("ambito",)
    lookups: ClassVar[dict[str, str]] = {"slug": "slug"}
    ambito_attr: ClassVar[str | None] = "ambito"


class AmbitoMixin(ScopedObjectMixin):
    """The Ambito of the URL (`slug`) among those the user may see (VIEW) or change (404 otherwise); the header
    shows it as the current Ambito."""

    scoped_model: ClassVar[type[Model] | None] = Ambito
    scoped_select_related: ClassVar[tuple[str, ...]] = ("parent",)
    lookups: ClassVar[dict[str, str]] = {"slug": "slug"}
    ambito_attr: ClassVar[str | None] = ""

    ambito = scoped_path()  # Ambito


class ScopedInstanceMixin(ScopedObjectMixin):
    """The form of a stored object (not `creating`): its `instance` is the object of the URL."""

    creating = False

    instance = scoped_path()
