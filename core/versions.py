"""Data versions: integer counters that change in the same transaction as the data they stand for.

A report cached by a data version is found without re-reading the data: every change of the data bumps the
counter (``UPDATE … SET versione_dati = versione_dati + 1``) in the transaction of the change, so a committed
state of the data never shares its version with another state.

- ``bump(queryset, key)`` bumps the rows of `queryset`. Inside a transaction it does so once per `key` (a
  hashable naming the rows) until the version is read (``observed()``): a save of a hundred rows of one plan in
  one transaction costs one UPDATE. The memory of what was bumped lives in a no-op ``on_commit`` callback, which
  Django drops at commit, at rollback and with the savepoint it was registered in, so a bump undone by a
  rollback is never taken as done.
- ``track(model, path, bump_rows)`` registers the signal receivers of a model whose rows belong to a counter:
  after a save or a delete, and after a change of one of its many-to-many fields, ``bump_rows(ids, key)`` gets
  the primary keys of the owners reached by `path` (a lookup such as ``"indicatore__intervento__piano"``; the
  first step is read on the row itself, so it works after a delete too). Writes that send no signal
  (``QuerySet.update``, ``bulk_create``, ``bulk_update``) call the owners' bump function themselves.
- ``track_self(model, after, fields)`` makes a save of a versioned row itself write ``field = field + 1``, so an
  instance loaded before other changes never writes an old version back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

FIELD = "versione_dati"
Fields = str | tuple[str, ...]  # the counter, or the counters bumped together (e.g. everything and a topic of it)
BumpRows = Callable[[Any, Hashable], None]  # (primary keys: a list or a values() queryset, dedup key)
EVERYTHING = ""  # the path of a catalogue read by every document: its owners are all the rows (ids None)
TRACKED: dict[type[models.Model], list[str]] = {}  # every tracked model and its paths to its owners


class _Bumped:
    """The keys bumped in the current transaction at one savepoint level; a no-op on commit."""

    def __init__(self) -> None:
        self.keys: set[Hashable] = set()

    def __call__(self) -> None:  # run by Django at commit: nothing to do
        return None


def _alive() -> list[tuple[set, _Bumped]]:
    return [(entry[0], entry[1]) for entry in connection.run_on_commit if isinstance(entry[1], _Bumped)]


def _already_bumped(key: Hashable) -> bool:
    return any(key in marker.keys for _sids, marker in _alive())


def _remember(key: Hashable) -> None:
    here = set(connection.savepoint_ids)
    for sids, marker in _alive():
        if sids == here:
            marker.keys.add(key)
            return
    marker = _Bumped()
    marker.keys.add(key)
    transaction.on_commit(marker)


def _names(fields: Fields) -> tuple[str, ...]:
    return (fields,) if isinstance(fields, str) else fields


def bump(queryset: QuerySet, key: Hashable, fields: Fields = FIELD) -> None:
    """``UPDATE`` the rows of `queryset` to ``field + 1`` for each of `fields`; once per `key` and transaction
    until ``observed()``."""
    if connection.in_atomic_block:
        if _already_bumped(key):
            return
        _remember(key)
    queryset.update(**{name: F(name) + 1 for name in _names(fields)})


def bump_with_related(
    model: type[models.Model],
    namespace: str,
    ids: Any,
    key: Hashable,
    related: Callable[[Any], QuerySet],
    fields: Fields = FIELD,
) -> None:
    """Bump `fields` of the rows `ids` of `model` (a list or a values() queryset; None: every row) and of the rows
    whose pks `related(ids)` selects (a values() queryset), once per (`namespace`, `key`) in a transaction."""
    if ids is None:
        bump(model._default_manager.all(), (namespace, "*"), fields)
        return
    if isinstance(ids, list | tuple | set):
        ids = [i for i in ids if i is not None]
        if not ids:
            return
        key = key or tuple(sorted(ids))
    key = key if key is not None else object()  # a query without a key: never taken as already done
    bump(model._default_manager.filter(Q(pk__in=ids) | Q(pk__in=related(ids))), (namespace, key), fields)


def observed() -> None:
    """The versions were read (a report's cache key): the next change bumps them again, even in this transaction."""
    for _sids, marker in _alive():
        marker.keys.clear()


def owners(instance: models.Model, path: str) -> Any:
    """The primary keys of the owners of `instance` along `path`: a list, or a values() queryset (one subquery);
    None for every row (`EVERYTHING`)."""
    if path == EVERYTHING:
        return None
    first, _, rest = path.partition("__")
    field = instance._meta.get_field(first)
    assert isinstance(field, models.ForeignKey), path  # the first step is a foreign key of the row
    value = getattr(instance, field.attname)
    if value is None:
        return []
    if not rest:
        return [value]
    related = field.related_model
    assert not isinstance(related, str), path  # resolved once the apps are ready
    return related._base_manager.filter(pk=value).values(rest)


def _key(instance: models.Model, path: str) -> Hashable:
    if path == EVERYTHING:
        return (instance._meta.label, path)
    field = instance._meta.get_field(path.partition("__")[0])
    assert isinstance(field, models.ForeignKey), path
    return (instance._meta.label, path, getattr(instance, field.attname))


def track(model: type[models.Model], path: str, bump_rows: BumpRows) -> None:
    """Bump the owners along `path` after every save or delete of `model` and change of its many-to-many fields."""
    TRACKED.setdefault(model, []).append(path)
    uid = f"versions:{model._meta.label}:{path}"

    def changed(sender: Any, instance: models.Model, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return  # fixtures loaded with loaddata: the command that loads them bumps everything
        bump_rows(owners(instance, path), _key(instance, path))

    def m2m(sender: Any, instance: models.Model, action: str, pk_set: set | None, **kwargs: Any) -> None:
        if not action.startswith("post_"):
            return
        if isinstance(instance, model):
            changed(sender, instance)
        elif pk_set and path != EVERYTHING:  # changed from the other side: `pk_set` holds rows of `model`
            ids = model._base_manager.filter(pk__in=pk_set).values(path)
            bump_rows(ids, (model._meta.label, path, "m2m", tuple(sorted(pk_set))))
        else:  # every row, or cleared from the other side (which rows of `model` it had is gone)
            bump_rows(None, (model._meta.label, path, "m2m", None))

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    for m2m_field in model._meta.many_to_many:
        through = m2m_field.remote_field.through
        m2m_changed.connect(m2m, sender=through, weak=False, dispatch_uid=f"{uid}:{m2m_field.name}")


def track_self(model: type[models.Model], after: Callable[[Any, bool], None], fields: Fields = FIELD) -> None:
    """A save of a row of `model` bumps its own `fields` in the same UPDATE; `after(instance, created)` runs
    after every save and delete (created=False for a delete) for the counters it also moves (e.g. a parent's)."""
    names = _names(fields)
    TRACKED.setdefault(model, []).append("self")
    uid = f"versions:{model._meta.label}:self"

    def before_save(sender: Any, instance: Any, update_fields: Any = None, raw: bool = False, **kwargs: Any) -> None:
        instance._versions_written = ()
        if raw or instance._state.adding:
            return
        # the counters the save writes: each as `name + 1`, never as the value loaded (maybe moved since)
        written = names if update_fields is None else tuple(name for name in names if name in update_fields)
        _increment(instance, written)
        instance._versions_written = written

    def after_save(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
        if raw:
            return
        rest = tuple(name for name in names if name not in instance._versions_written)
        if not created and rest:  # a save of some fields only: the counters it did not write, once each
            bump(model._base_manager.filter(pk=instance.pk), (model._meta.label, "self", instance.pk, rest), rest)
        if not created:  # the new values are read from the database when asked for
            _forget(instance, names)
        after(instance, created)

    def after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
        after(instance, False)

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=f"{uid}:pre")
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=f"{uid}:post")
    post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=f"{uid}:delete")


def _increment(instance: models.Model, names: tuple[str, ...]) -> None:
    """The counters `names` of `instance` written as ``name + 1`` by its save."""
    for name in names:
        setattr(instance, name, F(name) + 1)


def _forget(instance: models.Model, names: tuple[str, ...]) -> None:
    """Drop the loaded counters `names` of `instance`: read again from the database when asked for."""
    for name in names:
        instance.__dict__.pop(name, None)


def untracked(models_: Iterable[type[models.Model]]) -> list[str]:
    """The labels of `models_` no counter tracks (for a check at start-up and in the tests)."""
    return [m._meta.label for m in models_ if m not in TRACKED]
