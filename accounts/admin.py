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

from .models import Assegnazione


class AssegnazioneInline(admin.TabularInline):
    model = Assegnazione
    extra = 1
    autocomplete_fields = ["ambito", "comune", "regione"]


@admin.register(Assegnazione)
class AssegnazioneAdmin(CompactListMixin, admin.ModelAdmin):
    list_display = ["user", "ruolo", "ambito", "comune", "regione"]
    list_filter = ["ruolo", "ambito", "regione"]
    search_fields = ["user__username", "user__last_name", "ambito__nome", "comune__nome", "regione__nome"]
    autocomplete_fields = ["user", "ambito", "comune", "regione"]
    list_select_related = ["user", "ambito", "comune", "regione"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(CompactListMixin, UserAdmin):
    inlines = [AssegnazioneInline]
    list_display = ["username", "first_name", "last_name", "email", "is_superuser", "is_active"]


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
