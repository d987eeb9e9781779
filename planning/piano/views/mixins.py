"""What the pages of a plan share: the object of the URL among those the user may see or change
(accounts.scoping.ScopedObjectMixin: 404 otherwise, before anything else), the plan it belongs to, the 403 on a
locked plan for the pages that change it, and the plan's context (what the user may do, the breadcrumb)."""

from __future__ import annotations

from accounts.scoping import EDIT, AmbitoPartMixin, ScopedObjectMixin, can_on_ambito, scoped_path
from core.breadcrumbs import Trail
from planning.navigation import piano_trail
from territory.models import Ambito

from ...models import PianoDiZona
from ..services import piano_assert_modificabile, piano_modificabile, variazione_aperta


class PianoContextMixin(ScopedObjectMixin):
    """A page of a plan: `piano` is the plan of the URL's object; `needs_unlocked` asks for a modifiable plan."""

    needs_unlocked = False

    @property
    def piano(self) -> PianoDiZona:
        raise NotImplementedError

    def scoped_ambito(self) -> Ambito:
        return self.piano.ambito

    def check_scoped_object(self, obj) -> None:
        if self.needs_unlocked:
            piano_assert_modificabile(self.piano)

    def trail(self, piano: PianoDiZona) -> Trail:
        """The page's breadcrumb: the plan's own page here; pages below the plan extend it."""
        return piano_trail(self.request.user, piano)

    def piano_context(self, piano: PianoDiZona) -> dict:
        can_edit = can_on_ambito(self.request.user, EDIT, piano.ambito)
        return {
            "piano": piano,
            "can_edit": can_edit,
            "modificabile": can_edit and piano_modificabile(piano),
            "variazione": variazione_aperta(piano),
            "breadcrumbs": self.trail(piano),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.piano_context(self.piano)}  # type: ignore[misc]


class PianoEditMixin:
    """A page that changes the plan: EDIT on its Ambito (404 otherwise) and a modifiable plan (403 otherwise).
    It goes before the mixin that names the plan."""

    action = EDIT
    needs_unlocked = True


class PianoMixin(PianoContextMixin, AmbitoPartMixin):
    """The plan of the URL (`slug`)."""

    scoped_model = PianoDiZona

    piano = scoped_path()  # PianoDiZona

    def table_owner(self) -> PianoDiZona:
        """The object a table page of the plan (core.table_views.TablePageView) shows the rows of."""
        return self.piano

    def export_filename(self) -> str:
        """Name of an exported table (core.exports.ExportMixin): the table's name and the plan's slug."""
        return f"{self.export_name}-{self.piano.slug}"  # type: ignore[attr-defined]

    def get_filterset_kwargs(self, filterset_class):
        """The filters of the plan's tables choose among the plan's own areas, objectives, ..."""
        return {**super().get_filterset_kwargs(filterset_class), "piano": self.piano}  # type: ignore[misc]


class PianoPartMixin(PianoContextMixin):
    """A part of a plan by id (URL `pk`): chapter, area, objective, intervention; `object` in the context."""

    scoped_select_related = ("piano__ambito",)

    object = scoped_path()
    piano = scoped_path("piano")  # PianoDiZona

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object}
