"""Admin of roles and assignments, inline on the user page; the login-attempt lists of django-axes in Italian."""

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_lists import CompactListMixin

from .forms import ProfiloForm
from .models import Assegnazione, Profilo


class ProfiloInline(admin.StackedInline):
    """The codice fiscale on the user's page: the key of the SPID/CIE login (README «Accesso con SPID e CIE»)."""

    model = Profilo
    form = ProfiloForm
    can_delete = True
    max_num = 1
    extra = 1
    verbose_name = _("codice fiscale (accesso con SPID e CIE)")
    verbose_name_plural = _("codice fiscale (accesso con SPID e CIE)")


class AssegnazioneInline(admin.TabularInline):
    model = Assegnazione
    extra = 1
    autocomplete_fields = ["ambito", "comune", "regione"]


@admin.register(Assegnazione)
class AssegnazioneAdmin(CompactListMixin, admin.ModelAdmin):
    list_display = ["user", "codice_fiscale", "ruolo", "ambito", "comune", "regione"]
    list_filter = ["ruolo", "ambito", "regione"]
    search_fields = [
        "user__username",
        "user__last_name",
        "user__profilo__codice_fiscale",
        "ambito__nome",
        "comune__nome",
        "regione__nome",
    ]
    autocomplete_fields = ["user", "ambito", "comune", "regione"]
    list_select_related = ["user__profilo", "ambito", "comune", "regione"]

    @admin.display(description=_("codice fiscale"), ordering="user__profilo__codice_fiscale")
    def codice_fiscale(self, obj):
        profilo = getattr(obj.user, "profilo", None)
        return profilo.codice_fiscale if profilo else "—"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(CompactListMixin, UserAdmin):
    inlines = [ProfiloInline, AssegnazioneInline]
    list_display = ["username", "first_name", "last_name", "codice_fiscale", "email", "is_superuser", "is_active"]
    list_select_related = ["profilo"]
    search_fields = [*UserAdmin.search_fields, "profilo__codice_fiscale"]

    @admin.display(description=_("codice fiscale"), ordering="profilo__codice_fiscale")
    def codice_fiscale(self, obj):
        profilo = getattr(obj, "profilo", None)
        return profilo.codice_fiscale if profilo else "—"


# --- django-axes (login throttling) ---------------------------------------------------------------------
# Its labels are translated in locale/it (the app has no Italian catalogue); the section of the admin index takes
# an Italian name here (an app's verbose_name is not part of its migrations), and its lists fit the screen.
apps.get_app_config("axes").verbose_name = _("Sicurezza degli accessi")


class AccessAttemptAdmin(CompactListMixin, axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("stato"))
    def status(self, obj):
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left <= 0:
            return _("bloccato")
        return ngettext("%(n)s tentativo rimasto", "%(n)s tentativi rimasti", left) % {"n": left}

    @admin.display(description=_("scadenza"))
    def expiration(self, obj):
        return super().expiration(obj)


class AccessLogAdmin(CompactListMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(CompactListMixin, axes_admin.AccessFailureLogAdmin):
    pass


for _model, _admin_class in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):  # AXES_ENABLE_ADMIN
        admin.site.unregister(_model)
        admin.site.register(_model, _admin_class)
