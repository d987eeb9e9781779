"""Admin of roles and assignments, inline on the user page."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Assegnazione


class AssegnazioneInline(admin.TabularInline):
    model = Assegnazione
    extra = 1
    autocomplete_fields = ["ambito", "comune"]


@admin.register(Assegnazione)
class AssegnazioneAdmin(admin.ModelAdmin):
    list_display = ["user", "ruolo", "ambito", "comune"]
    list_filter = ["ruolo", "ambito"]
    search_fields = ["user__username", "user__last_name", "ambito__nome", "comune__nome"]
    autocomplete_fields = ["user", "ambito", "comune"]
    list_select_related = ["user", "ambito", "comune"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [AssegnazioneInline]
    list_display = ["username", "first_name", "last_name", "email", "is_superuser", "is_active"]
